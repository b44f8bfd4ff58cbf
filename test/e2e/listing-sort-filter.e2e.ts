import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeadlineScheduler } from '#scheduler';
import { expectApiError, invalidFields, type RoleName, ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Listing problems by deadline and deadline state, over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  /** Ids by key, in filing order (ids are time-ordered: earlier filings have smaller ids). */
  const filed: Record<string, string> = {};
  const deadlines: Record<string, string> = {
    early: '2026-03-05T09:00:00.000Z',
    tieA: '2026-03-20T09:00:00.000Z',
    soon: '2026-03-10T09:00:00.000Z',
    tieB: '2026-03-20T09:00:00.000Z',
  };

  /**
   * Six problems, filed a minute apart from Monday 2026-03-02 09:00 Shanghai:
   *
   *   early   facilities  deadline 03-05   → escalated once the clock is on 03-06 (level 1 at the deadline)
   *   tieA    facilities  deadline 03-20   → on track
   *   soon    facilities  deadline 03-10   → due soon (the 3-working-day reminder fired on 03-05)
   *   tieB    production  deadline 03-20   → on track (same deadline as tieA, filed after it)
   *   openA   found, no deadline           → notSet
   *   openB   found, no deadline           → notSet
   */
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
    for (const key of ['early', 'tieA', 'soon', 'tieB', 'openA', 'openB']) {
      t.clock.advance(60_000);
      const response = await steps.file('inspector', { title: `Problem ${key}` });
      expect(response.status).toBe(201);
      filed[key] = response.body.id;
      if (deadlines[key]) {
        const departmentId = key === 'tieB' ? t.org.departments.production : t.org.departments.facilities;
        const assigned = await steps.send('inspector', filed[key], { type: 'ASSIGN', departmentId, deadline: deadlines[key] });
        expect(assigned.status).toBe(200);
      }
    }
    t.clock.set('2026-03-06T01:00:00.000Z');
    await t.app.get(DeadlineScheduler).sweep();
  });
  afterAll(async () => {
    await t.close();
  });

  const keyOf = (id: string) => Object.entries(filed).find(([, value]) => value === id)?.[0] ?? id;

  async function listed(query: Record<string, string | number>, role: RoleName = 'inspector'): Promise<string[]> {
    const response = await steps.list(role, query);
    expect(response.status).toBe(200);
    return response.body.items.map((item: { id: string }) => keyOf(item.id));
  }

  /** Follows nextCursor from the first page to the last, answering the keys in order and the cursors given. */
  async function paged(query: Record<string, string | number>, limit: number, role: RoleName = 'inspector') {
    const keys: string[] = [];
    const cursors: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const response = await steps.list(role, { ...query, limit, ...(cursor === null ? {} : { cursor }) });
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(limit);
      keys.push(...response.body.items.map((item: { id: string }) => keyOf(item.id)));
      cursor = response.body.nextCursor;
      if (cursor === null) return { keys, cursors };
      cursors.push(cursor);
    }
    throw new Error('paging did not end');
  }

  describe('sort', () => {
    it('sorts by deadline ascending, problems without one last, equal deadlines by id (filed first first)', async () => {
      expect(await listed({ sort: 'deadline' })).toEqual(['early', 'soon', 'tieA', 'tieB', 'openA', 'openB']);
    });

    it('keeps newest first without sort and with sort=newest', async () => {
      const newest = ['openB', 'openA', 'tieB', 'soon', 'tieA', 'early'];
      expect(await listed({})).toEqual(newest);
      expect(await listed({ sort: 'newest' })).toEqual(newest);
    });

    it("lists a department's own problems by deadline (its scope still applies)", async () => {
      expect(await listed({ sort: 'deadline' }, 'facilities')).toEqual(['early', 'soon', 'tieA']);
      expect(await listed({ sort: 'deadline' }, 'production')).toEqual(['tieB']);
    });
  });

  describe('cursor paging by deadline', () => {
    it.each([1, 2, 3, 4, 5])('pages of %i chain to the whole list, each problem once, across the tie and the undated', async (limit) => {
      // when
      const { keys, cursors } = await paged({ sort: 'deadline' }, limit);

      // then
      expect(keys).toEqual(['early', 'soon', 'tieA', 'tieB', 'openA', 'openB']);
      expect(cursors).toHaveLength(Math.ceil(6 / limit) - 1);
    });

    it('encodes the last deadline and id in the cursor, `~<id>` for a problem without a deadline', async () => {
      // when
      const { cursors } = await paged({ sort: 'deadline' }, 1);

      // then
      expect(cursors).toEqual([
        `${deadlines.early}~${filed.early}`,
        `${deadlines.soon}~${filed.soon}`,
        `${deadlines.tieA}~${filed.tieA}`,
        `${deadlines.tieB}~${filed.tieB}`,
        `~${filed.openA}`,
      ]);
    });

    it('continues after the deadline and id a cursor names, whether or not a problem has them', async () => {
      // given cursors no page gave: between two deadlines, inside the tie, and among the undated
      const zero = '00000000-0000-0000-0000-000000000000';
      const last = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

      // then
      expect(await listed({ sort: 'deadline', cursor: `2026-03-15T00:00:00.000Z~${zero}` })).toEqual(['tieA', 'tieB', 'openA', 'openB']);
      expect(await listed({ sort: 'deadline', cursor: `${deadlines.tieA}~${filed.tieA}` })).toEqual(['tieB', 'openA', 'openB']);
      expect(await listed({ sort: 'deadline', cursor: `2030-01-01T00:00:00.000Z~${zero}` })).toEqual(['openA', 'openB']);
      expect(await listed({ sort: 'deadline', cursor: `~${filed.openA}` })).toEqual(['openB']);
      expect(await listed({ sort: 'deadline', cursor: `~${last}` })).toEqual([]);
    });

    it('pages a filtered list by deadline, and a filtered list newest first with plain ids', async () => {
      // when
      const byDeadline = await paged({ sort: 'deadline', deadlineState: 'onTrack,dueSoon' }, 1);
      const newest = await paged({ deadlineState: 'onTrack,dueSoon' }, 2);

      // then
      expect(byDeadline.keys).toEqual(['soon', 'tieA', 'tieB']);
      expect(newest.keys).toEqual(['tieB', 'soon', 'tieA']);
      expect(newest.cursors).toEqual([filed.soon]);
    });
  });

  describe('deadline state filter', () => {
    it('the problems are in the deadline states the table says', async () => {
      const states: Record<string, string> = {};
      for (const key of Object.keys(filed)) states[key] = (await steps.get('supervisor', filed[key])).body.deadlineState;
      expect(states).toEqual({ early: 'escalated', tieA: 'onTrack', soon: 'dueSoon', tieB: 'onTrack', openA: 'notSet', openB: 'notSet' });
    });

    it.each([
      ['escalated', ['early']],
      ['dueSoon', ['soon']],
      ['onTrack', ['tieA', 'tieB']],
      ['notSet', ['openA', 'openB']],
      ['overdue', []],
      ['dueSoon,escalated', ['early', 'soon']],
      ['escalated,overdue,dueSoon,escalated', ['early', 'soon']],
    ])('deadlineState=%s lists %o', async (deadlineState, expected) => {
      expect(await listed({ deadlineState, sort: 'deadline' })).toEqual(expected);
    });

    it('combines with the other filters and the scope', async () => {
      expect(await listed({ deadlineState: 'onTrack', department: t.org.departments.production })).toEqual(['tieB']);
      expect(await listed({ deadlineState: 'onTrack,escalated', sort: 'deadline' }, 'facilities')).toEqual(['early', 'tieA']);
      expect(await listed({ deadlineState: 'onTrack', state: 'found' })).toEqual([]);
    });
  });

  describe('invalid queries', () => {
    it.each([
      [{ sort: 'title' }, ['sort']],
      [{ sort: 'DEADLINE' }, ['sort']],
      [{ deadlineState: 'late' }, ['deadlineState']],
      [{ deadlineState: 'dueSoon,' }, ['deadlineState']],
      [{ deadlineState: '' }, ['deadlineState']],
      [{ deadlineState: 'dueSoon, overdue' }, ['deadlineState']],
      // a cursor of the other sort
      [{ sort: 'deadline', cursor: '01234567-89ab-cdef-0123-456789abcdef' }, ['cursor']],
      [{ cursor: '2026-03-05T09:00:00.000Z~01234567-89ab-cdef-0123-456789abcdef' }, ['cursor']],
      [{ sort: 'newest', cursor: '~01234567-89ab-cdef-0123-456789abcdef' }, ['cursor']],
      // not a cursor at all
      [{ sort: 'deadline', cursor: 'soon~01234567-89ab-cdef-0123-456789abcdef' }, ['cursor']],
      [{ sort: 'deadline', cursor: '2026-03-05T09:00:00.000Z~not-an-id' }, ['cursor']],
      [{ sort: 'deadline', cursor: '2026-03-05T09:00:00.000Z' }, ['cursor']],
      [{ sort: 'deadline', cursor: "2026-03-05T09:00:00' OR 1=1~01234567-89ab-cdef-0123-456789abcdef" }, ['cursor']],
    ] as Array<[Record<string, string>, string[]]>)('%o → 400 naming %o', async (query, fields) => {
      // when
      const response = await steps.list('inspector', query);

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(fields);
    });

    it('refuses a repeated deadlineState (one comma-separated value instead)', async () => {
      // when
      const response = await t.http().get('/problems?deadlineState=dueSoon&deadlineState=overdue').auth(t.tokens.inspector, { type: 'bearer' });

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['deadlineState']);
    });

    it.each(['sort=deadline', 'deadlineState=dueSoon'])('leaves the counts as they were: ?%s is not one of theirs (400)', async (query) => {
      // when
      const response = await t.http().get(`/problems/counts?${query}`).auth(t.tokens.supervisor, { type: 'bearer' });

      // then
      expectApiError(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual([query.split('=')[0]]);
    });
  });
});
