import { ApiProperty } from '@nestjs/swagger';
import type { ImportReport, RowError } from '../import-problems.service.js';
import { IMPORT_MODES, type ImportMode } from './import-problems.dto.js';

// The answer of POST /inspections/:ref/problems/import for the OpenAPI document; the classes `implement` the
// import's own types, so a field it renames or retypes breaks the build instead of the console.

/** A row filed as a new problem. */
export class ImportFiledRowDto {
  @ApiProperty({ type: 'integer', description: 'Spreadsheet row number (the header is row 1)' })
  row: number;

  @ApiProperty({ format: 'uuid', description: 'The problem filed from it' })
  id: string;
}

/** A row skipped because its key was imported before (or earlier in this file). */
export class ImportDuplicateRowDto {
  @ApiProperty({ type: 'integer', description: 'Spreadsheet row number (the header is row 1)' })
  row: number;

  @ApiProperty({ description: 'Its idempotency key: the `key` column, or `sha256:` and a hash of its content' })
  key: string;
}

/** A field of a row that a single filing would refuse. */
export class ImportRowErrorDto implements RowError {
  @ApiProperty({ type: 'integer', description: 'Spreadsheet row number (the header is row 1)' })
  row: number;

  @ApiProperty({ description: 'The field (column) refused' })
  field: string;

  @ApiProperty({ type: String, isArray: true })
  messages: string[];
}

/** What a bulk filing did with each row of the file. */
export class ImportReportDto implements ImportReport {
  @ApiProperty({ enum: IMPORT_MODES })
  mode: ImportMode;

  @ApiProperty({ type: 'integer', description: 'Rows of findings in the file (blank lines not counted)' })
  total: number;

  @ApiProperty({ type: [ImportFiledRowDto] })
  filed: ImportFiledRowDto[];

  @ApiProperty({ type: [ImportDuplicateRowDto], description: 'By row number' })
  duplicates: ImportDuplicateRowDto[];

  @ApiProperty({ type: [ImportRowErrorDto], description: 'The invalid rows, not filed (valid-only; all-or-nothing refuses the file with 422 instead)' })
  errors: ImportRowErrorDto[];
}
