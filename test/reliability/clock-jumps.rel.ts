/**
 * The clock jumps (issue #7, part 6): the fake clock moves forward a day, back an hour, forward 23 or 25 hours, with
 * or without a sweep after each move, while several problems sit at different deadline stages (on track, due soon,
 * overdue and escalating, waiting for verification, suspended), some filed before the jumps and some during them.
 *
 * After every sweep, for every problem:
 * - nothing fired early: each timer row of the history has occurredAt ≥ its scheduledFor, and the timers fired by
 *   this sweep were due by the clock then (scheduledFor ≤ now);
 * - nothing is lost, nothing is doubled: the timers fired so far are exactly the planned steps due by the latest
 *   instant a sweep ran at, each once, at its planned time;
 * - order: reminders, then the deadline, then escalation levels 1, 2, 3, in the order of their times.
 * At the end the clock moves far ahead and one sweep fires everything left: every planned step fired exactly once.
 *
 * The planned steps come from the deadline explanation (GET /problems/:id/deadline's schedule, a different code path
 * from the timer plan the scheduler follows), keeping only the reminders after the deadline was set, and the
 * verification deadline (5 working days after submission) counted on the calendar.
 */
import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addWorkingDays } from '#calendar';
import type { Actor } from '#domain';
import {
  CalendarProvider,
  explainProblemDeadline,
  ProblemRepository,
  type ProblemRecord,
  RectificationEngine,
} from '#engine';
import { DeadlineScheduler } from '#scheduler';
import { DEFAULT_DEADLINE_POLICY } from '#rectification';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { reportFigures, scaled } from './support/reliability-scale.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Moves of the clock: forward a day, back an hour, and the combinations around them. */
const MOVES = { '+1d': DAY, '-1h': -HOUR, '+23h': 23 * HOUR, '+25h': 25 * HOUR, '+1h': HOUR, '-1d+1h': -23 * HOUR } as const;
type Move = keyof typeof MOVES;

/** How a problem is set up, which decides the timers it has. */
const KINDS = ['majorPolicy', 'criticalPolicy', 'explicitOddHour', 'explicitTomorrow', 'verifying', 'suspended'] as const;
type Kind = (typeof KINDS)[number];

interface PlannedStep {
  label: string;
  at: number;
}

interface Tracked {
  id: string;
  kind: Kind;
  planned: PlannedStep[];
  /** The latest instant a sweep ran at since the plan was made: everything planned up to it has fired. */
  sweptUpTo: number;
  /** Timers fired before the plan was made again (by REJECT or RESUME): they stay in the history, first. */
  firedBefore: string[];
}

interface TimerRow {
  eventType: string;
  actorRole: string;
  occurredAt: string;
  payload: { scheduledFor?: string; level?: number; workingDaysBefore?: number };
}

const figures = {
  runs: 0,
  problems: 0,
  moves: 0,
  'moves forward': 0,
  'moves back': 0,
  sweeps: 0,
  'timers fired': 0,
  'timers fired a day late or more (no sweep meanwhile)': 0,
  rejections: 0,
  resumptions: 0,
  'early fires': 0,
  'lost or doubled': 0,
};

const firedLabel = (row: TimerRow) => `${stepLabel(row)}@${row.payload.scheduledFor}`;
const plannedLabel = (step: PlannedStep) => `${step.label}@${new Date(step.at).toISOString()}`;
const stepLabel = (row: TimerRow) =>
  row.eventType === 'DEADLINE_REMINDER'
    ? `REMINDER:${row.payload.workingDaysBefore}`
    : row.eventType === 'ESCALATE'
      ? `ESCALATE:${row.payload.level}`
      : row.eventType;

/** The order of a problem's steps when two fall at the same instant (the deadline, then escalation level 1). */
const RANK: Record<string, number> = { 'REMINDER:3': 0, 'REMINDER:1': 1, DEADLINE_PASSED: 2, 'ESCALATE:1': 3, 'ESCALATE:2': 4, 'ESCALATE:3': 5, VERIFICATION_OVERDUE: 6 };

class Run {
  readonly problems: Tracked[] = [];
  private filings = 0;

  constructor(readonly t: TestApp) {}

