import { describe, expect, it } from '@jest/globals';
import { chinaCalendar } from '#calendar';
import type { Actor } from '#domain';
import {
  completePolicy,
  DEFAULT_DEADLINE_POLICY,
  type DeadlinePolicy,
  type DeadlinePolicyBook,
  type DeadlinePolicyDraft,
  policyDraftProblems,
  policyOf,
  rectificationWorkingDaysFor,
  sameAsPolicy,
  singlePolicyBook,
} from './deadline.policy.js';
import { POLICY_PRESETS } from './deadline-policy.presets.js';
import { OPTIONAL_EVIDENCE_POLICY } from './evidence.policy.js';
import type { HumanEvent, TimerEvent } from './rectification.events.js';
import { fireTimer, type StepEnvironment, type StepProblem, takeEvent, type TakenStep } from './rectification.step.js';
import { repeatPolicyFrom } from './repeat.policy.js';
import { DEADLINE_STATES, startRectification, stateDetail } from './rectification.workflow.js';
import { type LightRule, trafficLight } from './traffic-light.js';

const calendar = chinaCalendar();
const inspector: Actor = { userId: 'inspector-1', name: 'Inspector', role: 'inspector', departmentId: 'office' };
const supervisor: Actor = { userId: 'supervisor-1', name: 'Supervisor', role: 'supervisor', departmentId: 'office' };
const department: Actor = { userId: 'dept-user', name: 'Facilities', role: 'department', departmentId: 'dept-a' };
const facts = { departmentId: 'dept-a', filedBy: inspector.userId, supervisedByActor: true };

/** START by the department: a step that leaves the deadline as it is. */
function started(at: string): HumanEvent {
  return { type: 'START', measures: 'clear the exit', responsiblePerson: 'Li', plannedCompletionDate: '2026-03-06', at, actorId: department.userId } as HumanEvent;
}

const VERSION_2: DeadlinePolicy = {
  ...DEFAULT_DEADLINE_POLICY,
  version: 2,
  name: '2026 版',
  rectificationWorkingDays: { critical: 2, major: 5, general: 15, minor: 20 },
  categories: [{ category: '消防', rectificationWorkingDays: { critical: 1, major: 12, general: 12, minor: 12 } }],
  remindersBeforeWorkingDays: [2],
  escalation: [
    { level: 1, name: '督办通知书', workingDaysAfterDeadline: 0, recipients: 'departmentHead', responseWorkingDays: 3 },
    { level: 2, name: '提醒书', workingDaysAfterDeadline: 1, recipients: 'supervisingOffice', responseWorkingDays: null },
    { level: 3, name: '约谈', workingDaysAfterDeadline: 2, recipients: 'leadership', responseWorkingDays: null },
    { level: 4, name: '问责', workingDaysAfterDeadline: 5, recipients: 'leadership', responseWorkingDays: null },
  ],
};

/** Version 1 and, once published, version 2 in force. */
function book(current: DeadlinePolicy): DeadlinePolicyBook {
  const all = [current, DEFAULT_DEADLINE_POLICY, VERSION_2].filter((policy) => policy.version <= current.version);
  return { current: () => current, find: (stamp) => all.find((policy) => policy.version === stamp.policyVersion) ?? null };
}

function env(now: string, current: DeadlinePolicy): StepEnvironment {
  return {
    calendar,
    now: new Date(now),
    policies: { evidence: OPTIONAL_EVIDENCE_POLICY, repeat: repeatPolicyFrom(undefined), deadlineHorizonYears: 5 },
    deadlinePolicies: book(current),
  };
}

/** A problem filed and assigned on Monday 2026-03-02 (or `at`) under `current`. */
function assigned(category: string, current: DeadlinePolicy, deadline?: string, at = '2026-03-02T01:00:00.000Z'): StepProblem & { stateDetail: string } {
  const filed = startRectification({ problemId: 'p-1', severity: 'major', filedBy: inspector.userId, filedAt: at });
  const problem: StepProblem = { id: 'p-1', version: 1, severity: 'major', category, departmentId: null, filerDepartmentId: 'office', snapshot: filed };
  const event = { type: 'ASSIGN', departmentId: 'dept-a', at, actorId: inspector.userId, ...(deadline ? { deadline } : {}) } as HumanEvent;
  const step = taken(takeEvent(problem, event, inspector, facts, [], env(at, current)));
  return { ...problem, version: 2, departmentId: 'dept-a', snapshot: step.next, stateDetail: stateDetail(step.next.value) };
}

