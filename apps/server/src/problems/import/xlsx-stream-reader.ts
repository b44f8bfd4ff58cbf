import { posix } from 'node:path';
import { BoundedZip } from './bounded-zip.js';
import { attributeNamed, readXmlPart, type XmlHandlers } from './bounded-xml.js';
import {
  cellTooLong,
  type ImportLimits,
  MAX_CELL_FORMATS,
  MAX_NUMBER_FORMATS,
  MAX_SHEET_COLUMN,
  MAX_SHEET_ROW,
  sharedStringsTooLarge,
  tooManyCells,
  tooManyRows,
  tooManySharedStrings,
  tooManySheets,
  unreadableWorkbook,
} from './import-limits.js';

/** A sheet as rows of cell texts; `cells` is sparse (a hole is an empty cell), indexed by column - 1. */
export interface SheetRow {
  row: number;
  cells: string[];
}

export interface SheetTable {
  /** The first row holding a value (the header), or null for a workbook without a readable sheet. */
  header: SheetRow | null;
  rows: SheetRow[];
}

/**
 * Reads the first sheet of an .xlsx workbook as cell texts, streaming: the archive is inflated part by part and
 * each part parsed by SAX as it inflates, every bound of ImportLimits checked on the way. What it reads: the
 * workbook (sheets in tab order, the 1904 date system), its relationships (to find the first sheet's part), the
 * styles (which cell formats are dates), the shared strings, then that one sheet. Nothing else is inflated.
 *
 * Cell texts are those exceljs gave the import before (xlsx-stream-reader.spec.ts compares the two): strings as
 * written (shared, inline, rich text joined), numbers as JavaScript writes them, booleans as true/false, errors as
 * #N/A etc., a formula as its cached result, a number in a date format as an ISO date-time without a zone, and a
 * merged range's value in each of its cells.
 */
export async function readXlsxTable(content: Buffer, limits: ImportLimits): Promise<SheetTable> {
  const zip = await BoundedZip.open(content, limits);
  try {
    const sheetParts = zip.names().filter((name) => /^xl\/(?:work|chart|dialog|macro)sheets\/[^/]+\.xml$/.test(name)).length;
    if (sheetParts > limits.maxSheets) throw tooManySheets(sheetParts, limits.maxSheets);
    if (!zip.has(WORKBOOK)) throw unreadableWorkbook(`it has no ${WORKBOOK}`);
    const workbook = await readWorkbook(zip, limits);
    const rels = zip.has(WORKBOOK_RELS) ? await readRelationships(zip, new Set(workbook.sheets)) : new Map<string, Relationship>();
    const sheetPart = workbook.sheets
      .map((id) => rels.get(id))
      .filter((rel): rel is Relationship => rel !== undefined && rel.type.endsWith('/worksheet'))
      .map((rel) => resolvePart(rel.target))
      .find((part): part is string => part !== null && zip.has(part));
    if (sheetPart === undefined) return { header: null, rows: [] };
    const partOf = (type: string, fallback: string) => {
      const rel = [...rels.values()].find((candidate) => candidate.type.endsWith(type));
      const part = rel ? resolvePart(rel.target) : fallback;
      return part !== null && zip.has(part) ? part : null;
    };
    const stylesPart = partOf('/styles', 'xl/styles.xml');
    const sharedStringsPart = partOf('/sharedStrings', 'xl/sharedStrings.xml');
    const dateFormats = stylesPart ? await readDateFormats(zip, stylesPart, limits) : [];
    const sharedStrings = sharedStringsPart ? await readSharedStrings(zip, sharedStringsPart, limits) : [];
    return await readSheet(zip, sheetPart, { sharedStrings, dateFormats, date1904: workbook.date1904 }, limits);
  } finally {
    zip.close();
  }
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';

/** Tracks the open elements of a part (bounded by MAX_XML_DEPTH) so that handlers can ask where they are. */
class Path {
  private readonly names: string[] = [];
  open(name: string): void {
    this.names.push(name);
  }
  close(): void {
    this.names.pop();
  }
  /** The element that contains the one just opened. */
  get parent(): string | undefined {
    return this.names[this.names.length - 2];
  }
  within(name: string): boolean {
    return this.names.includes(name);
  }
}

function xmlBounds(limits: ImportLimits, where: () => { cell: string } | { text: string }) {
  // A `_x0041_` escape is 7 characters for 1: text is measured decoded, bounded raw at 8 times that meanwhile.
  const maxNodeChars = 8 * limits.maxCellChars + 1024;
  return { maxNodeChars, nodeTooLong: (chars: number) => cellTooLong(where(), chars, limits.maxCellChars) };
}

// ---- xl/workbook.xml: the sheets in tab order (their relationship ids) and the date system.

async function readWorkbook(zip: BoundedZip, limits: ImportLimits): Promise<{ sheets: string[]; date1904: boolean }> {
  const sheets: string[] = [];
  let date1904 = false;
  const path = new Path();
  const handlers: XmlHandlers = {
    open(name, attributes) {
      path.open(name);
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name === 'sheet' && path.parent === 'sheets') {
        if (sheets.length + 1 > limits.maxSheets) throw tooManySheets(sheets.length + 1, limits.maxSheets);
        sheets.push(attributeNamed(attributes, 'id') ?? '');
      }
    },
    close: () => path.close(),
    text: () => undefined,
  };
  await readXmlPart(zip, WORKBOOK, handlers, xmlBounds(limits, () => ({ text: `a text in ${WORKBOOK}` })));
  return { sheets, date1904 };
}

