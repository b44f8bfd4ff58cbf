import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runVerifyHistory } from '../../apps/cli/src/verify-history.command.js';
import { type ChainedHistoryEntry, GENESIS_HASH, historyEntryHash } from '#domain';
import { AuditTrail } from '#engine';
import { Database } from '#persistence';
import { DeadlineScheduler, HistorySealer } from '#scheduler';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/** The tamper-evident history: hash chains per problem, daily anchors, GET …/history/verify and the CLI. */
describe('Tamper-evident history', () => {
  let t: TestApp;
  let db: Database;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(Database);
  });
  afterAll(async () => {
    await t.close();
  });

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
  });

  async function problemWithHistory(): Promise<string> {
    const id = (await as(t.tokens.inspector).post('/problems', aFiling({ severity: 'minor' }))).body.id as string;
    const deadline = new Date(t.clock.now().getTime() + 20 * 86_400_000).toISOString();
    const steps = [
      await as(t.tokens.inspector).post(`/problems/${id}/events`, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline }),
      await as(t.tokens.facilities).post(`/problems/${id}/events`, { type: 'START', measures: 'm', responsiblePerson: 'p', plannedCompletionDate: deadline.slice(0, 10) }),
      await as(t.tokens.facilities).post(`/problems/${id}/events`, { type: 'REPORT_PROGRESS', note: 'half', percent: 50 }),
    ];
    expect(steps.map((step) => step.status)).toEqual([200, 200, 200]);
    return id;
  }

  const execute = (sql: string, params: unknown[]) => db.sqlWrite((session) => session.run(sql, params));

  it('chains every history row to the one before and verifies intact', async () => {
    const id = await problemWithHistory();
    const history = (await as(t.tokens.admin).get(`/problems/${id}/history`)).body.items as Array<{ hash: string }>;
    expect(history).toHaveLength(4);
    expect(new Set(history.map((row) => row.hash)).size).toBe(4);
    for (const row of history) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    const verified = await as(t.tokens.facilities).get(`/problems/${id}/history/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ problemId: id, head: history[3].hash, intact: true, rows: 4, firstBroken: null });
  });

  it('names the first row edited directly in the database', async () => {
    const id = await problemWithHistory();
    await execute("UPDATE problem_history SET payload = ? WHERE problem_id = ? AND version = 3", ['{"type":"START","measures":"nothing at all"}', id]);

    const verified = await as(t.tokens.admin).get(`/problems/${id}/history/verify`);

    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ problemId: id, intact: false, firstBroken: { version: 3, reason: 'hashMismatch', historyId: expect.any(String) } });
    expect(verified.body.firstBroken.message).toContain('version 3');
  });

  it('finds deleted rows: the last one through the head kept on the problem, one in the middle as a gap', async () => {
    const last = await problemWithHistory();
    await execute('DELETE FROM problem_history WHERE problem_id = ? AND version = 4', [last]);
    expect((await as(t.tokens.admin).get(`/problems/${last}/history/verify`)).body.firstBroken).toMatchObject({ reason: 'headMismatch', version: 4 });

    const middle = await problemWithHistory();
    await execute('DELETE FROM problem_history WHERE problem_id = ? AND version = 2', [middle]);
    expect((await as(t.tokens.admin).get(`/problems/${middle}/history/verify`)).body.firstBroken).toMatchObject({ reason: 'versionGap', version: 2 });
  });

  it('answers 404 for a problem the caller may not see, or no problem at all', async () => {
    const id = await problemWithHistory();
    expect((await as(t.tokens.production).get(`/problems/${id}/history/verify`)).status).toBe(404);
    expect((await as(t.tokens.admin).get('/problems/not-a-problem/history/verify')).body).toMatchObject({ code: 'PROBLEM.NOT_FOUND' });
  });

  it('anchors each completed day; the CLI verifies chains and anchors and fails on a rewritten row, even with its chain recomputed', async () => {
    // given a fresh day of history, sealed once the day is over, and the timers it has swept meanwhile
    t.clock.set('2026-04-01T02:00:00.000Z');
    const id = await problemWithHistory();
    t.clock.set('2026-04-02T01:00:00.000Z');
    await t.app.get(DeadlineScheduler).sweep();
    await t.app.get(HistorySealer).seal();
    const anchors = await db.sqlRead((session) => session.all<{ day: string; rows: number }>('SELECT day, rows FROM history_anchors ORDER BY day'));
    expect(anchors.map((anchor) => anchor.day)).toContain('2026-04-01');
    expect(anchors.find((anchor) => anchor.day === '2026-04-01')?.rows).toBe(4);

    // and everything tampered with so far in this suite is found; a clean database verifies intact
    const auditTrail = t.app.get(AuditTrail);
    const before = await auditTrail.verifyAll();
    // (the sweep fired the overdue timers of those problems meanwhile: the one whose last row was deleted has rows
    // after the hole now, so it shows as a gap)
    expect(before.broken.map((report) => report.firstBroken?.reason).sort()).toEqual(['hashMismatch', 'versionGap', 'versionGap']);
    expect(before.anchors.broken).toEqual([]);

    // when a row of the anchored day is rewritten and the problem's whole chain recomputed to match (as someone
    // who knows the algorithm would), so that the problem's own chain verifies intact again
    const history = (await as(t.tokens.admin).get(`/problems/${id}/history`)).body.items as Array<ChainedHistoryEntry & { hash: string }>;
    history[1] = { ...history[1], payload: { ...(history[1].payload as object), departmentId: t.org.departments.production } };
    let previous = GENESIS_HASH;
    for (const row of history) {
      previous = historyEntryHash(previous, row);
      await execute('UPDATE problem_history SET payload = ?, hash = ? WHERE id = ?', [JSON.stringify(row.payload), previous, row.id]);
    }
    await execute('UPDATE problems SET history_hash = ? WHERE id = ?', [previous, id]);
    expect((await as(t.tokens.admin).get(`/problems/${id}/history/verify`)).body).toMatchObject({ intact: true });

    // then the day's anchor no longer matches, and the CLI command exits 1
    const after = await auditTrail.verifyAnchors();
    expect(after.broken).toEqual([{ day: '2026-04-01', message: expect.stringContaining('2026-04-01') }]);
    const errors: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = () => undefined;
    console.error = (line: string) => errors.push(line);
    try {
      expect(await runVerifyHistory(t.app)).toBe(1);
    } finally {
      console.log = log;
      console.error = error;
    }
    expect(errors.join('\n')).toMatch(/3 broken chain\(s\), 1 broken anchor\(s\)/);
  });
});