function taken(step: ReturnType<typeof takeEvent>): TakenStep {
  if (!step.taken) throw new Error(`refused: ${JSON.stringify(step)}`);
  return step;
}

describe('Deadline policy versions', () => {
  it('gives a category its own period, else the severity’s', () => {
    expect(rectificationWorkingDaysFor(VERSION_2, 'major', '消防')).toBe(12);
    expect(rectificationWorkingDaysFor(VERSION_2, 'major', '卫生')).toBe(5);
    expect(rectificationWorkingDaysFor(VERSION_2, 'critical', null)).toBe(2);
  });

  it('counts and stamps ASSIGN with the version in force, by category', () => {
    const problem = assigned('消防', VERSION_2);

    expect(problem.snapshot.context.deadline).toBe('2026-03-18T10:00:00.000Z');
    expect(problem.snapshot.context.deadlineBasis).toMatchObject({ kind: 'policy', policyVersion: 2, workingDays: 12 });
  });

  it('stamps an explicit deadline too, and a deadline given at filing when ASSIGN keeps it', () => {
    const explicit = assigned('卫生', VERSION_2, '2026-03-20T10:00:00.000Z');
    expect(explicit.snapshot.context.deadlineBasis).toEqual({ kind: 'explicit', setAt: '2026-03-02T01:00:00.000Z', policyId: 'default', policyVersion: 2 });

    const filedAt = '2026-03-02T01:00:00.000Z';
    const filed = startRectification({ problemId: 'p-2', severity: 'major', filedBy: inspector.userId, filedAt, deadline: '2026-03-25T10:00:00.000Z' });
    const problem: StepProblem = { id: 'p-2', version: 1, severity: 'major', category: '卫生', departmentId: null, filerDepartmentId: 'office', snapshot: filed };
    const step = taken(takeEvent(problem, { type: 'ASSIGN', departmentId: 'dept-a', at: filedAt, actorId: inspector.userId }, inspector, facts, [], env(filedAt, VERSION_2)));
    expect(step.next.context.deadline).toBe('2026-03-25T10:00:00.000Z');
    expect(step.next.context.deadlineBasis).toEqual({ kind: 'explicit', setAt: filedAt, policyId: 'default', policyVersion: 2 });
  });

  it('leaves an explicit deadline unstamped under the built-in version 1, as before versions existed', () => {
    const explicit = assigned('卫生', DEFAULT_DEADLINE_POLICY, '2026-03-20T10:00:00.000Z');

    expect(explicit.snapshot.context.deadlineBasis).toEqual({ kind: 'explicit', setAt: '2026-03-02T01:00:00.000Z' });
    expect(policyOf(book(VERSION_2), explicit.snapshot.context.deadlineBasis)).toBe(DEFAULT_DEADLINE_POLICY);
  });

  it('plans a running problem’s timers from its own version after a newer one is published', () => {
    const underOne = assigned('消防', DEFAULT_DEADLINE_POLICY);
    const at = '2026-03-03T02:00:00.000Z';

    // a step once version 2 is in force keeps version 1's first reminder (3 working days before 03-16)
    const step = taken(takeEvent(underOne, started(at), department, facts, [], env(at, VERSION_2)));

    expect(step.next.context.deadlineBasis).toMatchObject({ policyVersion: 1 });
    expect(step.nextTimer?.event).toEqual({ type: 'DEADLINE_REMINDER', scheduledFor: '2026-03-11T01:00:00.000Z', workingDaysBefore: 3 });
  });

  it('climbs a ladder of any length: version 2’s fourth step fires 5 working days after the deadline', () => {
    let problem = assigned('卫生', VERSION_2);
    const fire = (timer: TakenStep['nextTimer']) => {
      const event = { ...timer!.event, at: timer!.fireAt, actorId: 'system' } as TimerEvent;
      const step = fireTimer(problem, event, env(timer!.fireAt, VERSION_2));
      problem = { ...problem, version: problem.version + 1, snapshot: step.next, stateDetail: stateDetail(step.next.value) };
      return step;
    };
    // deadline Monday 03-09: reminder 03-05, the deadline, then levels 1–4
    let step = fire(taken(takeEvent(problem, started('2026-03-02T02:00:00.000Z'), department, facts, [], env('2026-03-02T02:00:00.000Z', VERSION_2))).nextTimer);
    const fired: string[] = [step.event.type];
    while (step.nextTimer) {
      step = fire(step.nextTimer);
      fired.push(step.event.type === 'ESCALATE' ? `ESCALATE:${(step.event as { level: number }).level}@${step.event.at.slice(0, 10)}` : step.event.type);
    }

    expect(fired).toEqual(['DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE:1@2026-03-09', 'ESCALATE:2@2026-03-10', 'ESCALATE:3@2026-03-11', 'ESCALATE:4@2026-03-16']);
  });

  it('moves a problem to the version in force on RECOUNT_DEADLINE, with that version’s period for it', () => {
    const underOne = assigned('消防', DEFAULT_DEADLINE_POLICY);
    const at = '2026-03-03T02:00:00.000Z';

    const step = taken(takeEvent(underOne, { type: 'RECOUNT_DEADLINE', reason: '新办法', at, actorId: supervisor.userId } as HumanEvent, supervisor, facts, [], env(at, VERSION_2)));

    expect(step.next.context.deadline).toBe('2026-03-18T10:00:00.000Z');
    expect(step.next.context.deadlineBasis).toMatchObject({ policyVersion: 2, workingDays: 12, from: '2026-03-02T01:00:00.000Z' });
    // the same recount on the same versions changes nothing: refused
    const again = takeEvent({ ...underOne, version: 3, snapshot: step.next }, { type: 'RECOUNT_DEADLINE', reason: 'again', at, actorId: supervisor.userId } as HumanEvent, supervisor, facts, [], env(at, VERSION_2));
    expect(again).toMatchObject({ taken: false, refusal: { code: 'PROBLEM.DEADLINE_ALREADY_CURRENT' } });
  });

  it('runs problems assigned before versions existed (no stamp) under the built-in version 1', () => {
    expect(policyOf(singlePolicyBook(VERSION_2), { kind: 'explicit', setAt: '2026-03-02T01:00:00.000Z' })).toBe(DEFAULT_DEADLINE_POLICY);
    expect(policyOf(book(VERSION_2), null)).toBe(DEFAULT_DEADLINE_POLICY);
    expect(() => policyOf(singlePolicyBook(), { kind: 'explicit', setAt: 'x', policyId: 'default', policyVersion: 7 })).toThrow(/version 7 is not loaded/);
  });
});

