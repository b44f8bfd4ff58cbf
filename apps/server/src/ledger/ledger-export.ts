import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Response } from 'express';

export type Cells = Array<string | number>;

/** Content types and file extensions of the export formats. */
export const EXPORT_TYPES = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
} as const;

async function* records(headers: string[], rows: AsyncIterable<Cells[]>): AsyncGenerator<Cells> {
  yield headers;
  for await (const batch of rows) yield* batch;
}

/**
 * CSV as spreadsheet programs read Chinese text correctly: UTF-8 with a byte-order mark first; fields with
 * commas, quotes or line breaks quoted (csv-stringify's RFC 4180 quoting). Streamed: back-pressure from the
 * client holds the reading of the next batch.
 */
export async function streamCsv(response: Response, headers: string[], rows: AsyncIterable<Cells[]>): Promise<void> {
  await pipeline(Readable.from(records(headers, rows)), stringify({ bom: true, record_delimiter: 'windows' }), response);
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
