import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { DomainError } from '#domain';
import { cellTooLong, type ImportLimits, tooManyCells, tooManyRows } from './import-limits.js';
import { readXlsxTable } from './xlsx-stream-reader.js';

/**
 * Reading a findings file (bulk filing): CSV (UTF-8, with or without BOM) or XLSX (the first sheet). Headers may
 * be English or Chinese; each names one field of a single filing, plus the optional idempotency `key` (编号).
 * Rows keep the number the spreadsheet shows them under (the header is row 1).
 */
export const IMPORT_COLUMNS = {
  title: ['title', '标题'],
  description: ['description', '描述'],
  category: ['category', '类别'],
  severity: ['severity', '严重程度'],
  location: ['location', '位置'],
  requirement: ['requirement', '整改要求'],
  deadline: ['deadline', '整改期限'],
  key: ['key', '编号'],
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

const REQUIRED_COLUMNS: ImportColumn[] = ['title', 'description', 'category', 'severity', 'location', 'requirement'];

/** Chinese severity names as inspectors write them (轻微 / 一般 / 较大 / 重大). */
const SEVERITY_NAMES: Record<string, string> = { 轻微: 'minor', 一般: 'general', 较大: 'major', 重大: 'critical' };

export interface ImportedRow {
  /** The row number the spreadsheet shows (header = 1). */
  row: number;
  /** Trimmed cell values by column; empty cells are absent. */
  values: Partial<Record<ImportColumn, string>>;
}

export interface FindingsFile {
  format: 'csv' | 'xlsx';
  rows: ImportedRow[];
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/**
 * Reads a CSV or XLSX file into numbered rows; the format is recognised from the content, not the file name.
 * Size limits (ImportLimits) are checked while the file is read, and refused the moment one is crossed; the
 * header and the rows are checked once it is read.
 */
export async function readFindingsFile(content: Buffer, limits: ImportLimits): Promise<FindingsFile> {
  if (content.subarray(0, 4).equals(OLE_SIGNATURE)) {
    throw unsupported('This is an old Excel (.xls) file. Save it as .xlsx or as "CSV UTF-8" and import that.');
  }
  const isXlsx = content.subarray(0, 4).equals(ZIP_SIGNATURE);
  const table = isXlsx ? await readXlsxTable(content, limits) : csvTable(content, limits);
  const rows = toRows(table.header, table.rows);
  if (rows.length > limits.maxRows) throw tooManyRows(rows.length, limits.maxRows);
  return { format: isXlsx ? 'xlsx' : 'csv', rows };
}

/** Maps a severity cell to the API's value (Chinese names and any letter case accepted); others pass unchanged. */
export function normaliseSeverity(value: string): string {
  return SEVERITY_NAMES[value] ?? value.toLowerCase();
}

interface Table {
  header: { row: number; cells: string[] } | null;
  rows: Array<{ row: number; cells: string[] }>;
}

/**
 * csv-parse hands over one record at a time: each is checked against the limits and only rows holding something
 * are kept, so that a file of blank lines or of commas costs no more memory than its size.
 */
function csvTable(content: Buffer, limits: ImportLimits): Table {
  if (!isUtf8(content)) {
    throw unsupported('The file is neither an .xlsx workbook nor UTF-8 text. Save the sheet as "CSV UTF-8" (or .xlsx) and import that.');
  }
  // csv-parse takes microseconds a field: 5 MiB of commas would keep it busy for seconds before the first record.
  const fields = countCsvFields(content, limits.maxCells);
  if (fields > limits.maxCells) throw tooManyCells(fields, limits.maxCells);
  let header: Table['header'] = null;
  const rows: Table['rows'] = [];
  let record = 0;
  let cells = 0;
  const onRecord = (fields: string[]): null => {
    record += 1;
    cells += fields.length;
    if (cells > limits.maxCells) throw tooManyCells(cells, limits.maxCells);
    const long = fields.findIndex((field) => field.length > limits.maxCellChars);
    if (long !== -1) throw cellTooLong({ cell: `${columnName(long + 1)}${record}` }, fields[long].length, limits.maxCellChars);
    // Empty lines are counted (so that every record keeps its row number) but not kept.
    if (record === 1) header = { row: 1, cells: fields };
    else if (fields.some((field) => field.trim() !== '')) {
      if (rows.length + 1 > limits.maxRows) throw tooManyRows(rows.length + 1, limits.maxRows);
      rows.push({ row: record, cells: fields });
    }
    return null;
  };
  try {
    parse(content, { bom: true, relax_column_count: true, skip_empty_lines: false, on_record: onRecord });
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unsupported(`The CSV file cannot be read: ${(error as Error).message}`);
  }
  return { header, rows };
}

/**
 * The fields of a CSV file as csv-parse will read them (quotes, doubled quotes, \n, \r\n or \r line ends), counted
 * over the bytes, up to one more than `max`. UTF-8 continuation bytes are never a quote, comma or line end.
 */
function countCsvFields(content: Buffer, max: number): number {
  const QUOTE = 0x22;
  const COMMA = 0x2c;
  const LF = 0x0a;
  const CR = 0x0d;
  let fields = 0;
  let quoted = false;
  let atFieldStart = true;
  let pending = false;
  for (let i = 0; i < content.length; i += 1) {
    const byte = content[i];
    if (quoted) {
      if (byte === QUOTE) {
        if (content[i + 1] === QUOTE) i += 1;
        else quoted = false;
      }
      continue;
    }
    if (byte === QUOTE && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      pending = true;
    } else if (byte === COMMA || byte === LF || byte === CR) {
      fields += 1;
      if (fields > max) return fields;
      if (byte === CR && content[i + 1] === LF) i += 1;
      atFieldStart = true;
      pending = false;
    } else {
      atFieldStart = false;
      pending = true;
    }
  }
  return pending ? fields + 1 : fields;
}

function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function toRows(header: Table['header'], rows: Table['rows']): ImportedRow[] {
  if (!header || header.cells.every((cell) => cell.trim() === '')) {
    throw new DomainError('IMPORT.NO_ROWS', 'The file is empty: it needs a header row and at least one row of findings.');
  }
  const columns = header.cells.map((cell) => columnOf(cell));
  // Echoed in the answer: a few, shortened, whatever the header holds.
  const unknown = header.cells
    .filter((cell, index) => cell.trim() !== '' && columns[index] === null)
    .slice(0, 20)
    .map((cell) => (cell.trim().length > 100 ? `${cell.trim().slice(0, 100)}…` : cell.trim()));
  const present = new Set(columns.filter((column): column is ImportColumn => column !== null));
  const missing = REQUIRED_COLUMNS.filter((column) => !present.has(column));
  const repeated = [...present].filter((column) => columns.filter((c) => c === column).length > 1);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    throw new DomainError(
      'IMPORT.INVALID_HEADER',
      'The header row (row 1) must name the columns of a finding: ' +
        Object.values(IMPORT_COLUMNS).map((names) => names.join('/')).join(', ') +
        ' (deadline/整改期限 and key/编号 optional).',
      { unknown, missing, repeated },
    );
  }
  const result: ImportedRow[] = [];
  for (const { row, cells } of rows) {
    const values: Partial<Record<ImportColumn, string>> = {};
    cells.forEach((cell, index) => {
      const column = columns[index];
      const value = cell.trim();
      if (column && value !== '') values[column] = value;
    });
    // A row with nothing in it (a blank line) is not a finding.
    if (cells.some((cell) => cell.trim() !== '')) result.push({ row, values });
  }
  if (result.length === 0) throw new DomainError('IMPORT.NO_ROWS', 'The file has a header row but no findings under it.');
  return result;
}

function columnOf(header: string): ImportColumn | null {
  const name = header.trim().toLowerCase();
  for (const [column, names] of Object.entries(IMPORT_COLUMNS) as Array<[ImportColumn, readonly string[]]>) {
    if (names.includes(name)) return column;
  }
  return null;
}

function unsupported(message: string): DomainError {
  return new DomainError('IMPORT.UNSUPPORTED_FILE', message);
}
