import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { aFindingRow, type FindingRow, toCsv, toXlsx } from '../support/findings-files.js';
import { expectApiError } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The 7 faulty rows of the 1,000-row file, by data row index (1-based; spreadsheet row = index + 1). */
const FAULTS: Record<number, { field: string; row: FindingRow }> = {
  3: { field: 'title', row: { title: '' } },
  101: { field: 'severity', row: { severity: 'urgent' } },
  250: { field: 'deadline', row: { deadline: '2026-12-31T09:00:00' } },
  499: { field: 'deadline', row: { deadline: '2020-01-01T00:00:00Z' } },
  640: { field: 'title', row: { title: 'x'.repeat(201) } },
  777: { field: 'category', row: { category: '' } },
  1000: { field: 'requirement', row: { requirement: '' } },
};
const BAD_ROWS = Object.keys(FAULTS).map((index) => Number(index) + 1);

function thousandRows(fixed = false): FindingRow[] {
  return Array.from({ length: 1000 }, (_, i) => {
    const n = i + 1;
    return aFindingRow(n, fixed ? {} : (FAULTS[n]?.row ?? {}));
  });
}

describe('Bulk filing: POST /inspections/:ref/problems/import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  function importFile(token: string, ref: string, content: Buffer, name: string, mode?: string) {
    const call = t.http().post(`/inspections/${encodeURIComponent(ref)}/problems/import`).auth(token, { type: 'bearer' });
    return (mode ? call.query({ mode }) : call).attach('file', content, name);
  }

  async function countIn(token: string, inspection: string): Promise<number> {
    const response = await t.http().get('/problems/counts').auth(token, { type: 'bearer' }).query({ inspection });
    expect(response.status).toBe(200);
    return response.body.total as number;
  }

  describe('a 1,000-row file with 7 bad rows', () => {
    const ref = 'INSP-IMPORT-1000';
    const file = toCsv(thousandRows());

    it('all-or-nothing (the default) files nothing and lists exactly the 7 bad rows with their row numbers', async () => {
      // when
      const response = await importFile(t.tokens.inspector, ref, file, 'findings.csv');

      // then
      expectApiError(response, 422, 'IMPORT.INVALID_ROWS');
      const errors = response.body.details.errors as Array<{ row: number; field: string; messages: string[] }>;
      expect(errors.map((error) => error.row)).toEqual(BAD_ROWS);
      expect(errors.map((error) => error.field)).toEqual(Object.values(FAULTS).map((fault) => fault.field));
      expect(errors.every((error) => error.messages.length > 0)).toBe(true);
      expect(response.body.details).toMatchObject({ mode: 'all-or-nothing', total: 1000, filed: [] });
      expect(await countIn(t.adminToken, ref)).toBe(0);
    });

    it('valid-only files the 993 valid rows, reports the 7 others, and the importer sees what they filed', async () => {
      // when
      const response = await importFile(t.tokens.inspector, ref, file, 'findings.csv', 'valid-only');

      // then
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ mode: 'valid-only', total: 1000, duplicates: [] });
      expect(response.body.filed).toHaveLength(993);
      expect((response.body.errors as Array<{ row: number }>).map((error) => error.row)).toEqual(BAD_ROWS);
      const filedRows = (response.body.filed as Array<{ row: number }>).map((entry) => entry.row);
      expect(filedRows.some((row) => BAD_ROWS.includes(row))).toBe(false);
      expect(await countIn(t.tokens.inspector, ref)).toBe(993);

      // each is filed as a single filing would be: state found, version 1, filed by the importer, one FILE history row
      const { id } = response.body.filed[0] as { id: string };
      const problem = await t.http().get(`/problems/${id}`).auth(t.tokens.inspector, { type: 'bearer' });
      expect(problem.body).toMatchObject({
        state: 'found',
        version: 1,
        inspectionRef: ref,
        filedBy: t.org.users.inspector.actor.userId,
        title: 'Finding 1',
      });
      const history = await t.http().get(`/problems/${id}/history`).auth(t.tokens.inspector, { type: 'bearer' });
      expect(history.body.items).toEqual([expect.objectContaining({ eventType: 'FILE', version: 1, actorId: t.org.users.inspector.actor.userId })]);
    });

    it('importing the same file again files nothing new: every valid row is a duplicate', async () => {
      const response = await importFile(t.tokens.inspector, ref, file, 'findings.csv', 'valid-only');

      expect(response.status).toBe(201);
      expect(response.body.filed).toEqual([]);
      expect(response.body.duplicates).toHaveLength(993);
      expect(response.body.duplicates[0]).toEqual({ row: 2, key: 'F-1' });
      expect(await countIn(t.adminToken, ref)).toBe(993);
    });

    it('the corrected file, imported all-or-nothing, files exactly the 7 rows that were missing', async () => {
      const response = await importFile(t.tokens.inspector, ref, toCsv(thousandRows(true)), 'findings.csv');

      expect(response.status).toBe(201);
      expect((response.body.filed as Array<{ row: number }>).map((entry) => entry.row)).toEqual(BAD_ROWS);
      expect(response.body.duplicates).toHaveLength(993);
      expect(await countIn(t.adminToken, ref)).toBe(1000);
    });
  });

  it('reads XLSX (first sheet); without a key column the row content is the key', async () => {
    // given
    const ref = 'INSP-IMPORT-XLSX';
    const header = ['title', 'description', 'category', 'severity', 'location', 'requirement', 'deadline'];
    const rows = [1, 2, 3].map((n) => aFindingRow(n));
    const file = await toXlsx(rows, header);

    // when
    const first = await importFile(t.tokens.supervisor, ref, file, 'findings.xlsx');
    const again = await importFile(t.tokens.supervisor, ref, file, 'findings.xlsx');

    // then
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ total: 3, errors: [], duplicates: [] });
    expect((first.body.filed as Array<{ row: number }>).map((entry) => entry.row)).toEqual([2, 3, 4]);
    expect(again.body.filed).toEqual([]);
    expect((again.body.duplicates as Array<{ row: number; key: string }>).map((entry) => entry.row)).toEqual([2, 3, 4]);
    expect(again.body.duplicates[0].key).toMatch(/^sha256:[0-9a-f]{64}$/);
    const problem = await t.http().get(`/problems/${first.body.filed[2].id}`).auth(t.tokens.supervisor, { type: 'bearer' });
    expect(problem.body).toMatchObject({ title: 'Finding 3', deadline: '2026-12-31T09:00:00.000Z', severity: 'critical' });
  });

  it('reads the sample file: Chinese headers and severities, UTF-8 with BOM, a quoted cell with a comma', async () => {
    const file = readFileSync(new URL('../fixtures/findings-import.csv', import.meta.url));

    const response = await importFile(t.tokens.inspector, 'INSP-2026-031', file, 'findings-import.csv');

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ total: 4, errors: [], duplicates: [] });
    const problems = await Promise.all(
      (response.body.filed as Array<{ id: string }>).map(async ({ id }) => (await t.http().get(`/problems/${id}`).auth(t.tokens.inspector, { type: 'bearer' })).body),
    );
    expect(problems.map((problem) => [problem.title, problem.severity])).toEqual([
      ['消防通道堵塞', 'critical'],
      ['灭火器过期', 'major'],
      ['配电箱未上锁', 'general'],
      ['地面油污', 'minor'],
    ]);
    expect(problems[0].deadline).toBe('2026-12-31T10:00:00.000Z');
    expect(problems[3].description).toBe('装卸区地面有油污, 易滑倒');
  });

  it('a key repeated within the file is a duplicate of its first row', async () => {
    const file = toCsv([aFindingRow(1), aFindingRow(2, { key: 'F-1', title: 'Other' })]);

    const response = await importFile(t.tokens.inspector, 'INSP-IMPORT-REPEATED-KEY', file, 'f.csv');

    expect(response.status).toBe(201);
    expect(response.body.filed.map((entry: { row: number }) => entry.row)).toEqual([2]);
    expect(response.body.duplicates).toEqual([{ row: 3, key: 'F-1' }]);
  });

  it('two imports of the same file at once file each row once', async () => {
    const ref = 'INSP-IMPORT-CONCURRENT';
    const file = toCsv(Array.from({ length: 50 }, (_, i) => aFindingRow(i + 1)));
    // The inspector's inspection, which the supervisor over their office may import under too.
    const created = await t.http().post('/inspections').auth(t.tokens.inspector, { type: 'bearer' }).send({ reference: ref });
    expect(created.status).toBe(201);

    const responses = await Promise.all([importFile(t.tokens.inspector, ref, file, 'a.csv'), importFile(t.tokens.supervisor, ref, file, 'b.csv')]);

    expect(responses.map((response) => response.status)).toEqual([201, 201]);
    expect(responses.reduce((sum, response) => sum + response.body.filed.length, 0)).toBe(50);
    expect(responses.reduce((sum, response) => sum + response.body.duplicates.length, 0)).toBe(50);
    expect(await countIn(t.adminToken, ref)).toBe(50);
  });

  it('is refused to department users (403), whatever the file', async () => {
    const response = await importFile(t.tokens.facilities, 'INSP-IMPORT-DEPT', toCsv([aFindingRow(1)]), 'f.csv');

    expectApiError(response, 403, 'AUTH.FORBIDDEN');
    expect(await countIn(t.adminToken, 'INSP-IMPORT-DEPT')).toBe(0);
  });

  describe('files that hold no findings or cannot be read', () => {
    it.each([
      ['an empty file', 'IMPORT.NO_ROWS', Buffer.alloc(0)],
      ['a header and no rows', 'IMPORT.NO_ROWS', toCsv([])],
      ['a header and blank lines', 'IMPORT.NO_ROWS', Buffer.from('title,description,category,severity,location,requirement\n\n,,,,,\n')],
      ['unknown and missing columns', 'IMPORT.INVALID_HEADER', Buffer.from('title,colour\nA,red\n')],
      ['text that is not UTF-8 (GBK)', 'IMPORT.UNSUPPORTED_FILE', Buffer.from([0xb1, 0xea, 0xcc, 0xe2, 0x0a])],
      ['an old .xls file', 'IMPORT.UNSUPPORTED_FILE', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ])('%s → 422 %s', async (_name, code, content) => {
      expectApiError(await importFile(t.tokens.inspector, 'INSP-IMPORT-EMPTY', content, 'f.csv'), 422, code);
    });

    it('no file → 400 VALIDATION_FAILED naming the field', async () => {
      const response = await t.http().post('/inspections/INSP-X/problems/import').auth(t.tokens.inspector, { type: 'bearer' }).field('mode', 'x');

      expectApiError(response, 400, 'VALIDATION_FAILED');
    });

    it('an unknown mode → 400 VALIDATION_FAILED', async () => {
      expectApiError(await importFile(t.tokens.inspector, 'INSP-X', toCsv([aFindingRow(1)]), 'f.csv', 'some'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('limits', () => {
    it('more rows than IMPORT_MAX_ROWS (10,000) → 422 IMPORT.TOO_MANY_ROWS, nothing filed', async () => {
      const rows = Array.from({ length: 10_001 }, (_, i) => ({ title: `T${i}`, description: 'd', category: 'c', severity: 'minor', location: 'l', requirement: 'r' }));

      const response = await importFile(t.tokens.inspector, 'INSP-IMPORT-MANY', toCsv(rows), 'f.csv');

      expectApiError(response, 422, 'IMPORT.TOO_MANY_ROWS');
      expect(response.body.details).toEqual({ rows: 10_001, maxRows: 10_000 });
    });

    it('a file larger than IMPORT_MAX_BYTES (5 MiB) → 413 IMPORT.FILE_TOO_LARGE', async () => {
      const response = await importFile(t.tokens.inspector, 'INSP-IMPORT-BIG', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), 'f.csv');

      expectApiError(response, 413, 'IMPORT.FILE_TOO_LARGE');
    });
  });
});
