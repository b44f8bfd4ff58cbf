import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { neutraliseFormula, NEUTRALISED_FORMULA } from '#ledger';

export type Cells = Array<string | number>;

/** Content types and file extensions of the export formats. */
export const EXPORT_TYPES = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
} as const;

/** The CSV's records, each cell neutralised (see neutraliseFormula). */
async function* csvRecords(headers: string[], rows: AsyncIterable<Cells[]>): AsyncGenerator<Cells> {
  yield headers.map(neutraliseFormula);
  for await (const batch of rows) {
    for (const cells of batch) yield cells.map(neutraliseFormula);
  }
}

/**
 * CSV as spreadsheet programs read Chinese text correctly: UTF-8 with a byte-order mark first; fields with
 * commas, quotes or line breaks quoted (csv-stringify's RFC 4180 quoting). Every CSV the product writes goes
 * through here: a cell starting like a formula gets a leading single quote and is quoted (OWASP), and a lone
 * CR or LF is quoted too (csv-stringify quotes only the record delimiter once one is set, and an unquoted line
 * break would start a new row, and a formula, in the middle of a cell). Streamed: back-pressure from the client
 * holds the reading of the next batch.
 */
export async function streamCsv(response: Response, headers: string[], rows: AsyncIterable<Cells[]>): Promise<void> {
  await pipeline(
    Readable.from(csvRecords(headers, rows)),
    stringify({ bom: true, record_delimiter: 'windows', quote_record_delimiter: true, quoted_match: NEUTRALISED_FORMULA }),
    response,
  );
}

/** XLSX through exceljs's streaming workbook writer: rows are committed as they come, not kept in memory. */
export async function streamXlsx(response: Response, sheetName: string, headers: string[], rows: AsyncIterable<Cells[]>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: response, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // No styles (a style per cell costs more than the cell): the header row is frozen instead of bold.
  sheet.addRow(headers).commit();
  for await (const batch of rows) {
    for (const cells of batch) sheet.addRow(cells).commit();
  }
  sheet.commit();
  await workbook.commit();
}