describe('Traffic lights by time left', () => {
  const rule: LightRule = { kind: 'timeLeft', blackFromEscalationLevel: 3 };
  const base = startRectification({ problemId: 'p', severity: 'major', filedBy: 'u', filedAt: '2026-03-02T01:00:00.000Z' });
  const lightIn = (state: string, level: number, lightRule: LightRule = rule) =>
    trafficLight({ value: { rectification: 'rectifying', deadline: state }, context: { ...base.context, escalationLevel: level } }, lightRule, chinaCalendar(), new Date());

  it('are green, yellow, red with the clock, black from the rule’s step, and out where no clock runs for the department', () => {
    const lights = DEADLINE_STATES.map((state) => [state, lightIn(state, 0)]);
    expect(Object.fromEntries(lights)).toEqual({
      notSet: null,
      onTrack: 'green',
      dueSoon: 'yellow',
      overdue: 'red',
      escalated: 'red',
      verifying: null,
      verificationOverdue: null,
      suspended: null,
      stopped: null,
      cancelled: null,
    });
    expect([1, 2, 3, 4].map((level) => lightIn('escalated', level))).toEqual(['red', 'red', 'black', 'black']);
    expect(lightIn('escalated', 9, { kind: 'timeLeft', blackFromEscalationLevel: null })).toBe('red');
  });

  it('come with each step: a problem assigned under version 2 is black at its first escalation when the rule says 1', () => {
    const blackAtOne: DeadlinePolicy = { ...VERSION_2, lights: { kind: 'timeLeft', blackFromEscalationLevel: 1 } };
    let problem = assigned('卫生', blackAtOne);
    const lights: Array<string | null> = [];
    let step = taken(takeEvent(problem, started('2026-03-02T02:00:00.000Z'), department, facts, [], env('2026-03-02T02:00:00.000Z', blackAtOne)));
    lights.push(step.light);
    while (step.nextTimer && lights.length < 5) {
      const timer = step.nextTimer;
      problem = { ...problem, version: problem.version + 1, snapshot: step.next, stateDetail: stateDetail(step.next.value) };
      step = fireTimer(problem, { ...timer.event, at: timer.fireAt, actorId: 'system' } as TimerEvent, { ...env(timer.fireAt, blackAtOne), deadlinePolicies: singlePolicyBook(blackAtOne) });
      lights.push(step.light);
    }
    expect(lights).toEqual(['green', 'yellow', 'red', 'black', 'black']);
  });
});

