import { describe, expect, it } from '@jest/globals';
import { addClosure, chinaCalendar, workingDaysBetween } from '#calendar';
import {
  applyEvent,
  DEFAULT_DEADLINE_POLICY,
  type RectificationEvent,
  startRectification,
  type StoredSnapshot,
} from '#rectification';
import {
  explainProblemDeadline,
  LATER_RUNS_BUDGET_BYTES,
  LISTED_BUDGET_BYTES,
  MAX_COUNTED_DAYS,
  MAX_DAYS_LISTED,
} from './deadline-explanation.js';
import type { ProblemRecord } from './problem.records.js';

const NOW = new Date('2026-03-02T01:00:00.000Z');
const calendar = chinaCalendar({ years: [2026] });
/** The bound README states for the answer of GET /problems/:id/deadline (before recipients are added). */
const ANSWER_BOUND_BYTES = 64 * 1024;

/** A problem assigned at NOW with an explicit deadline, as the engine would have stored it (then events in order). */
function assignedWith(deadline: string, ...events: Array<Record<string, unknown>>): ProblemRecord {
  let snapshot: StoredSnapshot = startRectification({ problemId: 'p-1', severity: 'major', filedBy: 'inspector-1', filedAt: NOW.toISOString() });
  const assign = { type: 'ASSIGN', departmentId: 'dept-a', deadline, deadlineBasis: { kind: 'explicit', setAt: NOW.toISOString() } };
  for (const event of [assign, ...events]) {
    snapshot = applyEvent(snapshot, { at: NOW.toISOString(), actorId: 'actor-1', ...event } as RectificationEvent)!;
  }
  return {
    id: 'p-1',
    severity: 'major',
    stateDetail: 'assigned',
    departmentId: 'dept-a',
    deadline: snapshot.context.deadline,
    snapshot,
  } as ProblemRecord;
}

function explain(problem: ProblemRecord, now = NOW, on = calendar) {
  return explainProblemDeadline(problem, on, true, DEFAULT_DEADLINE_POLICY, now);
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe(explainProblemDeadline.name, () => {
  it('lists every day of a normal deadline, as before: counted, skipped and why', () => {
    // given a deadline on Friday 2026-03-20, set on Monday 03-02
    const problem = assignedWith('2026-03-20T10:00:00.000Z');

    // when
    const { counting, remainingWorkingDays, notCounted } = explain(problem);

    // then
    expect(counting).toMatchObject({ from: '2026-03-02', to: '2026-03-20', workingDays: 14, listedThrough: '2026-03-20', later: null });
    expect(counting?.counted.map((day) => day.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(counting?.skipped).toHaveLength(4);
    expect(remainingWorkingDays).toBe(14);
    expect(notCounted).toBeNull();
  });

  it('summarises a deadline five years out after the first days, exactly and in a small answer', () => {
    // given the longest deadline the default horizon allows, with a closure inside the summarised part
    const closed = addClosure(calendar, '2029-06-01', 'Plant moves');
    const problem = assignedWith('2031-03-01T10:00:00.000Z');

    // when
    const explanation = explain(problem, NOW, closed);

    // then the answer stays small, and lists at most MAX_DAYS_LISTED days one by one
    expect(bytes(explanation)).toBeLessThan(ANSWER_BOUND_BYTES);
    const counting = explanation.counting!;
    expect(counting.counted.length + counting.skipped.length).toBeLessThanOrEqual(MAX_DAYS_LISTED);
    expect(counting.outsideHolidayCoverage.length).toBeLessThanOrEqual(MAX_DAYS_LISTED);
    // and the days after the list are summarised, the totals still exact
    expect(counting.workingDays).toBe(workingDaysBetween(closed, NOW, '2031-03-01T10:00:00.000Z'));
    expect(counting.later).not.toBeNull();
    expect(counting.counted.length + counting.later!.workingDays).toBe(counting.workingDays);
    expect(counting.later).toMatchObject({ to: '2031-03-01', outsideHolidayCoverage: [{ from: counting.later!.from, to: '2031-03-01' }] });
    expect(counting.later!.runs).toContainEqual({ from: '2029-06-01', to: '2029-06-01', count: 1, kind: 'closure', name: 'Plant moves' });
    expect(explanation.remainingWorkingDays).toBe(counting.workingDays);
  });

  it.each([
    ['in year 9998', '9998-06-01T00:00:00.000Z'],
    ['at the very end of year 9999', '9999-12-31T23:59:59.999Z'],
  ])('answers, small, for a deadline stored before the horizon existed %s, without counting to it', (_label, deadline) => {
    // given a problem whose deadline was accepted before DEADLINE_HORIZON_YEARS existed
    const problem = assignedWith(deadline);

    // when
    const explanation = explain(problem);

    // then it says why nothing is counted, rather than walking millions of days
    expect(bytes(explanation)).toBeLessThan(ANSWER_BOUND_BYTES);
    expect(explanation).toMatchObject({ deadline, counting: null, remainingWorkingDays: null, elapsedWorkingDays: 0, schedule: [] });
    expect(explanation.notCounted).toContain(String(MAX_COUNTED_DAYS));
  });

  it('keeps the day-by-day list small even when every day carries a long name', () => {
    // given a suspension of the clock with the longest reason the API takes, over months
    const reason = '因'.repeat(2000);
    const problem = assignedWith(
      '2026-12-31T10:00:00.000Z',
      { type: 'START', measures: 'm', responsiblePerson: 'r', plannedCompletionDate: '2026-12-01' },
      { type: 'REQUEST_SUSPENSION', reason },
      { type: 'APPROVE_SUSPENSION' },
    );
    const started = { ...problem, stateDetail: 'rectifying.inProgress' };

    // when it is explained months later
    const explanation = explain(started, new Date('2026-09-01T01:00:00.000Z'));

    // then the suspended days are listed only as far as the budget goes, and summarised after
    expect(bytes(explanation.counting)).toBeLessThan(LISTED_BUDGET_BYTES + LATER_RUNS_BUDGET_BYTES + 2048);
    expect(bytes(explanation)).toBeLessThan(ANSWER_BOUND_BYTES);
    expect(explanation.counting?.later?.runs[0]).toMatchObject({ kind: 'suspended', name: reason });
  });
});