  get engine() {
    return this.t.app.get(RectificationEngine);
  }

  private actor(role: 'inspector' | 'supervisor' | 'facilities'): Actor {
    return this.t.org.users[role].actor;
  }

  private now(): number {
    return this.t.clock.now().getTime();
  }

  async record(id: string): Promise<ProblemRecord> {
    const record = await this.t.app.get(ProblemRepository).findById(id);
    if (!record) throw new Error(`problem ${id} is gone`);
    return record;
  }

  /** Files and sets up a problem of `kind` now, and writes down the timer steps it must see. */
  async setUp(kind: Kind): Promise<void> {
    this.filings += 1;
    figures.problems += 1;
    const inspector = this.actor('inspector');
    const facilities = this.actor('facilities');
    const severity = kind === 'criticalPolicy' ? 'critical' : kind === 'majorPolicy' ? 'major' : 'minor';
    const problem = await this.engine.file(inspector, {
      title: `Finding ${this.filings}`,
      description: 'Found on inspection',
      category: 'fire-safety',
      severity,
      location: `Site ${this.filings}`,
      inspectionRef: 'INSP-CLOCK',
      requirement: 'Put it right',
    });
    const id = problem.id;
    const now = this.now();
    const calendar = this.t.app.get(CalendarProvider).current();
    const explicit =
      kind === 'explicitOddHour'
        ? // six working days ahead, at 12:34 Shanghai time (04:34Z): not on a working-day boundary
          new Date(Date.parse(addWorkingDays(calendar, new Date(now), 6).toISOString().slice(0, 10) + 'T04:34:00.000Z'))
        : kind === 'explicitTomorrow'
          ? new Date(now + DAY + 7 * HOUR)
          : kind === 'verifying' || kind === 'suspended'
            ? addWorkingDays(calendar, new Date(now), 8)
            : null;
    await this.engine.send(inspector, id, {
      type: 'ASSIGN',
      departmentId: this.t.org.departments.facilities,
      ...(explicit === null ? {} : { deadline: explicit.toISOString() }),
    });
    if (kind === 'verifying' || kind === 'suspended') {
      await this.engine.send(facilities, id, { type: 'START', measures: 'Clear it', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-04-30' });
    }
    if (kind === 'verifying') await this.engine.send(facilities, id, { type: 'SUBMIT', summary: 'Done' });
    if (kind === 'suspended') {
      await this.engine.send(facilities, id, { type: 'REQUEST_SUSPENSION', reason: 'Waiting for the fire brigade' });
      await this.engine.send(this.actor('supervisor'), id, { type: 'APPROVE_SUSPENSION', comment: 'Agreed' });
    }
    this.problems.push({ id, kind, planned: await this.plannedSteps(id), sweptUpTo: -Infinity, firedBefore: [] });
  }

  /** What the problem must see: the explained schedule (reminders only after the deadline was set), or verification. */
  private async plannedSteps(id: string): Promise<PlannedStep[]> {
    const record = await this.record(id);
    const calendar = this.t.app.get(CalendarProvider).current();
    if (record.deadlineState === 'suspended') return [];
    if (record.deadlineState === 'verifying') {
      const submittedAt = record.snapshot.context.submission!.at;
      return [{ label: 'VERIFICATION_OVERDUE', at: addWorkingDays(calendar, submittedAt, DEFAULT_DEADLINE_POLICY.verificationWorkingDays).getTime() }];
    }
    const explanation = explainProblemDeadline(record, calendar, true, DEFAULT_DEADLINE_POLICY, this.t.clock.now());
    const basis = explanation.basis!;
    const setAt = Date.parse(basis.kind === 'policy' ? basis.from : basis.setAt);
    const deadline = Date.parse(explanation.deadline!);
    const steps: PlannedStep[] = [];
    for (const step of explanation.schedule) {
      const at = Date.parse(step.at);
      if (step.kind === 'reminder') {
        if (at > setAt && at < deadline) steps.push({ label: `REMINDER:${step.workingDaysBefore}`, at });
      } else {
        if (step.level === 1) steps.push({ label: 'DEADLINE_PASSED', at });
        steps.push({ label: `ESCALATE:${step.level}`, at });
      }
    }
    return steps.sort((a, b) => a.at - b.at || RANK[a.label] - RANK[b.label]);
  }

  /**
   * A person acts between the jumps: the first problem waiting for verification is sent back (REJECT), or the first
   * suspended one resumed (RESUME, moving its deadline by the working days the suspension covered). Its clock runs
   * again, so its plan is made again from now: the timers it fired so far stay, the new ladder follows.
   */
  async act(action: 'reject' | 'resume'): Promise<void> {
    const state = action === 'reject' ? 'verifying' : 'suspended';
    for (const p of this.problems) {
      const record = await this.record(p.id);
      if (record.deadlineState !== state && !(action === 'reject' && record.deadlineState === 'verificationOverdue')) continue;
      figures[action === 'reject' ? 'rejections' : 'resumptions'] += 1;
      if (action === 'reject') await this.engine.send(this.actor('inspector'), p.id, { type: 'REJECT', reason: 'Not done yet' });
      else await this.engine.send(this.actor('facilities'), p.id, { type: 'RESUME', comment: 'The brigade came' });
      p.firedBefore = (await this.timerRows(p.id)).map(firedLabel);
      p.planned = await this.plannedSteps(p.id);
      p.sweptUpTo = -Infinity;
      return;
    }
  }

  async timerRows(id: string): Promise<TimerRow[]> {
    const history = await this.t.app.get(ProblemRepository).history(id);
    return history.filter((row) => row.actorRole === 'system') as unknown as TimerRow[];
  }

  async move(move: Move): Promise<void> {
    figures.moves += 1;
    if (MOVES[move] > 0) figures['moves forward'] += 1;
    else figures['moves back'] += 1;
    this.t.clock.advance(MOVES[move]);
  }

  /** Sweeps, then checks every problem's timers against its plan. */
  async sweep(final = false): Promise<void> {
    figures.sweeps += 1;
    const before = new Map<string, number>();
    for (const p of this.problems) before.set(p.id, (await this.timerRows(p.id)).length);
    const result = await this.t.app.get(DeadlineScheduler).sweep();
    expect(result.failed).toBe(0);
    const now = this.now();
    for (const p of this.problems) {
      p.sweptUpTo = Math.max(p.sweptUpTo, now);
      const rows = await this.timerRows(p.id);
      const fresh = rows.slice(before.get(p.id));
      figures['timers fired'] += fresh.length;
      this.check(p, rows, fresh, now, final);
    }
  }

  check(p: Tracked, rows: TimerRow[], fresh: TimerRow[], now: number, final: boolean): void {
    const where = `problem ${p.id} (${p.kind}) at ${new Date(now).toISOString()}`;
    // nothing early: each row at or after its due time, and this sweep's rows due by the clock now
    for (const row of rows) {
      const due = Date.parse(row.payload.scheduledFor ?? 'missing');
      if (Date.parse(row.occurredAt) < due) {
        figures['early fires'] += 1;
        throw new Error(`${where}: ${stepLabel(row)} fired at ${row.occurredAt}, before its time ${row.payload.scheduledFor}`);
      }
    }
    for (const row of fresh) {
      if (!final && Date.parse(row.occurredAt) - Date.parse(row.payload.scheduledFor!) >= DAY) figures['timers fired a day late or more (no sweep meanwhile)'] += 1;
      if (Date.parse(row.payload.scheduledFor!) > now) {
        figures['early fires'] += 1;
        throw new Error(`${where}: this sweep fired ${stepLabel(row)} due ${row.payload.scheduledFor}, after the clock`);
      }
    }
    // nothing lost, nothing doubled: exactly the planned steps due by the latest sweep, at their planned times, in order
    const fired = rows.map(firedLabel);
    const due = [...p.firedBefore, ...p.planned.filter((step) => step.at <= p.sweptUpTo).map(plannedLabel)];
    if (JSON.stringify(fired) !== JSON.stringify(due)) {
      figures['lost or doubled'] += 1;
      throw new Error(`${where}, swept up to ${new Date(p.sweptUpTo).toISOString()}:\n  fired   ${JSON.stringify(fired)}\n  planned ${JSON.stringify(due)}`);
    }
    // reminders before the deadline, the deadline before escalation, levels in order (in each plan)
    const ranks = rows.slice(p.firedBefore.length).map((row) => RANK[stepLabel(row)]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  }
}

const runs = scaled(12, 150);

describe('Clock jumps: timers neither fire early nor get lost, and keep their order', () => {
  const started = Date.now();
  afterAll(() => {
    reportFigures('clock jumps (fake clock forward a day, back an hour, sweeps between)', {
      ...figures,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  });

  it('a known ladder, checked by hand: major problem assigned Monday 2026-03-02 09:00 Shanghai', async () => {
    const t = await createTestApp();
    try {
      const run = new Run(t);
      await run.setUp('majorPolicy');
      // the plan the checks rely on, against the dates the README's rules give (10 working days: Monday 03-16 18:00)
      expect(run.problems[0].planned.map((step) => `${step.label}@${new Date(step.at).toISOString()}`)).toEqual([
        'REMINDER:3@2026-03-11T01:00:00.000Z',
        'REMINDER:1@2026-03-13T01:00:00.000Z',
        'DEADLINE_PASSED@2026-03-16T10:00:00.000Z',
        'ESCALATE:1@2026-03-16T10:00:00.000Z',
        'ESCALATE:2@2026-03-19T10:00:00.000Z',
        'ESCALATE:3@2026-03-30T10:00:00.000Z',
      ]);
      // around the first reminder: the clock passes it without a sweep, goes back an hour, and a sweep then fires
      // nothing (it is not due by the clock now); a day later it fires, once
      t.clock.set('2026-03-11T00:30:00.000Z');
      await run.sweep();
      expect(await run.timerRows(run.problems[0].id)).toHaveLength(0);
      await run.move('+1h');
      await run.move('-1h');
      await run.sweep();
      expect(await run.timerRows(run.problems[0].id)).toHaveLength(0);
      await run.move('+1d');
      await run.sweep();
      await run.sweep();
      expect((await run.timerRows(run.problems[0].id)).map(stepLabel)).toEqual(['REMINDER:3']);
      t.clock.set('2026-04-30T00:00:00.000Z');
      await run.sweep();
      expect((await run.timerRows(run.problems[0].id)).map(stepLabel)).toEqual(['REMINDER:3', 'REMINDER:1', 'DEADLINE_PASSED', 'ESCALATE:1', 'ESCALATE:2', 'ESCALATE:3']);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('random sequences of jumps, sweeps and new problems', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            move: fc.constantFrom<Move>('+1d', '+1d', '-1h', '+23h', '+25h', '+1h', '-1d+1h'),
            sweep: fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
            file: fc.option(fc.constantFrom(...KINDS), { freq: 6 }),
            act: fc.option(fc.constantFrom<'reject' | 'resume'>('reject', 'resume'), { freq: 5 }),
          }),
          { minLength: 25, maxLength: 45 },
        ),
        fc.shuffledSubarray([...KINDS], { minLength: 3 }),
        async (steps, initialKinds) => {
          figures.runs += 1;
          const t = await createTestApp();
          try {
            const run = new Run(t);
            for (const kind of initialKinds) await run.setUp(kind);
            for (const step of steps) {
              await run.move(step.move);
              if (step.file) await run.setUp(step.file);
              if (step.act) await run.act(step.act);
              if (step.sweep) await run.sweep();
            }
            // long after everything: every planned step has fired, exactly once
            await run.move('+1d');
            t.clock.advance(90 * DAY);
            await run.sweep(true);
            for (const p of run.problems) {
              const rows = await run.timerRows(p.id);
              expect(rows.map(firedLabel)).toEqual([...p.firedBefore, ...p.planned.map(plannedLabel)]);
              const record = await run.record(p.id);
              expect(record.nextTimer).toBeNull();
            }
          } finally {
            await t.close();
          }
        },
      ),
      { numRuns: runs, seed: Number(process.env.FC_SEED ?? 20261126), endOnFailure: true },
    );
    expect(figures.runs).toBe(runs);
    expect(figures['moves back']).toBeGreaterThan(runs);
    expect(figures['timers fired']).toBeGreaterThan(runs * 3);
  }, scaled(300_000, 3_600_000));
});