describe('Traffic lights by progress lagging the plan', () => {
  // 10 working days for a major problem; yellow 20 points behind the plan, red 40; black from the summons (level 3).
  const BY_PROGRESS: DeadlinePolicy = {
    ...VERSION_2,
    version: 3,
    rectificationWorkingDays: { ...VERSION_2.rectificationWorkingDays, major: 10 },
    remindersBeforeWorkingDays: [3],
    lights: { kind: 'progress', yellowLagPoints: 20, redLagPoints: 40, blackFromEscalationLevel: 3 },
  };
  type Problem = ReturnType<typeof assigned>;
  const next = (problem: Problem, step: TakenStep): Problem => ({ ...problem, version: problem.version + 1, snapshot: step.next, stateDetail: stateDetail(step.next.value) });
  /** Fires the timers one after another until `until`, each at its time: what fired, when, and the light after it. */
  function run(problem: Problem, step: TakenStep, until: string): { problem: Problem; fired: Array<[string, string, string | null]> } {
    const fired: Array<[string, string, string | null]> = [];
    while (step.nextTimer && step.nextTimer.fireAt <= until) {
      const timer = step.nextTimer;
      problem = next(problem, step);
      step = fireTimer(problem, { ...timer.event, at: timer.fireAt, actorId: 'system' } as TimerEvent, env(timer.fireAt, BY_PROGRESS));
      fired.push([timer.event.type, timer.fireAt, step.light]);
    }
    return { problem: next(problem, step), fired };
  }
  const progress = (percent: number, at: string): HumanEvent =>
    ({ type: 'REPORT_PROGRESS', note: 'half the exits cleared', percent, at, actorId: department.userId }) as HumanEvent;

  it('turns yellow and red as working days pass without progress, at the end of the working day the plan crosses the threshold', () => {
    // Assigned Monday 2 March, 09:00 Shanghai: due Monday 16 March 18:00 (10 working days).
    const problem = assigned('卫生', BY_PROGRESS, undefined, '2026-03-02T01:00:00.000Z');
    const step = taken(takeEvent(problem, started('2026-03-02T02:00:00.000Z'), department, facts, [], env('2026-03-02T02:00:00.000Z', BY_PROGRESS)));
    expect(step.light).toBe('green');
    expect(run(problem, step, '2026-03-24T00:00:00.000Z').fired).toEqual([
      // 2 of 10 days gone (20 % planned, 0 % reported): yellow at the end of Wednesday; 4 days: red on Friday evening
      ['BEHIND_PLAN', '2026-03-04T10:00:00.000Z', 'yellow'],
      ['BEHIND_PLAN', '2026-03-06T10:00:00.000Z', 'red'],
      // the reminder (3 working days before) and the deadline do not lighten it; the summons blackens it
      ['DEADLINE_REMINDER', '2026-03-11T01:00:00.000Z', 'red'],
      ['DEADLINE_PASSED', '2026-03-16T10:00:00.000Z', 'red'],
      ['ESCALATE', '2026-03-16T10:00:00.000Z', 'red'],
      ['ESCALATE', '2026-03-17T10:00:00.000Z', 'red'],
      ['ESCALATE', '2026-03-18T10:00:00.000Z', 'black'],
      ['ESCALATE', '2026-03-23T10:00:00.000Z', 'black'],
    ]);
  });

  it('counts only working days across the Labour Day holiday and its Saturday make-up day, and replans from each progress report', () => {
    // Assigned Wednesday 29 April: day 1 is 30 April, 1–5 May are the holiday, Saturday 9 May is worked; due 15 May.
    const problem = assigned('卫生', BY_PROGRESS, undefined, '2026-04-29T02:00:00.000Z');
    expect(problem.snapshot.context.deadline).toBe('2026-05-15T10:00:00.000Z');
    const first = taken(takeEvent(problem, started('2026-04-29T03:00:00.000Z'), department, facts, [], env('2026-04-29T03:00:00.000Z', BY_PROGRESS)));
    const { problem: yellow, fired } = run(problem, first, '2026-05-07T00:00:00.000Z');
    // 2 working days gone at the end of Wednesday 6 May, the first after the holiday
    expect(fired).toEqual([['BEHIND_PLAN', '2026-05-06T10:00:00.000Z', 'yellow']]);

    // Thursday 7 May, 10:00: 30 % reported, 2 of 10 days gone — green again, until the plan is 20 points ahead of 30 %
    const reported = taken(takeEvent(yellow, progress(30, '2026-05-07T02:00:00.000Z'), department, facts, [], env('2026-05-07T02:00:00.000Z', BY_PROGRESS)));
    expect(reported.light).toBe('green');
    expect(reported.nextTimer).toMatchObject({ fireAt: '2026-05-09T10:00:00.000Z', event: { type: 'BEHIND_PLAN', light: 'yellow', plannedPercent: 50 } });
    expect(run(yellow, reported, '2026-05-13T00:00:00.000Z').fired).toEqual([
      // 5 days (50 %) at the end of the make-up Saturday; the reminder 3 working days before; 7 days (70 %) at the
      // end of Tuesday 12 May
      ['BEHIND_PLAN', '2026-05-09T10:00:00.000Z', 'yellow'],
      ['DEADLINE_REMINDER', '2026-05-12T01:00:00.000Z', 'yellow'],
      ['BEHIND_PLAN', '2026-05-12T10:00:00.000Z', 'red'],
    ]);
  });

  it('stays green while the work keeps up with the plan, and plans no light change it would not make', () => {
    const problem = assigned('卫生', BY_PROGRESS, undefined, '2026-03-02T01:00:00.000Z');
    const start = taken(takeEvent(problem, started('2026-03-02T02:00:00.000Z'), department, facts, [], env('2026-03-02T02:00:00.000Z', BY_PROGRESS)));
    const done = taken(takeEvent(next(problem, start), progress(100, '2026-03-02T03:00:00.000Z'), department, facts, [], env('2026-03-02T03:00:00.000Z', BY_PROGRESS)));
    expect(done.light).toBe('green');
    // nothing to cross before the deadline: the reminder is next, and the light stays green through it
    expect(done.nextTimer).toMatchObject({ event: { type: 'DEADLINE_REMINDER' } });
    expect(run(next(problem, start), done, '2026-03-16T00:00:00.000Z').fired).toEqual([['DEADLINE_REMINDER', '2026-03-11T01:00:00.000Z', 'green']]);
  });

  it('takes a progress rule as a draft with whole points, red further behind than yellow', () => {
    const { id: _id, version: _version, ...draft } = BY_PROGRESS;
    expect(policyDraftProblems(draft)).toEqual([]);
    const fields = (lights: LightRule) => policyDraftProblems({ ...draft, lights }).map((problem) => problem.field);
    expect(fields({ kind: 'progress', yellowLagPoints: 30, redLagPoints: 30, blackFromEscalationLevel: null })).toEqual(['lights.redLagPoints']);
    expect(fields({ kind: 'progress', yellowLagPoints: 0, redLagPoints: 101, blackFromEscalationLevel: null })).toEqual(['lights.yellowLagPoints', 'lights.redLagPoints']);
  });
});

