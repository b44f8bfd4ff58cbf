import { describe, expect, it } from '@jest/globals';
import { DEFAULT_IMPORT_OPTIONS } from '#config';
import { FINDINGS_HEADER, SHEET_CLOSE, SHEET_OPEN, rowXml, workbook } from '#test/support/workbook-writer.js';
import { readFindingsFile } from './findings-file.js';
import type { ImportLimits } from './import-limits.js';
import { refusal } from '#test/support/refusal.js';

const LIMITS: ImportLimits = DEFAULT_IMPORT_OPTIONS;
const HEADER = FINDINGS_HEADER.join(',');


describe(readFindingsFile.name, () => {
  describe('CSV', () => {
    it('keeps every row at the number the file shows it under, across blank lines and multi-line cells', async () => {
      // given a BOM, a blank line, a cell spanning two lines and a blank row of commas
      const csv = `\uFEFF${HEADER}\r\nA,d,c,minor,l,r\r\n\r\n"B","two\nlines",c,major,l,r\r\n,,,,,\r\n 重大 , x ,c,重大,l,r\r\n`;

      // when
      const { format, rows } = await readFindingsFile(Buffer.from(csv), LIMITS);

      // then
      expect(format).toBe('csv');
      expect(rows.map((row) => [row.row, row.values.title, row.values.description])).toEqual([
        [2, 'A', 'd'],
        [4, 'B', 'two\nlines'],
        [6, '重大', 'x'],
      ]);
    });

    it.each([
      {
        name: 'more rows of findings than IMPORT_MAX_ROWS',
        csv: () => `${HEADER}\n${'a,b,c,minor,l,r\n\n'.repeat(4)}`,
        limits: { maxRows: 3 },
        code: 'IMPORT.TOO_MANY_ROWS',
        details: { rows: 4, maxRows: 3 },
      },
      {
        name: 'more fields than IMPORT_MAX_CELLS, blank lines included',
        csv: () => `${HEADER}\n${'\n'.repeat(10)}`,
        limits: { maxCells: 10 },
        code: 'IMPORT.TOO_MANY_CELLS',
        details: { cells: 11, maxCells: 10 },
      },
      {
        name: 'a field longer than IMPORT_MAX_CELL_CHARS',
        csv: () => `${HEADER}\na,b,c,minor,l,r\na,${'x'.repeat(13)},c,minor,l,r\n`,
        limits: { maxCellChars: 12 },
        code: 'IMPORT.CELL_TOO_LONG',
        details: { cell: 'B3', chars: 13, maxCellChars: 12 },
      },
      {
        name: '5 MiB of line breaks (with the default limits)',
        csv: () => '\n'.repeat(5 * 1024 * 1024),
        limits: {},
        code: 'IMPORT.TOO_MANY_CELLS',
        details: { cells: 200_001 },
      },
      {
        name: '5 MiB of commas on one line (with the default limits)',
        csv: () => ','.repeat(5 * 1024 * 1024),
        limits: {},
        code: 'IMPORT.TOO_MANY_CELLS',
        details: { maxCells: 200_000 },
      },
    ])('$name → $code', async ({ csv, limits, code, details }) => {
      const error = await refusal(() => readFindingsFile(Buffer.from(csv()), { ...LIMITS, ...limits }));

      expect(error.code).toBe(code);
      expect(error.details).toMatchObject(details);
    });

    it('counts no field in the commas of a quoted cell', async () => {
      const csv = `${HEADER}\n"a,b,c,d,e,f,g,h,i,j",d,c,minor,l,r\n`;

      const { rows } = await readFindingsFile(Buffer.from(csv), { ...LIMITS, maxCells: 12 });

      expect(rows[0].values.title).toBe('a,b,c,d,e,f,g,h,i,j');
    });

    it('echoes at most 20 unknown header cells, each shortened to 100 characters', async () => {
      const header = [...FINDINGS_HEADER, ...Array.from({ length: 30 }, (_, i) => `${i}${'u'.repeat(500)}`)].join(',');

      const error = await refusal(() => readFindingsFile(Buffer.from(`${header}\na\n`), LIMITS));

      expect(error.code).toBe('IMPORT.INVALID_HEADER');
      const unknown = error.details?.unknown as string[];
      expect(unknown).toHaveLength(20);
      expect(unknown.every((name) => name.length === 101 && name.endsWith('…'))).toBe(true);
    });
  });

  describe('XLSX', () => {
    it('reads the first sheet into numbered rows, trimmed, blank rows skipped', async () => {
      const sheet = `${SHEET_OPEN}${rowXml(1, [...FINDINGS_HEADER, '编号'])}${rowXml(2, [' Exit ', 'd', 'c', '重大', 'l', 'r', 'K-1'])}${rowXml(3, [' '])}${rowXml(5, ['B', 'd', 'c', 'minor', 'l', 'r'])}${SHEET_CLOSE}`;

      const { format, rows } = await readFindingsFile(workbook({ sheets: [sheet] }), LIMITS);

      expect(format).toBe('xlsx');
      expect(rows).toEqual([
        { row: 2, values: { title: 'Exit', description: 'd', category: 'c', severity: '重大', location: 'l', requirement: 'r', key: 'K-1' } },
        { row: 5, values: { title: 'B', description: 'd', category: 'c', severity: 'minor', location: 'l', requirement: 'r' } },
      ]);
    });

    it('counts the rows a merged range fills in against IMPORT_MAX_ROWS', async () => {
      // given two findings, the second's cells merged down over two more rows
      const sheet = `${SHEET_OPEN}${rowXml(1, FINDINGS_HEADER)}${rowXml(2, ['a', 'd', 'c', 'minor', 'l', 'r'])}${rowXml(3, ['b', 'd', 'c', 'minor', 'l', 'r'])}</sheetData><mergeCells><mergeCell ref="A3:A5"/></mergeCells></worksheet>`;

      // when
      const error = await refusal(() => readFindingsFile(workbook({ sheets: [sheet] }), { ...LIMITS, maxRows: 3 }));

      // then
      expect({ code: error.code, details: error.details }).toEqual({ code: 'IMPORT.TOO_MANY_ROWS', details: { rows: 4, maxRows: 3 } });
    });
  });
});
