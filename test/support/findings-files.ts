import ExcelJS from 'exceljs';

/** Findings files for the bulk-filing tests: rows of cells under a header, as CSV text or an XLSX workbook. */
export const ENGLISH_HEADER = ['key', 'title', 'description', 'category', 'severity', 'location', 'requirement', 'deadline'] as const;

export type FindingRow = Partial<Record<(typeof ENGLISH_HEADER)[number], string>>;

export function aFindingRow(n: number, overrides: FindingRow = {}): FindingRow {
  return {
    key: `F-${n}`,
    title: `Finding ${n}`,
    description: `Description of finding ${n}`,
    category: 'fire-safety',
    severity: ['minor', 'general', 'major', 'critical'][n % 4],
    location: `Warehouse ${n % 17}`,
    requirement: 'Put it right',
    deadline: n % 3 === 0 ? '2026-12-31T09:00:00Z' : '',
    ...overrides,
  };
}

function quoted(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function toCsv(rows: FindingRow[], header: readonly string[] = ENGLISH_HEADER): Buffer {
  const lines = [header.join(','), ...rows.map((row) => header.map((column) => quoted((row as Record<string, string>)[column] ?? '')).join(','))];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(rows: FindingRow[], header: readonly string[] = ENGLISH_HEADER): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Findings');
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow(header.map((column) => (row as Record<string, string>)[column] ?? ''));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
