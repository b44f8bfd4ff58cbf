import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ImportOptions } from '#config';
import { type Actor, Clock, DomainError, type ProblemFiling, UUID_PATTERN } from '#domain';
import { type BatchFiling, DEADLINE_HORIZON_YEARS, InspectionService, RectificationEngine } from '#engine';
import { deadlineOutOfRange } from '#rectification';
import { type FieldError, VALIDATION_OPTIONS } from '../common/validation.js';
import { type ImportMode, ImportRowDto } from './dto/import-problems.dto.js';
import { type ImportedRow, normaliseSeverity, readFindingsFile } from './import/findings-file.js';

export const IMPORT_OPTIONS = Symbol('IMPORT_OPTIONS');

export interface RowError extends FieldError {
  row: number;
}

export interface ImportReport {
  mode: ImportMode;
  /** Rows of findings in the file (blank lines not counted). */
  total: number;
  filed: Array<{ row: number; id: string }>;
  /** Rows skipped because their key was imported before (or earlier in this file). */
  duplicates: Array<{ row: number; key: string }>;
  errors: RowError[];
}

interface ValidRow {
  row: number;
  key: string;
  filing: ProblemFiling;
}

/**
 * Bulk filing (POST /inspections/:ref/problems/import): every row is validated as a single filing would be, then
 * the valid rows are filed by the engine in one transaction. Each row carries an idempotency key — its `key`
 * column, or a hash of its normalised content — so importing the same file again files nothing twice.
 */
@Injectable()
export class ImportProblemsService {
  constructor(
    private readonly engine: RectificationEngine,
    private readonly inspections: InspectionService,
    private readonly clock: Clock,
    @Inject(IMPORT_OPTIONS) private readonly options: ImportOptions,
    @Inject(DEADLINE_HORIZON_YEARS) private readonly deadlineHorizonYears: number,
  ) {}

  /** `inspection` is the inspection's id, or its reference in the caller's organisation (a new one is created). */
  async import(actor: Actor, inspection: string, content: Buffer, mode: ImportMode): Promise<ImportReport> {
    if (inspection.trim() === '' || inspection.length > 100 || inspection.includes('\u0000')) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: ref. See details.fields for what each needs.', {
        fields: [{ field: 'ref', messages: ['ref (the inspection reference) must be 1 to 100 characters'] }],
      });
    }
    // Someone off the inspection's team is refused before the file is read, whatever it holds.
    const selector = UUID_PATTERN.test(inspection) ? { inspectionId: inspection.toLowerCase() } : { inspectionRef: inspection };
    const inspectionRef = (await this.inspections.checkFilingUnder(actor, selector))?.reference ?? inspection;
    if (content.length > this.options.maxBytes) throw fileTooLarge(this.options.maxBytes);
    // Every limit (rows, cells, and for .xlsx the inflated sizes) is checked while the file is read.
    const { rows } = await readFindingsFile(content, this.options);

    const valid: ValidRow[] = [];
    const errors: RowError[] = [];
    const now = this.clock.now();
    for (const row of rows) {
      const checked = await validateRow(row, inspectionRef, now, this.deadlineHorizonYears);
      if ('errors' in checked) errors.push(...checked.errors);
      else valid.push(checked);
    }
    const report: ImportReport = { mode, total: rows.length, filed: [], duplicates: [], errors };
    if (errors.length > 0 && mode === 'all-or-nothing') {
      throw new DomainError(
        'IMPORT.INVALID_ROWS',
        `${new Set(errors.map((error) => error.row)).size} of ${rows.length} rows are invalid, so nothing was filed (mode all-or-nothing). ` +
          'Correct the rows listed in details.errors and import the file again, or import with mode=valid-only.',
        { ...report },
      );
    }

    // A key repeated within the file is a duplicate of its first row.
    const seen = new Set<string>();
    const batch: Array<ValidRow> = [];
    for (const row of valid) {
      if (seen.has(row.key)) report.duplicates.push({ row: row.row, key: row.key });
      else batch.push(row);
      seen.add(row.key);
    }
    if (batch.length > 0) {
      const filings: BatchFiling[] = batch.map(({ filing, key }) => ({ filing, importKey: key }));
      const results = await this.engine.fileBatch(actor, selector, filings);
      results.forEach((result, index) => {
        const { row, key } = batch[index];
        if (result.duplicate) report.duplicates.push({ row, key });
        else report.filed.push({ row, id: result.problem.id });
      });
    }
    report.duplicates.sort((a, b) => a.row - b.row);
    return report;
  }
}

export function fileTooLarge(maxBytes: number): DomainError {
  return new DomainError(
    'IMPORT.FILE_TOO_LARGE',
    `The file is larger than ${maxBytes} bytes, the most one import takes (IMPORT_MAX_BYTES). Split it into several files.`,
    { maxBytes },
  );
}

/** One row against the rules of a single filing (FileProblemDto), plus the engine's deadline range (not past, within the horizon). */
async function validateRow(row: ImportedRow, inspectionRef: string, now: Date, horizonYears: number): Promise<ValidRow | { errors: RowError[] }> {
  const { severity, ...values } = row.values;
  const plain = { ...values, ...(severity === undefined ? {} : { severity: normaliseSeverity(severity) }), inspectionRef };
  const nul = Object.entries(plain).find(([, value]) => value.includes('\u0000'));
  if (nul) return { errors: [{ row: row.row, field: nul[0], messages: [`${nul[0]} must not contain the NUL character (U+0000)`] }] };
  const dto = plainToInstance(ImportRowDto, plain);
  const invalid = await validate(dto, VALIDATION_OPTIONS);
  if (invalid.length > 0) {
    return {
      errors: invalid.map((error) => ({ row: row.row, field: error.property, messages: Object.values(error.constraints ?? {}) })),
    };
  }
  const { key, ...filing } = dto;
  const tooLate = deadlineOutOfRange(filing.deadline === undefined ? undefined : new Date(filing.deadline).toISOString(), now, horizonYears);
  if (tooLate) return { errors: [{ row: row.row, field: 'deadline', messages: [tooLate.message] }] };
  return { row: row.row, key: key ?? contentKey(filing), filing: { ...filing } };
}

/** Without a key column, a row is known by its content: the same finding written the same way is the same row. */
function contentKey(filing: ProblemFiling): string {
  const normalised = [
    filing.inspectionRef ?? '',
    filing.title,
    filing.description,
    filing.category,
    filing.severity,
    filing.location,
    filing.requirement,
    filing.deadline === undefined ? '' : new Date(filing.deadline).toISOString(),
  ].map((value) => value.normalize('NFC').replace(/\s+/g, ' '));
  return `sha256:${createHash('sha256').update(JSON.stringify(normalised)).digest('hex')}`;
}
