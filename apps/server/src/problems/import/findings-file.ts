import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError } from '../../../../../libs/domain/src/index.js';

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

/** Reads a CSV or XLSX file into numbered rows; the format is recognised from the content, not the file name. */
export async function readFindingsFile(content: Buffer): Promise<FindingsFile> {
  if (content.subarray(0, 4).equals(OLE_SIGNATURE)) {
    throw unsupported('This is an old Excel (.xls) file. Save it as .xlsx or as "CSV UTF-8" and import that.');
  }
  const table = content.subarray(0, 4).equals(ZIP_SIGNATURE) ? await xlsxTable(content) : csvTable(content);
  return { format: table.format, rows: toRows(table.header, table.rows) };
}

/** Maps a severity cell to the API's value (Chinese names and any letter case accepted); others pass unchanged. */
export function normaliseSeverity(value: string): string {
  return SEVERITY_NAMES[value] ?? value.toLowerCase();
}

interface Table {
  format: 'csv' | 'xlsx';
  header: { row: number; cells: string[] } | null;
  rows: Array<{ row: number; cells: string[] }>;
}

function csvTable(content: Buffer): Table {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw unsupported('The file is neither an .xlsx workbook nor UTF-8 text. Save the sheet as "CSV UTF-8" (or .xlsx) and import that.');
  }
  let records: string[][];
  try {
    // Empty lines are kept (and skipped later) so that every record keeps its row number.
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    throw unsupported(`The CSV file cannot be read: ${(error as Error).message}`);
  }
  const numbered = records.map((cells, index) => ({ row: index + 1, cells }));
  const [header, ...rows] = numbered;
  return { format: 'csv', header: header ?? null, rows };
}

async function xlsxTable(content: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw unsupported('The file looks like a ZIP archive but is not a readable .xlsx workbook.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { format: 'xlsx', header: null, rows: [] };
  const numbered: Array<{ row: number; cells: string[] }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    numbered.push({ row: rowNumber, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  const [header, ...rows] = numbered;
  return { format: 'xlsx', header: header ?? null, rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A date cell has no time zone; given as such it fails the deadline rule with its usual message.
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$|Z$/, '');
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

function toRows(header: Table['header'], rows: Table['rows']): ImportedRow[] {
  if (!header || header.cells.every((cell) => cell.trim() === '')) {
    throw new DomainError('IMPORT.NO_ROWS', 'The file is empty: it needs a header row and at least one row of findings.');
  }
  const columns = header.cells.map((cell) => columnOf(cell));
  const unknown = header.cells.filter((cell, index) => cell.trim() !== '' && columns[index] === null).map((cell) => cell.trim());
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
