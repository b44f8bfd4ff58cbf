import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectApiError } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bombs, FINDINGS_HEADER, sheetXml, workbook } from '../support/workbook-writer.js';

const MiB = 1024 * 1024;
/** Far below what the bombs inflate to (1 GiB and more): the reader must never hold what it inflates. */
const RSS_GROWTH_BOUND = 100 * MiB;
/** Parsing the 25 MiB a part may hold takes seconds on a busy machine: a safety net, not a measurement. */
const SLOW_MACHINE_MS = 60_000;

/**
 * Issue 11, item 1: hostile spreadsheets, generated here, are refused with their own 413/422 code while they are
 * being read, nothing is filed, and the server's memory grows by far less than they would inflate to.
 */
describe('Bulk filing refuses hostile spreadsheets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  function importFile(ref: string, content: Buffer) {
    return t
      .http()
      .post(`/inspections/${encodeURIComponent(ref)}/problems/import`)
      .auth(t.tokens.inspector, { type: 'bearer' })
      .attach('file', content, 'findings.xlsx');
  }

  async function countIn(inspection: string): Promise<number> {
    const response = await t.http().get('/problems/counts').auth(t.adminToken, { type: 'bearer' }).query({ inspection });
    expect(response.status).toBe(200);
    return response.body.total as number;
  }

  /** The largest rise of this process's RSS while `work` runs (sampled, then once more at the end). */
  async function rssGrowthDuring<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 1);
    try {
      const result = await work();
      peak = Math.max(peak, process.memoryUsage().rss);
      return { result, growth: peak - before };
    } finally {
      clearInterval(sampler);
    }
  }

  const shapes: Array<[string, number, string, Record<string, unknown>, () => Buffer]> = [
    [
      "issue 11's file: 4 sheets, each one cell inflating to 256 MiB (1 GiB in all)",
      413,
      'IMPORT.UNCOMPRESSED_TOO_LARGE',
      { entry: 'xl/worksheets/sheet1.xml', maxEntryUncompressedBytes: 25 * MiB },
      () => bombs.sheetsOfOneHugeCell(4, 256),
    ],
    [
      'one cell inflating to 1 GiB, its headers claiming 1 KiB',
      422,
      'IMPORT.CELL_TOO_LONG',
      { maxCellChars: 32_767, cell: 'A1' },
      () => bombs.oneHugeCellLying(1024),
    ],
    [
      '1 GiB of valid empty rows, its headers claiming 1 KiB',
      413,
      'IMPORT.UNCOMPRESSED_TOO_LARGE',
      { entry: 'xl/worksheets/sheet1.xml', maxEntryUncompressedBytes: 25 * MiB },
      () => bombs.lyingBlankRows(1024),
    ],
    [
      '20 MiB of empty rows compressed 1000:1, its headers claiming 1 KiB',
      413,
      'IMPORT.COMPRESSION_RATIO',
      { entry: 'xl/worksheets/sheet1.xml', maxRatio: 100 },
      () => bombs.lyingBlankRows(20),
    ],
    ['100 sheets', 422, 'IMPORT.TOO_MANY_SHEETS', { maxSheets: 32, sheets: 100 }, () => bombs.manySheets(100)],
    ['1,001 more entries in the archive', 422, 'IMPORT.TOO_MANY_ENTRIES', { maxEntries: 1000 }, () => bombs.manyEntries(1001)],
    ['20,000 tiny rows', 422, 'IMPORT.TOO_MANY_ROWS', { rows: 10_001, maxRows: 10_000 }, () => bombs.manyTinyRows(20_000)],
    ['10,000 rows of 30 empty cells', 422, 'IMPORT.TOO_MANY_CELLS', { maxCells: 200_000 }, () => bombs.manyCells(10_000, 30)],
    [
      'a sharedStrings.xml of 300,000 strings',
      422,
      'IMPORT.TOO_MANY_SHARED_STRINGS',
      { maxSharedStrings: 200_000 },
      () => bombs.hugeSharedStrings(300_000),
    ],
    ['elements nested 100,000 deep', 422, 'IMPORT.UNSAFE_XML', { reason: 'depth' }, () => bombs.deeplyNested(100_000)],
    ['entity expansion ("billion laughs") in a DOCTYPE', 422, 'IMPORT.UNSAFE_XML', { reason: 'doctype' }, () => bombs.entityExpansion()],
    ['a CSV of 5 MiB of line breaks', 422, 'IMPORT.TOO_MANY_CELLS', { maxCells: 200_000 }, () => Buffer.alloc(5 * MiB - 1, '\n')],
    [
      'a CSV with a cell of 100,000 characters',
      422,
      'IMPORT.CELL_TOO_LONG',
      { cell: 'B2', maxCellChars: 32_767 },
      () => Buffer.from(`${FINDINGS_HEADER.join(',')}\nExit,${'x'.repeat(100_000)},c,minor,l,r\n`),
    ],
  ];

  it.each(shapes)('%s → %i %s, nothing filed, memory bounded', async (name, status, code, details, bomb) => {
    // given
    const ref = `INSP-BOMB-${shapes.findIndex(([shape]) => shape === name)}`;
    const file = bomb();
    expect(file.length).toBeLessThan(5 * MiB);

    // when
    const { result: response, growth } = await rssGrowthDuring(() => importFile(ref, file));

    // then
    expectApiError(response, status, code);
    expect(response.body.details).toMatchObject(details);
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
    expect(await countIn(ref)).toBe(0);
  }, SLOW_MACHINE_MS);

  it('bombs at once are all refused within the same memory bound, and the server goes on importing', async () => {
    // given issue 11's file twice, and two that only counting the inflated bytes stops
    const files = [bombs.sheetsOfOneHugeCell(4, 256), bombs.sheetsOfOneHugeCell(4, 256), bombs.lyingBlankRows(1024), bombs.oneHugeCellLying(1024)];

    // when
    const { result: responses, growth } = await rssGrowthDuring(() => Promise.all(files.map((file) => importFile('INSP-BOMB-AT-ONCE', file))));

    // then
    expect(responses.map((response) => [response.status, response.body.code])).toEqual([
      [413, 'IMPORT.UNCOMPRESSED_TOO_LARGE'],
      [413, 'IMPORT.UNCOMPRESSED_TOO_LARGE'],
      [413, 'IMPORT.UNCOMPRESSED_TOO_LARGE'],
      [422, 'IMPORT.CELL_TOO_LONG'],
    ]);
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
    const good = workbook({ sheets: [sheetXml([FINDINGS_HEADER, ['Exit blocked', 'Pallets', 'fire-safety', 'major', 'Warehouse 3', 'Clear it']])] });
    const after = await importFile('INSP-BOMB-AT-ONCE', good);
    expect(after.status).toBe(201);
    expect(after.body.filed).toHaveLength(1);
  }, SLOW_MACHINE_MS);
});
