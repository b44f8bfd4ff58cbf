import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { DEFAULT_IMPORT_OPTIONS } from '#config';
import {
  columnName,
  generated,
  rowXml,
  SHEET_CLOSE,
  SHEET_OPEN,
  sharedStringsXml,
  sheetXml,
  workbook,
  workbookEntries,
} from '#test/support/workbook-writer.js';
import { zip } from '#test/support/zip-writer.js';
import type { ImportLimits } from './import-limits.js';
import { isDateFormat, readXlsxTable, type SheetTable } from './xlsx-stream-reader.js';
import { refusal } from '#test/support/refusal.js';

const LIMITS: ImportLimits = DEFAULT_IMPORT_OPTIONS;
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The reader before issue 11 (exceljs loading the whole workbook), kept here as the reference the streaming reader
 * must agree with on honest files.
 */
async function readWithExcelJs(content: Buffer): Promise<SheetTable> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) return { header: null, rows: [] };
  const numbered: SheetTable['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = oldCellText(cell.value);
    });
    numbered.push({ row: rowNumber, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  const [header, ...rows] = numbered;
  return { header: header ?? null, rows };
}

function oldCellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$|Z$/, '');
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return oldCellText((value.result ?? null) as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

/** Rows as dense arrays without trailing empty cells: a hole and an empty cell read alike. */
function normalised(table: SheetTable) {
  const dense = (cells: string[]) => {
    const out = Array.from(cells, (cell) => cell ?? '');
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  };
  const row = (r: SheetTable['rows'][number]) => ({ row: r.row, cells: dense(r.cells) });
  return { header: table.header && row(table.header), rows: table.rows.map(row) };
}


const STYLES =
  `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="[Red]0.00"/></numFmts>' +
  '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
  '<cellXfs count="6"><xf numFmtId="14"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="4"/><xf numFmtId="0"/><xf numFmtId="165"/></cellXfs>' +
  '</styleSheet>';

const SHARED = [
  '<si><t>title</t></si>',
  '<si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space="preserve"> ch_x0041_</t></r></si>',
  '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>',
  '<si><t>tab_x0009_here</t></si>',
  '<si><t></t></si>',
  '<si><t xml:space="preserve">  padded  </t></si>',
];

/** One cell of each kind the old reader knew, and rows it skipped. */
const KINDS_SHEET =
  SHEET_OPEN +
  '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>' +
  '<row r="2">' +
  '<c r="A2" t="inlineStr"><is><t>inline _x0041_</t></is></c>' +
  '<c r="B2" t="inlineStr"><is><r><t>r1_x0041_</t></r><r><rPr><i/></rPr><t>r2</t></r></is></c>' +
  '<c r="C2" t="str"><v>a &amp;amp; b</v></c>' +
  '<c r="D2" t="e"><v>#DIV/0!</v></c>' +
  '<c r="E2" t="b"><v>0</v></c><c r="F2" t="b"><v>1</v></c>' +
  '<c r="G2"><v>1.50</v></c><c r="H2"><v>1E3</v></c><c r="I2" t="n"><v>-0.25</v></c>' +
  '<c r="J2" s="1"><v>46387.375</v></c><c r="K2" s="2"><v>46387.5</v></c><c r="L2" s="3"><v>46387</v></c>' +
  '<c r="M2" s="0"><v>46387</v></c><c r="N2" s="5"><v>7</v></c>' +
  '<c r="O2"><f>1+1</f><v>2</v></c><c r="P2" t="str"><f>A1</f><v>x &amp;lt; y</v></c><c r="Q2" t="b"><f>TRUE()</f><v>1</v></c>' +
  '<c r="R2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="S2"><f>NOW()</f></c><c r="T2" s="1"><f>TODAY()</f><v>46387</v></c>' +
  '<c r="U2"><f t="shared" ref="U2:V2" si="0">1+2</f><v>3</v></c><c r="V2"><f t="shared" si="0"/><v>4</v></c>' +
  '<c r="W2" s="4"/><c r="X2" t="s"><v>5</v></c><c r="Y2" t="s"><v>4</v></c>' +
  '<c r="Z2" t="inlineStr"><is><t xml:space="preserve">  pad  </t></is></c>' +
  '</row>' +
  '<row r="3"><c r="A3" s="4"/><c r="B3" s="1"/></row>' +
  '<row r="4"/>' +
  '<row r="5"><c r="A5" t="s"><v>4</v></c></row>' +
  '<row r="7"><c r="XFD7" t="inlineStr"><is><t>far right</t></is></c></row>' +
  '<row r="9"><c r="A9" t="inlineStr"><is><t>merged down and across</t></is></c></row>' +
  '<row r="12"><c r="C12" t="inlineStr"><is><t>under the merge</t></is></c></row>' +
  '</sheetData><mergeCells count="2"><mergeCell ref="A9:B11"/><mergeCell ref="D12:D13"/></mergeCells>' +
  SHEET_CLOSE.replace('</sheetData>', '');

describe(readXlsxTable.name, () => {
  describe('reads honest workbooks as the exceljs reader did', () => {
    it('a workbook written by exceljs (shared strings, numbers, booleans, a date, formulas, rich text, a link, an error, merged cells)', async () => {
      // given
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Findings');
      sheet.addRow(['title', '描述', 'category']);
      sheet.addRow([42, 3.5, true, new Date(Date.UTC(2026, 11, 31, 9, 0, 0)), { formula: 'A1&B1', result: 'x' }, { formula: '1+1', result: 2 }]);
      sheet.addRow([{ richText: [{ text: 'a', font: { bold: true } }, { text: 'b' }] }, { text: 'site', hyperlink: 'https://example.org' }, { error: '#N/A' }, '  padded  ']);
      sheet.mergeCells('A5:B6');
      sheet.getCell('A5').value = 'merged';
      sheet.getCell('Z8').value = 'far';
      book.addWorksheet('Other').addRow(['not read']);
      const file = Buffer.from(await book.xlsx.writeBuffer());

      // when
      const table = await readXlsxTable(file, LIMITS);

      // then
      expect(normalised(table)).toEqual(normalised(await readWithExcelJs(file)));
      expect(normalised(table).rows[0].cells).toEqual(['42', '3.5', 'true', '2026-12-31T09:00:00', 'x', '2']);
    });

    it('every kind of cell: inline and shared strings, rich text, escapes, errors, booleans, numbers, date formats, cached formula results', async () => {
      // given
      const file = workbook({ sheets: [KINDS_SHEET], sharedStrings: `<sst xmlns="${MAIN}">${SHARED.join('')}</sst>`, styles: STYLES });

      // when
      const table = normalised(await readXlsxTable(file, LIMITS));

      // then
      expect(table).toEqual(normalised(await readWithExcelJs(file)));
      expect(table.header?.cells).toEqual(['title', 'ri chA', '漢字', 'tab\there']);
      expect(table.rows[0].cells).toEqual([
        'inline _x0041_', 'r1Ar2', 'a & b', '#DIV/0!', 'false', 'true', '1.5', '1000', '-0.25',
        '2026-12-31T09:00:00', '2026-12-31T12:00:00', '46387', '46387', '7',
        '2', 'x < y', 'true', '#DIV/0!', '', '2026-12-31T00:00:00', '3', '4', '', '  padded  ', '', '  pad  ',
      ]);
      expect(table.rows.map((row) => row.row)).toEqual([2, 5, 7, 9, 10, 11, 12, 13]);
      expect(table.rows[2].cells[16_383]).toBe('far right');
      expect(table.rows.slice(3, 6).map((row) => row.cells)).toEqual(Array(3).fill(['merged down and across', 'merged down and across']));
    });

    it('dates in the 1904 date system', async () => {
      const sheet = `${SHEET_OPEN}<row r="1"><c r="A1" s="1"><v>45000</v></c></row>${SHEET_CLOSE}`;
      const file = workbook({ sheets: [sheet], styles: STYLES, date1904: true });

      const table = normalised(await readXlsxTable(file, LIMITS));

      expect(table).toEqual(normalised(await readWithExcelJs(file)));
      expect(table.header?.cells).toEqual(['2027-03-16T00:00:00']);
    });

    it('the first sheet in tab order, found through the workbook relationships, skipping a chart sheet', async () => {
      // given tabs: a chart sheet, then sheet2.xml, then sheet1.xml
      const workbookXml =
        `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Chart" sheetId="3" r:id="rId9"/>` +
        '<sheet name="Second" sheetId="2" r:id="rId2"/><sheet name="First" sheetId="1" r:id="rId1"/></sheets></workbook>';
      const entries = workbook({
        sheets: [sheetXml([['one']]), sheetXml([['two']])],
        workbookXml,
        extraRels: [`<Relationship Id="rId9" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/>`],
        extra: [{ name: 'xl/chartsheets/sheet1.xml', content: `<chartsheet xmlns="${MAIN}"/>` }],
      });

      // when
      const table = await readXlsxTable(entries, LIMITS);

      // then
      expect(normalised(table)).toEqual(normalised(await readWithExcelJs(entries)));
      expect(table.header?.cells).toEqual(['two']);
    });

    it('inflates nothing but the first sheet: a second one that would inflate to 1 GiB is never read', async () => {
      // given a second sheet whose headers claim 1 KiB
      const bomb = generated([{ text: SHEET_OPEN }, { text: '<row r="1"/>'.repeat(87_381), times: 1024 }, { text: SHEET_CLOSE }], 1024);
      const file = workbook({ sheets: [sheetXml([['title'], ['found']]), bomb] });

      // when
      const table = normalised(await readXlsxTable(file, LIMITS));

      // then
      expect(table).toEqual({ header: { row: 1, cells: ['title'] }, rows: [{ row: 2, cells: ['found'] }] });
    });

    it('a workbook without sheets has no header (the import answers IMPORT.NO_ROWS)', async () => {
      const file = workbook({ sheets: [], workbookXml: `<workbook xmlns="${MAIN}"><sheets/></workbook>` });

      expect(await readXlsxTable(file, LIMITS)).toEqual({ header: null, rows: [] });
    });
  });

  it('also reads what exceljs could not: rows and cells without references, prefixed element names', async () => {
    const sheet =
      `<x:worksheet xmlns:x="${MAIN}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>` +
      '<x:c t="inlineStr"><x:is><x:t>b</x:t></x:is></x:c></x:row><x:row><x:c><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>';

    const table = normalised(await readXlsxTable(workbook({ sheets: [sheet] }), LIMITS));

    expect(table).toEqual({ header: { row: 1, cells: ['a', 'b'] }, rows: [{ row: 2, cells: ['1'] }] });
  });

  it.each([
    ['yyyy-mm-dd', true],
    ['[$-804]yyyy"年"m"月"d"日"', true],
    ['h:mm', true],
    ['General', false],
    ['0.00', false],
    ['[Red]0.00', false],
    ['"d"0', false],
  ])('format %s is a date format: %s', (format, date) => {
    expect(isDateFormat(format)).toBe(date);
  });

  describe('refuses while reading, with small limits', () => {
    const small = (overrides: Partial<ImportLimits>): ImportLimits => ({ ...LIMITS, ...overrides });
    const rows = (count: number, value: (r: number) => string = (r) => `v${r}`) =>
      sheetXml([['title'], ...Array.from({ length: count }, (_, i) => [value(i + 2)])]);

    it.each([
      {
        name: 'more rows of findings than IMPORT_MAX_ROWS',
        file: () => workbook({ sheets: [rows(5)] }),
        limits: { maxRows: 3 },
        code: 'IMPORT.TOO_MANY_ROWS',
        details: { rows: 4, maxRows: 3 },
      },
      {
        name: 'more cells than IMPORT_MAX_CELLS',
        file: () => workbook({ sheets: [sheetXml([Array.from({ length: 11 }, (_, i) => `c${i}`)])] }),
        limits: { maxCells: 10 },
        code: 'IMPORT.TOO_MANY_CELLS',
        details: { cells: 11, maxCells: 10 },
      },
      {
        name: 'a merged range covering more cells than IMPORT_MAX_CELLS',
        file: () => workbook({ sheets: [`${SHEET_OPEN}${rowXml(1, ['x'])}</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`] }),
        limits: {},
        code: 'IMPORT.TOO_MANY_CELLS',
        details: { maxCells: 200_000 },
      },
      {
        name: 'an inline cell longer than IMPORT_MAX_CELL_CHARS',
        file: () => workbook({ sheets: [sheetXml([['title'], ['ok', 'x'.repeat(11)]])] }),
        limits: { maxCellChars: 10 },
        code: 'IMPORT.CELL_TOO_LONG',
        details: { cell: 'B2', chars: 11, maxCellChars: 10 },
      },
      {
        name: 'rich-text runs adding up to more than IMPORT_MAX_CELL_CHARS',
        file: () => workbook({ sheets: [`${SHEET_OPEN}<row r="1"><c r="C1" t="inlineStr"><is><r><t>123456</t></r><r><t>789012</t></r></is></c></row>${SHEET_CLOSE}`] }),
        limits: { maxCellChars: 10 },
        code: 'IMPORT.CELL_TOO_LONG',
        details: { cell: 'C1', maxCellChars: 10 },
      },
      {
        name: 'a shared string longer than IMPORT_MAX_CELL_CHARS',
        file: () => workbook({ sheets: [sheetXml([['title']])], sharedStrings: sharedStringsXml(['short', 'x'.repeat(11)]) }),
        limits: { maxCellChars: 10 },
        code: 'IMPORT.CELL_TOO_LONG',
        details: { text: 'shared string 1 (in xl/sharedStrings.xml)', chars: 11 },
      },
      {
        name: 'more shared strings than IMPORT_MAX_SHARED_STRINGS',
        file: () => workbook({ sheets: [sheetXml([['title']])], sharedStrings: sharedStringsXml(['a', 'b', 'c']) }),
        limits: { maxSharedStrings: 2 },
        code: 'IMPORT.TOO_MANY_SHARED_STRINGS',
        details: { sharedStrings: 3, maxSharedStrings: 2 },
      },
      {
        name: 'shared strings longer in all than IMPORT_MAX_SHARED_STRING_CHARS',
        file: () => workbook({ sheets: [sheetXml([['title']])], sharedStrings: sharedStringsXml(['12345', '67890', 'x']) }),
        limits: { maxSharedStringChars: 10 },
        code: 'IMPORT.SHARED_STRINGS_TOO_LARGE',
        details: { sharedStringChars: 11, maxSharedStringChars: 10 },
      },
      {
        name: 'more sheet parts than IMPORT_MAX_SHEETS',
        file: () => workbook({ sheets: [sheetXml([['a']]), sheetXml([['b']]), sheetXml([['c']])] }),
        limits: { maxSheets: 2 },
        code: 'IMPORT.TOO_MANY_SHEETS',
        details: { sheets: 3, maxSheets: 2 },
      },
      {
        name: 'a workbook.xml listing more sheets than IMPORT_MAX_SHEETS',
        file: () =>
          workbook({
            sheets: [sheetXml([['a']])],
            workbookXml: `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${[1, 2, 3].map((n) => `<sheet name="S${n}" sheetId="${n}" r:id="rId1"/>`).join('')}</sheets></workbook>`,
          }),
        limits: { maxSheets: 2 },
        code: 'IMPORT.TOO_MANY_SHEETS',
        details: { sheets: 3, maxSheets: 2 },
      },
    ])('$name → $code', async ({ file, limits, code, details }) => {
      const error = await refusal(() => readXlsxTable(file(), small(limits)));

      expect(error.code).toBe(code);
      expect(error.details).toMatchObject(details);
    });

    it('blank rows are not rows of findings', async () => {
      const file = workbook({ sheets: [rows(6, (r) => (r % 2 === 0 ? 'finding' : ' '))] });

      const table = await readXlsxTable(file, small({ maxRows: 3 }));

      expect(table.rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''))).toHaveLength(3);
    });
  });

  it.each([
    ['no xl/workbook.xml', () => zip(workbookEntries({ sheets: [sheetXml([['a']])] }).filter((entry) => entry.name !== 'xl/workbook.xml'))],
    ['a cell outside the grid', () => workbook({ sheets: [`${SHEET_OPEN}<row r="1"><c r="XFE1"><v>1</v></c></row>${SHEET_CLOSE}`] })],
    ['a row outside the grid', () => workbook({ sheets: [`${SHEET_OPEN}<row r="1048577"><c><v>1</v></c></row>${SHEET_CLOSE}`] })],
    ['a shared string that does not exist', () => workbook({ sheets: [`${SHEET_OPEN}<row r="1"><c r="A1" t="s"><v>7</v></c></row>${SHEET_CLOSE}`], sharedStrings: sharedStringsXml(['a']) })],
    ['a sheet that is not XML', () => workbook({ sheets: ['PK not xml at all'] })],
  ])('%s → IMPORT.UNSUPPORTED_FILE', async (_name, file) => {
    expect((await refusal(() => readXlsxTable(file(), LIMITS))).code).toBe('IMPORT.UNSUPPORTED_FILE');
  });
});

// Keeps the column helper of the writer honest, since the cases above rely on it.
it('columnName counts like Excel', () => {
  expect([1, 26, 27, 702, 703, 16_384].map(columnName)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA', 'XFD']);
});
