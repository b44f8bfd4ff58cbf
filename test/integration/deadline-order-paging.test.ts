import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ProblemScope } from '#access';
import type { ProblemRecord } from '#engine';
import { DEADLINE_STATES, type DeadlineState } from '#rectification';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

/**
 * Lists by deadline are read as ordered index walks (one per deadline state asked for, merged, then the undated
 * problems): whatever the states, the scope and the page size, chaining the pages must give exactly the stored
 * problems the filter matches, each once, earliest deadline first, undated last, ties by id.
 */
describe('Listing by deadline, page after page', () => {
  let t: TestEngine;
  let stored: ProblemRecord[];
  const everything: ProblemScope = { kind: 'everything' };
  const DAY = 86_400_000;

  beforeAll(async () => {
    t = await createTestEngine();
    const { inspector, facilities } = t.org.users;
    const start = t.clock.now().getTime();
    // Deadlines from a few days only, so many problems share one (ties broken by id), in two departments;
    // some never assigned (no deadline), some started, some cancelled.
    for (let n = 0; n < 48; n += 1) {
      const problem = await t.engine.file(inspector.actor, {
        title: `p${n}`, description: 'd', category: 'fire', severity: 'major', location: `hall ${n}`, inspectionRef: 'INS-1', requirement: 'r',
      });
      if (n % 6 === 5) continue;
      if (n % 6 === 4) {
        await t.engine.send(inspector.actor, problem.id, { type: 'CANCEL', reason: 'filed twice' });
        continue;
      }
      const departmentId = n % 2 === 0 ? t.org.departments.facilities : t.org.departments.production;
      const deadline = new Date(start + [2, 5, 5, 9, 30][n % 5] * DAY).toISOString();
      await t.engine.send(inspector.actor, problem.id, { type: 'ASSIGN', departmentId, deadline });
      if (n % 3 === 0 && departmentId === t.org.departments.facilities) {
        await t.engine.send(facilities.actor, problem.id, { type: 'START', measures: 'm', responsiblePerson: 'p', plannedCompletionDate: deadline.slice(0, 10) });
      }
    }
    // A week on: some due soon, some overdue or escalated.
    t.clock.set(new Date(start + 7 * DAY));
    const now = t.clock.now().toISOString();
    for (const problem of await t.problems.list({ limit: 1_000 }, everything)) {
      // Every timer due by now, as the scheduler would fire them (a fired one may plan the next).
      for (let timer = problem.nextTimer; timer && timer.fireAt <= now; ) {
        await t.engine.fireTimer(problem.id, timer.id);
        timer = (await t.problems.findById(problem.id))!.nextTimer;
      }
    }
    stored = await t.problems.list({ limit: 1_000 }, everything);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  const byDeadline = (a: ProblemRecord, b: ProblemRecord) =>
    a.deadline === b.deadline ? (a.id < b.id ? -1 : 1) : a.deadline === null ? 1 : b.deadline === null ? -1 : a.deadline < b.deadline ? -1 : 1;

  async function allPages(states: DeadlineState[] | undefined, scope: ProblemScope, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let after: { deadline: string | null; id: string } | undefined;
    for (let guard = 0; guard < 200; guard += 1) {
      const page = await t.problems.list({ sort: 'deadline', deadlineStates: states, afterDeadline: after, limit }, scope);
      ids.push(...page.map((problem) => problem.id));
      if (page.length < limit) return ids;
      const last = page[page.length - 1];
      after = { deadline: last.deadline, id: last.id };
    }
    throw new Error('the pages never ended');
  }

  it('has problems in several deadline states, with shared deadlines and without one, to page through', () => {
    const states = new Set(stored.map((problem) => problem.deadlineState));
    expect(states.size).toBeGreaterThanOrEqual(5);
    expect(stored.some((problem) => problem.deadline === null)).toBe(true);
    const deadlines = stored.map((problem) => problem.deadline).filter((deadline) => deadline !== null);
    expect(new Set(deadlines).size).toBeLessThan(deadlines.length);
  });

  it('gives every matching problem once, in deadline order, for any states, scope and page size', async () => {
    const departments: ProblemScope = { kind: 'departments', departmentIds: [t.org.departments.facilities] };
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.subarray([...DEADLINE_STATES], { minLength: 1 }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 1, max: 9 }),
        async (states, wholeOrganisation, limit) => {
          const scope = wholeOrganisation ? everything : departments;
          const inScope = await t.problems.list({ limit: 1_000 }, scope);
          const expected = inScope
            .filter((problem) => states === undefined || states.includes(problem.deadlineState as DeadlineState))
            .sort(byDeadline)
            .map((problem) => problem.id);
          expect(await allPages(states, scope, limit)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