// ---- xl/_rels/workbook.xml.rels: where the sheets, styles and shared strings are.

interface Relationship {
  type: string;
  target: string;
}

/** Keeps only the relationships of the workbook's sheets and those to styles and shared strings. */
async function readRelationships(zip: BoundedZip, sheetIds: ReadonlySet<string>): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  const handlers: XmlHandlers = {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
      const { Id: id = '', Type: type = '', Target: target = '' } = attributes;
      const wanted = sheetIds.has(id) || type.endsWith('/styles') || type.endsWith('/sharedStrings');
      if (wanted && !rels.has(id)) rels.set(id, { type, target });
    },
    close: () => undefined,
    text: () => undefined,
  };
  await readXmlPart(zip, WORKBOOK_RELS, handlers, {
    maxNodeChars: 64 * 1024,
    nodeTooLong: () => unreadableWorkbook(`its part ${WORKBOOK_RELS} holds a text longer than 65,536 characters`),
  });
  return rels;
}

/** A target relative to xl/ (or absolute in the package), as a part name; null when it leaves the package. */
function resolvePart(target: string): string | null {
  const trimmed = target.trim();
  const part = trimmed.startsWith('/') ? posix.normalize(trimmed.slice(1)) : posix.normalize(posix.join('xl', trimmed));
  return part.startsWith('../') || part.startsWith('/') || part === '..' ? null : part;
}

// ---- xl/styles.xml: which cell formats (the `s` of a cell) show numbers as dates.

/** Built-in number formats (ECMA-376 §18.8.30) as exceljs knows them; the others are not dates to it. */
const BUILT_IN_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??',
  14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
  22: 'm/d/yy "h":mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@',
};

