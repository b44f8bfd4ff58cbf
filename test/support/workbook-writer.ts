import { type BodyPart, deflatedRepeat, zip, type ZipEntry } from './zip-writer.js';

/**
 * Minimal XLSX workbooks written part by part, for the import's reader: honest ones with exactly the XML a test
 * needs, and the hostile shapes of issue 11 (decompression bombs, lying headers, entity tricks), all generated.
 */
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

export const SHEET_OPEN = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>`;
export const SHEET_CLOSE = '</sheetData></worksheet>';

/** A part's body: XML text, or a generated deflate stream (`bodyOf`), optionally with a size that lies. */
export type PartBody = string | Omit<ZipEntry, 'name'>;

export interface WorkbookParts {
  /** The worksheets, in tab order; each body is a whole sheet XML. */
  sheets: PartBody[];
  sharedStrings?: PartBody;
  styles?: PartBody;
  date1904?: boolean;
  /** Replaces the generated xl/workbook.xml. */
  workbookXml?: string;
  /** More relationships of the workbook (xl/_rels/workbook.xml.rels), as XML elements. */
  extraRels?: string[];
  /** More entries (media, or many of anything). */
  extra?: ZipEntry[];
}

export function workbook(parts: WorkbookParts): Buffer {
  return zip(workbookEntries(parts));
}

export function workbookEntries(parts: WorkbookParts): ZipEntry[] {
  const sheetRels = parts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  const otherRels = [
    parts.sharedStrings === undefined ? '' : `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`,
    parts.styles === undefined ? '' : `<Relationship Id="rIdY" Type="${REL}/styles" Target="styles.xml"/>`,
  ];
  const sheets = parts.sheets.map((_, i) => `<sheet name="Sheet${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const entries: ZipEntry[] = [
    { name: '[Content_Types].xml', content: contentTypes(parts) },
    {
      name: '_rels/.rels',
      content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PACKAGE_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      content:
        parts.workbookXml ??
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}">` +
          `${parts.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets>${sheets}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PACKAGE_REL}">${[...sheetRels, ...otherRels, ...(parts.extraRels ?? [])].join('')}</Relationships>`,
    },
    ...parts.sheets.map((body, i) => entryOf(`xl/worksheets/sheet${i + 1}.xml`, body)),
  ];
  if (parts.sharedStrings !== undefined) entries.push(entryOf('xl/sharedStrings.xml', parts.sharedStrings));
  if (parts.styles !== undefined) entries.push(entryOf('xl/styles.xml', parts.styles));
  return [...entries, ...(parts.extra ?? [])];
}

function entryOf(name: string, body: PartBody): ZipEntry {
  return typeof body === 'string' ? { name, content: body } : { name, ...body };
}