describe('A draft an admin wants to publish', () => {
  const draft = (overrides: Partial<DeadlinePolicyDraft> = {}): DeadlinePolicyDraft => {
    const { id: _id, version: _version, ...published } = VERSION_2;
    return { ...published, ...overrides };
  };
  const fields = (candidate: DeadlinePolicyDraft) => policyDraftProblems(candidate).map((problem) => problem.field);

  it('may be published when in range, ordered and without duplicates; every preset is', () => {
    expect(policyDraftProblems(draft())).toEqual([]);
    for (const preset of POLICY_PRESETS) expect(policyDraftProblems(preset.draft)).toEqual([]);
  });

  it('names each field out of range', () => {
    expect(fields(draft({ rectificationWorkingDays: { critical: 0, major: 251, general: 1.5, minor: 3 }, verificationWorkingDays: 0 }))).toEqual([
      'rectificationWorkingDays.general',
      'rectificationWorkingDays.major',
      'rectificationWorkingDays.critical',
      'verificationWorkingDays',
    ]);
    expect(fields(draft({ name: ' ' }))).toEqual(['name']);
    expect(fields(draft({ remindersBeforeWorkingDays: [3, 3, 0] }))).toEqual(['remindersBeforeWorkingDays.2', 'remindersBeforeWorkingDays']);
  });

  it('requires the ladder numbered in order, each step later than the one before', () => {
    expect(
      fields(
        draft({
          escalation: [
            { level: 1, name: '督办通知书', workingDaysAfterDeadline: 2, recipients: 'departmentHead', responseWorkingDays: null },
            { level: 3, name: '约谈', workingDaysAfterDeadline: 2, recipients: 'leadership', responseWorkingDays: null },
          ],
          lights: { kind: 'timeLeft', blackFromEscalationLevel: 2 },
        }),
      ),
    ).toEqual(['escalation.1.level', 'escalation.1.workingDaysAfterDeadline']);
  });

  it('names the step lights turn black from, which must be on the ladder (or null: never)', () => {
    expect(fields(draft({ lights: { kind: 'timeLeft', blackFromEscalationLevel: 5 } }))).toEqual(['lights.blackFromEscalationLevel']);
    expect(fields(draft({ lights: { kind: 'timeLeft', blackFromEscalationLevel: 0 } }))).toEqual(['lights.blackFromEscalationLevel']);
    expect(fields(draft({ lights: { kind: 'timeLeft', blackFromEscalationLevel: null } }))).toEqual([]);
  });

  it('takes the list thresholds (红黄黑榜) as rates from 0 to 1 rising from black to red, and counts of problems', () => {
    const ranking = (overrides: Partial<DeadlinePolicyDraft['ranking']>) => draft({ ranking: { ...DEFAULT_DEADLINE_POLICY.ranking, ...overrides } });
    expect(fields(ranking({ redFromOnTimeRate: 1, blackBelowOnTimeRate: 0, blackFromEscalated: null }))).toEqual([]);
    expect(fields(ranking({ redFromOnTimeRate: 95 }))).toEqual(['ranking.redFromOnTimeRate']);
    expect(fields(ranking({ yellowFromOverdue: 0, blackFromEscalated: 1.5 }))).toEqual(['ranking.yellowFromOverdue', 'ranking.blackFromEscalated']);
    expect(fields(ranking({ blackBelowOnTimeRate: 0.9 }))).toEqual(['ranking']);
  });

  it('completes a version stored before the ranking thresholds and step names existed: built-in thresholds, steps named by level', () => {
    const { ranking: _ranking, ...stored } = VERSION_2;
    const unnamed = stored.escalation.map(({ name: _name, ...step }) => step);
    const completed = completePolicy({ ...stored, escalation: unnamed });
    expect(completed.ranking).toEqual(DEFAULT_DEADLINE_POLICY.ranking);
    expect(completed.escalation.map((step) => step.name)).toEqual(['一级督办', '二级督办', '三级督办', '四级督办']);
    expect(completePolicy(VERSION_2)).toEqual(VERSION_2);
  });

  it('names each step once, without spaces around the name', () => {
    const named = (names: string[]) =>
      fields(draft({ escalation: VERSION_2.escalation.map((step, index) => ({ ...step, name: names[index] })) }));
    expect(named(['督办通知书', '提醒书', '约谈', '问责'])).toEqual([]);
    expect(named(['督办通知书', '督办通知书', ' 约谈', 'x'.repeat(33)])).toEqual(['escalation.1.name', 'escalation.2.name', 'escalation.3.name']);
  });

  it('refuses a category listed twice or padded with spaces', () => {
    const periods = { critical: 1, major: 1, general: 1, minor: 1 };
    expect(
      fields(draft({ categories: [{ category: '消防', rectificationWorkingDays: periods }, { category: '消防', rectificationWorkingDays: periods }, { category: ' 卫生', rectificationWorkingDays: periods }] })),
    ).toEqual(['categories.1.category', 'categories.2.category']);
  });

  it('is the same policy as a version whatever the order of its keys', () => {
    const reversed = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).reverse()) as T;
    const original = draft();
    const reordered = reversed({ ...original, rectificationWorkingDays: reversed(original.rectificationWorkingDays) });
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(original)[0]);
    expect(sameAsPolicy(reordered, VERSION_2)).toBe(true);
    expect(sameAsPolicy(draft({ verificationWorkingDays: 4 }), VERSION_2)).toBe(false);
  });
});