/** A format shows a date when, outside quotes and brackets, it has a date or time letter (exceljs's rule). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

async function readDateFormats(zip: BoundedZip, part: string, limits: ImportLimits): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const formatIds: number[] = [];
  const path = new Path();
  const handlers: XmlHandlers = {
    open(name, attributes) {
      path.open(name);
      if (name === 'numFmt' && path.parent === 'numFmts') {
        if (custom.size >= MAX_NUMBER_FORMATS) throw unreadableWorkbook(`its ${part} defines more than ${MAX_NUMBER_FORMATS} number formats`);
        custom.set(Number.parseInt(attributes.numFmtId ?? '', 10), attributes.formatCode ?? '');
      }
      if (name === 'xf' && path.parent === 'cellXfs') {
        if (formatIds.length >= MAX_CELL_FORMATS) throw unreadableWorkbook(`its ${part} defines more than ${MAX_CELL_FORMATS} cell formats`);
        formatIds.push(Number.parseInt(attributes.numFmtId ?? '', 10) || 0);
      }
    },
    close: () => path.close(),
    text: () => undefined,
  };
  await readXmlPart(zip, part, handlers, xmlBounds(limits, () => ({ text: `a text in ${part}` })));
  // Format 0 (General) is never a date, whatever a custom entry says: exceljs skipped it.
  return formatIds.map((id) => id !== 0 && isDateFormat(custom.get(id) || BUILT_IN_FORMATS[id]));
}

// ---- xl/sharedStrings.xml: the strings cells of type "s" refer to by index.

/** Excel escapes characters XML cannot hold as _xHHHH_ in the text of shared strings and rich-text runs. */
function unescapeText(text: string): string {
  return text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function readSharedStrings(zip: BoundedZip, part: string, limits: ImportLimits): Promise<string[]> {
  const strings: string[] = [];
  let chars = 0;
  const path = new Path();
  let plain: string | undefined;
  let runs: string[] | undefined;
  let target: 'plain' | 'run' | null = null;
  let rawChars = 0;
  const where = () => ({ text: `shared string ${strings.length} (in ${part})` });
  const handlers: XmlHandlers = {
    open(name) {
      path.open(name);
      if (name === 'si') {
        plain = undefined;
        runs = undefined;
        rawChars = 0;
        if (strings.length + 1 > limits.maxSharedStrings) throw tooManySharedStrings(strings.length + 1, limits.maxSharedStrings);
      } else if (name === 'r' && path.parent === 'si') {
        (runs ??= []).push('');
      } else if (name === 't' && path.parent === 'si') {
        plain = '';
        target = 'plain';
      } else if (name === 't' && path.parent === 'r' && runs) {
        target = 'run';
      }
    },
    text(text) {
      if (target === null) return;
      rawChars += text.length;
      if (rawChars > 8 * limits.maxCellChars) throw cellTooLong(where(), rawChars, limits.maxCellChars);
      if (target === 'plain') plain += text;
      else if (runs) runs[runs.length - 1] += text;
    },
    close(name) {
      path.close();
      if (name === 't') target = null;
      if (name !== 'si') return;
      // Text outside <t> (phonetic guides, <rPh>) is not part of the string.
      const value = runs ? runs.map(unescapeText).join('') : unescapeText(plain ?? '');
      if (value.length > limits.maxCellChars) throw cellTooLong(where(), value.length, limits.maxCellChars);
      chars += value.length;
      if (chars > limits.maxSharedStringChars) throw sharedStringsTooLarge(chars, limits.maxSharedStringChars);
      strings.push(value);
    },
  };
  await readXmlPart(zip, part, handlers, xmlBounds(limits, where));
  return strings;
}

// ---- the sheet.

interface SheetContext {
  sharedStrings: readonly string[];
  /** By cell format index: whether a number in it is a date. */
  dateFormats: readonly boolean[];
  date1904: boolean;
}

interface PendingCell {
  ref: string;
  column: number;
  type: string | undefined;
  style: number;
  /** A formula cell (text in <f>, or a shared formula's <f t="shared">): its value is the cached result. */
  formula: boolean;
  /** The text of <v>, or of <t> directly in <is>. */
  value: string | undefined;
  /** Rich-text runs of an inline string. */
  runs: string[] | undefined;
  chars: number;
}

interface PendingRow extends SheetRow {
  /** Holds at least one cell with a value (or in a merged range): such rows are the sheet's rows. */
  counted: boolean;
  lastColumn: number;
}

interface KeptRow extends SheetRow {
  /** Holds a cell that is not blank: a finding, or the header. */
  filled: boolean;
}

async function readSheet(zip: BoundedZip, part: string, context: SheetContext, limits: ImportLimits): Promise<SheetTable> {
  const rows = new Map<number, KeptRow>();
  const merges: Array<{ top: number; left: number; bottom: number; right: number }> = [];
  let cells = 0;
  let filledRows = 0;
  let lastRow = 0;
  let row: PendingRow | null = null;
  let cell: PendingCell | null = null;
  let target: 'value' | 'formula' | 'run' | null = null;
  const path = new Path();

  const countCells = (more: number) => {
    cells += more;
    if (cells > limits.maxCells) throw tooManyCells(cells, limits.maxCells);
  };
  const drop = (number: number) => {
    if (rows.get(number)?.filled) filledRows -= 1;
    rows.delete(number);
  };
  // A later row with the same number replaces the earlier one. The header is a row too: more than maxRows + 1
  // filled rows is more than maxRows findings.
  const keep = (number: number, texts: string[]) => {
    drop(number);
    const filled = texts.some((text) => text.trim() !== '');
    rows.set(number, { row: number, cells: texts, filled });
    if (filled) filledRows += 1;
    if (filledRows > limits.maxRows + 1) throw tooManyRows(filledRows - 1, limits.maxRows);
  };

  const handlers: XmlHandlers = {
    open(name, attributes) {
      path.open(name);
      if (cell) {
        openInCell(name, attributes);
        return;
      }
      if (name === 'row' && path.parent === 'sheetData') {
        const number = attributes.r === undefined ? lastRow + 1 : strictInteger(attributes.r);
        if (number === null || number < 1 || number > MAX_SHEET_ROW) throw unreadableWorkbook(`a row of ${part} is numbered "${attributes.r}"`);
        lastRow = number;
        row = { row: number, cells: [], counted: false, lastColumn: 0 };
      } else if (name === 'c' && row) {
        countCells(1);
        const ref = attributes.r;
        const column = ref === undefined ? row.lastColumn + 1 : columnOf(ref);
        if (column === null || column > MAX_SHEET_COLUMN) throw unreadableWorkbook(`a cell of ${part} is at "${ref}", outside a sheet`);
        row.lastColumn = column;
        const style = attributes.s === undefined ? 0 : Number.parseInt(attributes.s, 10) || 0;
        cell = { ref: ref ?? `${columnName(column)}${row.row}`, column, type: attributes.t, style, formula: false, value: undefined, runs: undefined, chars: 0 };
      } else if (name === 'mergeCell' && path.parent === 'mergeCells') {
        const range = rangeOf(attributes.ref ?? '');
        if (range) {
          // Each cell of a merged range shows its value: counted before anything is filled in.
          countCells((range.bottom - range.top + 1) * (range.right - range.left + 1) - 1);
          merges.push(range);
        }
      }
    },
    text(text) {
      if (!cell || target === null) return;
      cell.chars += text.length;
      if (cell.chars > limits.maxCellChars) throw cellTooLong({ cell: cell.ref }, cell.chars, limits.maxCellChars);
      if (target === 'value') cell.value = (cell.value ?? '') + text;
      else if (target === 'formula') cell.formula = true;
      else if (cell.runs) cell.runs[cell.runs.length - 1] += text;
    },
    close(name) {
      path.close();
      if (cell && name === 'c') {
        const text = cellText(cell, context, part);
        if (text !== null && row) {
          row.cells[cell.column - 1] = text;
          row.counted = true;
        }
        cell = null;
        target = null;
      } else if (cell) {
        if (name === 'v' || name === 't' || name === 'f') target = null;
      } else if (name === 'row' && row) {
        if (row.counted) keep(row.row, row.cells);
        else drop(row.row);
        row = null;
      }
    },
  };

  const openInCell = (name: string, attributes: Readonly<Record<string, string>>) => {
    if (!cell) return;
    if (name === 'f') {
      if (attributes.t !== undefined) cell.formula = true;
      target = 'formula';
    } else if (name === 'v') {
      target = 'value';
    } else if (name === 'r' && path.parent === 'is') {
      (cell.runs ??= []).push('');
      target = null;
    } else if (name === 't' && path.parent === 'is') {
      target = 'value';
    } else if (name === 't' && path.parent === 'r' && cell.runs) {
      target = 'run';
    }
  };

  await readXmlPart(zip, part, handlers, xmlBounds(limits, () => (cell ? { cell: cell.ref } : { text: `a text in ${part}` })));

  for (const { top, left, bottom, right } of merges) {
    const value = rows.get(top)?.cells[left - 1] ?? '';
    for (let r = top; r <= bottom; r += 1) {
      if (r === top && right === left) continue;
      // slice() keeps the holes of a sparse row.
      const texts = rows.get(r)?.cells.slice() ?? [];
      for (let c = left; c <= right; c += 1) if (r !== top || c !== left) texts[c - 1] = value;
      keep(r, texts);
    }
  }
  const ordered = [...rows.values()].sort((a, b) => a.row - b.row).map(({ row: number, cells: texts }) => ({ row: number, cells: texts }));
  const [header, ...rest] = ordered;
  return { header: header ?? null, rows: rest };
}

/**
 * The text of a cell as the import has always read it, or null when the cell holds no value (only a format).
 * Mirrors exceljs 4's CellXform and the old cellText: see the cases in xlsx-stream-reader.spec.ts.
 */
function cellText(cell: PendingCell, context: SheetContext, part: string): string | null {
  const { type, value } = cell;
  if (cell.formula) {
    if (!value) return '';
    if (type === 'str') return xmlDecode(value);
    if (type === 'b') return String(Number.parseInt(value, 10) !== 0);
    if (type === 'e') return value;
    return numberText(Number.parseFloat(value), cell.style, context);
  }
  if (cell.runs) return cell.runs.map(unescapeText).join('');
  if (value === undefined) return null;
  switch (type) {
    case 's': {
      const text = context.sharedStrings[Number.parseInt(value, 10)];
      if (text === undefined) throw unreadableWorkbook(`cell ${cell.ref} of ${part} refers to shared string "${value}", which the workbook does not have`);
      return text;
    }
    case 'str':
      return xmlDecode(value);
    case 'inlineStr':
    case 'e':
      return value;
    case 'b':
      return String(Number.parseInt(value, 10) !== 0);
    default:
      return numberText(Number.parseFloat(value), cell.style, context);
  }
}

/** A number as JavaScript writes it; in a date format, the date-time it stands for, without a zone (none is known). */
function numberText(value: number, style: number, context: SheetContext): string {
  if (style > 0 && context.dateFormats[style]) {
    const date = new Date(Math.round((value - 25569 + (context.date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
    // Without a zone it fails the deadline rule with its usual message; beyond the Date range it stays a number.
    if (!Number.isNaN(date.getTime())) return date.toISOString().replace(/\.000Z$|Z$/, '');
  }
  return String(value);
}

/** exceljs decoded the five XML entities once more in text-typed results ("str"); kept so that files read alike. */
function xmlDecode(text: string): string {
  const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&quot;': '"' };
  return text.replace(/&([a-z]*);/g, (entity) => entities[entity] ?? entity);
}

function strictInteger(text: string): number | null {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** The column number of a cell reference such as B7 or $AB$12; null when it is not one. */
function columnOf(ref: string): number | null {
  const match = /^\$?([A-Za-z]{1,3})\$?\d{0,9}$/.exec(ref.trim());
  if (!match) return null;
  let column = 0;
  for (const letter of match[1].toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column;
}

function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function rangeOf(ref: string): { top: number; left: number; bottom: number; right: number } | null {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim());
  if (!match) return null;
  const [left, right] = [columnOf(match[1]), columnOf(match[3])];
  const [top, bottom] = [Number(match[2]), Number(match[4])];
  if (left === null || right === null || left > right || top > bottom || top < 1) return null;
  if (right > MAX_SHEET_COLUMN || bottom > MAX_SHEET_ROW) return null;
  return { top, left, bottom, right };
}