function contentTypes(parts: WorkbookParts): string {
  const overrides = parts.sheets.map(
    (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    `${overrides.join('')}</Types>`
  );
}

/** A sheet of inline-string cells: `rows[i][j]` goes to row i+1, column j+1. */
export function sheetXml(rows: string[][]): string {
  return `${SHEET_OPEN}${rows.map((cells, i) => rowXml(i + 1, cells)).join('')}${SHEET_CLOSE}`;
}

export function rowXml(row: number, cells: string[]): string {
  return `<row r="${row}">${cells.map((value, j) => (value === '' ? '' : inlineCell(`${columnName(j + 1)}${row}`, value))).join('')}</row>`;
}

export function inlineCell(ref: string, value: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
}

export function sharedStringsXml(strings: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings
    .map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`)
    .join('')}</sst>`;
}

export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A part generated as a deflate stream (a bomb's body), optionally declaring a size it does not have. */
export function generated(parts: BodyPart[], declaredSize?: number): Omit<ZipEntry, 'name'> {
  return { deflated: deflatedRepeat(parts), ...(declaredSize === undefined ? {} : { declaredSize }) };
}

const MiB = 1024 * 1024;

/** The header row every findings file starts with. */
export const FINDINGS_HEADER = ['title', 'description', 'category', 'severity', 'location', 'requirement'];

/** The hostile shapes, each a whole workbook of at most a few MiB. */
export const bombs = {
  /** Issue 11's file: several sheets, each a single cell that inflates to `cellMiB` of one letter, sizes honest. */
  sheetsOfOneHugeCell(sheets: number, cellMiB: number): Buffer {
    const sheet = generated(hugeCell(cellMiB));
    return workbook({ sheets: Array.from({ length: sheets }, () => sheet) });
  },

  /** One cell of `cellMiB`, in a sheet whose headers claim it inflates to 1 KiB. */
  oneHugeCellLying(cellMiB: number): Buffer {
    return workbook({ sheets: [generated(hugeCell(cellMiB), 1024)] });
  },

  /** A sheet of `mib` MiB of valid, empty rows, declaring 1 KiB: only counting the inflated bytes stops it. */
  lyingBlankRows(mib: number): Buffer {
    const row = '<row r="1"/>'.repeat(87_381); // ~1 MiB
    return workbook({ sheets: [generated([{ text: SHEET_OPEN }, { text: row, times: mib }, { text: SHEET_CLOSE }], 1024)] });
  },

  /** `sheets` tiny worksheets. */
  manySheets(sheets: number): Buffer {
    return workbook({ sheets: Array.from({ length: sheets }, () => sheetXml([FINDINGS_HEADER])) });
  },

  /** `entries` tiny entries beside a one-sheet workbook. */
  manyEntries(entries: number): Buffer {
    const extra = Array.from({ length: entries }, (_, i) => ({ name: `xl/media/image${i + 1}.png`, content: 'x', store: true }));
    return workbook({ sheets: [sheetXml([FINDINGS_HEADER])], extra });
  },

  /** A header row then `rows` rows of one short cell each (every row a finding, as far as counting goes). */
  manyTinyRows(rows: number): Buffer {
    let xml = `${SHEET_OPEN}${rowXml(1, FINDINGS_HEADER)}`;
    for (let r = 2; r <= rows + 1; r += 1) xml += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${r}</t></is></c></row>`;
    return workbook({ sheets: [`${xml}${SHEET_CLOSE}`] });
  },

  /** A header row then rows of `perRow` empty-string cells: few findings, many cells. */
  manyCells(rows: number, perRow: number): Buffer {
    let xml = `${SHEET_OPEN}${rowXml(1, FINDINGS_HEADER)}`;
    for (let r = 2; r <= rows + 1; r += 1) {
      xml += `<row r="${r}">`;
      for (let c = 1; c <= perRow; c += 1) xml += `<c r="${columnName(c)}${r}" s="1"/>`;
      xml += '</row>';
    }
    return workbook({ sheets: [`${xml}${SHEET_CLOSE}`] });
  },

  /** A sharedStrings.xml of `count` distinct short strings (a sheet that uses the first few). */
  hugeSharedStrings(count: number): Buffer {
    const strings = Array.from({ length: count }, (_, i) => `s${i}`);
    const header = FINDINGS_HEADER.map((_, i) => `<c r="${columnName(i + 1)}1" t="s"><v>${i}</v></c>`).join('');
    strings.splice(0, FINDINGS_HEADER.length, ...FINDINGS_HEADER);
    return workbook({ sheets: [`${SHEET_OPEN}<row r="1">${header}</row>${SHEET_CLOSE}`], sharedStrings: sharedStringsXml(strings) });
  },

  /** Elements nested `depth` deep inside a cell. */
  deeplyNested(depth: number): Buffer {
    return workbook({ sheets: [`${SHEET_OPEN}<row r="1"><c r="A1">${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</c></row>${SHEET_CLOSE}`] });
  },

  /** "Billion laughs": entities defined in a DOCTYPE, each ten of the one before. */
  entityExpansion(): Buffer {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const doctype = `<!DOCTYPE worksheet [<!ENTITY lol0 "lol">${levels}]>`;
    const xml = `<?xml version="1.0"?>${doctype}<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>`;
    return workbook({ sheets: [xml] });
  },
};

function hugeCell(mib: number): BodyPart[] {
  return [
    { text: `${SHEET_OPEN}<row r="1"><c r="A1" t="inlineStr"><is><t>` },
    { text: 'A'.repeat(MiB), times: mib },
    { text: `</t></is></c></row>${SHEET_CLOSE}` },
  ];
}
