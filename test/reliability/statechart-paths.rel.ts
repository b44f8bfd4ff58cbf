/**
 * Path coverage of the statechart through the HTTP API (issue #7, part 6).
 *
 * The machine (workflows/rectification/rectification.machine.ts) is explored with `xstate/graph` over an abstract
 * state (the state value plus the context facts that decide what comes next: pending request, reminders sent,
 * overdue, escalation level, how the deadline was set), with one representative event per event type — the events
 * an API caller can make the engine feed the machine (the engine fills in deadlines and bases), and the timer events
 * the engine's timer plan can produce. From the shortest path to every abstract state and every edge out of it, a
 * set of paths is chosen that takes every transition of the statechart at least once (transitions are read from the
 * machine's own definition, and the ones a path takes — raised clock signals and eventless ones included — are
 * observed with an inspected actor).
 *
 * Each path is then driven through the API on a fresh server: people's events as the right user over HTTP (with the
 * evidence a submission needs, the calendar edits a recount needs), timer events by moving the fake clock to the
 * timer's time and running the scheduler's sweep. After every step the problem is read back from the database
 * (GET /problems/:id) and its state, deadline state and pending request must be the path's; the timers a sweep fired
 * must be the path's next timer steps, in order. A transition counts as covered only when a driven path took it.
 *
 * One exception to whole sweeps: the policy puts escalation level 1 at the deadline itself, so a sweep that fires
 * DEADLINE_PASSED always fires ESCALATE:1 in its next round, and `overdue` (level 0) never rests after a whole sweep.
 * A person's request can still arrive between those two rounds; a path that acts in `overdue` has the deadline's
 * timer fired alone (RectificationEngine.fireTimer, the scheduler's own step) to stand in for that moment. The figures
 * list the transitions that only such paths cover.
 */
import 'reflect-metadata';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type AnyStateNode, createActor, type SnapshotFrom, type StateValue } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getStateNodes } from 'xstate/graph';
import { addWorkingDays, type BusinessCalendar, addDays, toLocalDate } from '#calendar';
import { CalendarProvider, ProblemRepository, RectificationEngine } from '#engine';
import { DeadlineScheduler } from '#scheduler';
import {
  type DeadlineBasis,
  type RectificationEvent,
  rectificationMachine,
  type RectificationInput,
} from '#rectification';
import { eventBody, ProblemSteps, type RoleName } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { reportFigures } from './support/reliability-scale.js';

type Snapshot = SnapshotFrom<typeof rectificationMachine>;
type MachineEvent = RectificationEvent;

// ---------------------------------------------------------------------------------------------------------------
// The statechart's states and transitions, from its definition.
// ---------------------------------------------------------------------------------------------------------------

interface TransitionLike {
  source: AnyStateNode;
  eventType: string;
  guard?: unknown;
  target?: readonly AnyStateNode[] | undefined;
}

function guardName(guard: unknown): string {
  if (guard === undefined || guard === null) return '';
  if (typeof guard === 'string') return `[${guard}]`;
  if (typeof guard === 'object' && 'type' in guard) return `[${String((guard as { type: unknown }).type)}]`;
  return '[inline]';
}

/** A transition's name: source, event (or `always`), guard and targets. */
function transitionKey(t: TransitionLike): string {
  const targets = t.target && t.target.length > 0 ? t.target.map((node) => node.id).join(',') : '(no target)';
  return `${t.source.id} --${t.eventType || 'always'}${guardName(t.guard)}--> ${targets}`;
}

const STATE_NODES = getStateNodes(rectificationMachine.root);
const ALL_STATES = STATE_NODES.map((node) => node.id).sort();
const ALL_TRANSITIONS = [rectificationMachine.root, ...STATE_NODES]
  .flatMap((node) => [...[...node.transitions.values()].flat(), ...(node.always ?? [])] as TransitionLike[])
  .map(transitionKey)
  .sort();

// ---------------------------------------------------------------------------------------------------------------
// Exploring the machine with representative events.
// ---------------------------------------------------------------------------------------------------------------

const T0 = '2026-03-02T01:00:00.000Z';
const AT = '2026-03-10T02:00:00.000Z';
const stamp = (actorId = 'someone') => ({ at: AT, actorId });
const INPUT: RectificationInput = { problemId: 'p-1', severity: 'major', filedBy: 'inspector', filedAt: T0 };
const POLICY_BASIS: DeadlineBasis = {
  kind: 'policy',
  policyId: 'default',
  policyVersion: 1,
  calendarId: 'CN',
  calendarVersion: 1,
  from: AT,
  workingDays: 10,
  provisional: false,
};
const AHEAD = '2026-04-30T10:00:00.000Z';
const PASSED = '2026-03-01T10:00:00.000Z';

/**
 * The context facts the engine's choices and the machine's guards depend on; everything else (times, texts) is
 * left out, so the explored graph stays small.
 */
function abstractState(snapshot: Snapshot): string {
  const c = snapshot.context;
  return JSON.stringify({
    value: snapshot.value,
    pending: c.pendingRequest?.kind ?? null,
    reminders: Math.min(c.remindersSent, 2),
    overdue: c.overdueSince !== null,
    level: c.escalationLevel,
    basis: c.deadlineBasis?.kind ?? null,
    recounted: c.deadlineBasis?.kind === 'policy' && c.deadlineBasis.calendarVersion > 1,
    extended: (c.extensionCount ?? 0) > 0,
    verificationOverdue: c.verificationOverdueSince !== null,
  });
}

const deadlineOf = (snapshot: Snapshot): string =>
  typeof snapshot.value === 'object' && typeof (snapshot.value as Record<string, StateValue>).deadline === 'string'
    ? ((snapshot.value as Record<string, StateValue>).deadline as string)
    : 'notSet';

/**
 * The events an API caller can have the engine feed the machine now (with the fields the engine fills in), and the
 * timer events the engine's timer plan can produce now. Timer realism: at most two reminders; the deadline passes
 * after as many reminders as the path wants, except that a deadline counted by the policy (3 working days for a
 * critical problem) always has one, one set by an extension is proposed far enough ahead to have both, and one
 * recounted gets none here (its reminders are planned from the original count's start).
 */
function eventsFor(snapshot: Snapshot): MachineEvent[] {
  const c = snapshot.context;
  const clock = deadlineOf(snapshot);
  const other = c.departmentId === 'facilities' ? 'production' : 'facilities';
  const policy = c.deadlineBasis?.kind === 'policy';
  const recounted = policy && (c.deadlineBasis as { calendarVersion: number }).calendarVersion > 1;
  const extended = (c.extensionCount ?? 0) > 0;
  const events: MachineEvent[] = [
    { type: 'ASSIGN', departmentId: 'facilities', deadline: AHEAD, deadlineBasis: { kind: 'explicit', setAt: AT }, ...stamp() },
    { type: 'ASSIGN', departmentId: 'facilities', deadline: AHEAD, deadlineBasis: POLICY_BASIS, ...stamp() },
    { type: 'REASSIGN', departmentId: other, reason: 'the other one', ...stamp() },
    { type: 'START', measures: 'm', responsiblePerson: 'r', plannedCompletionDate: '2026-04-01', ...stamp() },
    { type: 'REPORT_PROGRESS', note: 'n', percent: 50, ...stamp() },
    { type: 'SUBMIT', summary: 's', ...stamp() },
    { type: 'APPROVE', comment: 'c', ...stamp() },
    { type: 'REJECT', reason: 'r', ...stamp() },
    { type: 'CLOSE', comment: 'c', ...stamp() },
    { type: 'CANCEL', reason: 'r', ...stamp() },
    { type: 'REOPEN', reason: 'r', deadline: AHEAD, deadlineBasis: POLICY_BASIS, ...stamp() },
    { type: 'REQUEST_EXTENSION', reason: 'r', proposedDeadline: '2026-06-30T10:00:00.000Z', ...stamp() },
    { type: 'APPROVE_EXTENSION', comment: 'c', deadline: '2026-06-30T10:00:00.000Z', ...stamp() },
    { type: 'REJECT_EXTENSION', reason: 'r', ...stamp() },
    { type: 'REQUEST_SUSPENSION', reason: 'r', ...stamp() },
    { type: 'APPROVE_SUSPENSION', comment: 'c', ...stamp() },
    { type: 'REJECT_SUSPENSION', reason: 'r', ...stamp() },
    // resumed the day it was suspended: no working day covered, the deadline stays
    { type: 'RESUME', comment: 'c', suspendedWorkingDays: 0, ...(c.deadline ? { deadline: c.deadline } : {}), calendarId: 'CN', calendarVersion: 1, ...stamp() },
  ];
  // a recount is accepted only for a policy deadline no extension moved, once per calendar edit (here: once)
  if (policy && !recounted && !extended) {
    const recount = { ...POLICY_BASIS, calendarVersion: 2 };
    events.push({ type: 'RECOUNT_DEADLINE', reason: 'ahead', deadline: AHEAD, deadlineBasis: recount, ...stamp() });
    events.push({ type: 'RECOUNT_DEADLINE', reason: 'passed', deadline: PASSED, deadlineBasis: recount, ...stamp() });
  }
  const timer = (event: Record<string, unknown>) => events.push({ ...event, scheduledFor: AT, ...stamp('system') } as MachineEvent);
  if ((clock === 'onTrack' || clock === 'dueSoon') && !recounted) {
    const fewest = extended ? 2 : policy ? 1 : 0;
    if (c.remindersSent < 2) timer({ type: 'DEADLINE_REMINDER', workingDaysBefore: c.remindersSent === 0 ? 3 : 1 });
    if (c.remindersSent >= fewest) timer({ type: 'DEADLINE_PASSED' });
  }
  if ((clock === 'overdue' || clock === 'escalated') && c.escalationLevel < 3) timer({ type: 'ESCALATE', level: c.escalationLevel + 1 });
  if (clock === 'verifying') timer({ type: 'VERIFICATION_OVERDUE' });
  return events.filter((event) => snapshot.can(event));
}

const TRAVERSAL = { input: INPUT, events: eventsFor, serializeState: abstractState } as const;

/** Replays events in an inspected actor: per step, the transitions taken and the state nodes entered. */
function observe(events: readonly MachineEvent[]): { transitions: string[][]; states: string[][]; snapshots: Snapshot[] } {
  const transitions: string[][] = [];
  const states: string[][] = [];
  let currentTransitions: string[] = [];
  let currentStates: string[] = [];
  const actor = createActor(rectificationMachine, {
    input: INPUT,
    inspect: (inspection) => {
      if (inspection.type !== '@xstate.microstep') return;
      currentTransitions.push(...(inspection._transitions as unknown as TransitionLike[]).map(transitionKey));
      currentStates.push(...((inspection.snapshot as unknown as { _nodes: AnyStateNode[] })._nodes ?? []).map((node) => node.id));
    },
  });
  actor.start();
  const initialStates = (actor.getSnapshot() as unknown as { _nodes: AnyStateNode[] })._nodes.map((node) => node.id);
  const snapshots: Snapshot[] = [];
  for (const event of events) {
    currentTransitions = [];
    currentStates = [];
    actor.send(event);
    transitions.push(currentTransitions);
    states.push([...currentStates, ...(actor.getSnapshot() as unknown as { _nodes: AnyStateNode[] })._nodes.map((node) => node.id)]);
    snapshots.push(actor.getSnapshot());
  }
  actor.stop();
  if (states.length > 0) states[0].push(...initialStates);
  return { transitions, states, snapshots };
}

interface PlannedPath {
  name: string;
  events: MachineEvent[];
  /** The transitions the path was chosen for (not taken by any shorter path). */
  aimedAt: string[];
}

/** Paths that together take every transition reachable with these events: shortest path to a state, plus one edge. */
function planPaths(): { paths: PlannedPath[]; abstractStates: number; edges: number } {
  const shortest = getShortestPaths(rectificationMachine, TRAVERSAL);
  const toState = new Map(shortest.map((path) => [abstractState(path.state), path.steps.slice(1).map((step) => step.event as MachineEvent)]));
  const adjacency = getAdjacencyMap(rectificationMachine, TRAVERSAL);
  const candidates: MachineEvent[][] = [];
  for (const [serialized, { transitions }] of Object.entries(adjacency)) {
    const prefix = toState.get(serialized);
    if (!prefix) continue;
    for (const edge of Object.values(transitions) as Array<{ event: MachineEvent }>) candidates.push([...prefix, edge.event]);
  }
  candidates.sort((a, b) => a.length - b.length);
  const covered = new Set<string>();
  const paths: PlannedPath[] = [];
  for (const events of candidates) {
    const taken = observe(events).transitions.flat();
    const fresh = [...new Set(taken.filter((key) => !covered.has(key)))];
    if (fresh.length === 0) continue;
    taken.forEach((key) => covered.add(key));
    paths.push({ name: events.map(label).join(' → '), events, aimedAt: fresh });
  }
  let edges = 0;
  for (const value of Object.values(adjacency)) edges += Object.keys(value.transitions).length;
  return { paths, abstractStates: Object.keys(adjacency).length, edges };
}

function label(event: MachineEvent): string {
  switch (event.type) {
    case 'ASSIGN':
      return `ASSIGN(${event.deadlineBasis?.kind})`;
    case 'RECOUNT_DEADLINE':
      return `RECOUNT_DEADLINE(${event.reason})`;
    case 'ESCALATE':
      return `ESCALATE:${event.level}`;
    default:
      return event.type;
  }
}

const TIMER_TYPES = new Set(['DEADLINE_REMINDER', 'DEADLINE_PASSED', 'ESCALATE', 'VERIFICATION_OVERDUE']);
const isTimer = (event: MachineEvent | undefined) => event !== undefined && TIMER_TYPES.has(event.type);

/**
 * Transitions no API caller can take, each with the reason. The test asserts this list is exactly what the paths
 * leave uncovered, so it can neither hide a transition nor go stale.
 */
const UNREACHABLE_THROUGH_THE_API: Record<string, string> = {
  // Planned only under a light rule by progress; the paths run under the built-in policy, which lights by time left.
  // Driven through the API by test/e2e/traffic-lights.e2e.ts, and by the engine tests in deadline.policy.spec.ts.
  'rectification.deadline.onTrack --BEHIND_PLAN--> (no target)': 'BEHIND_PLAN fires only under a light rule by progress',
  'rectification.deadline.dueSoon --BEHIND_PLAN--> (no target)': 'BEHIND_PLAN fires only under a light rule by progress',
};

// ---------------------------------------------------------------------------------------------------------------
// Driving a path through the API.
// ---------------------------------------------------------------------------------------------------------------

const ROLE_FOR: Record<string, 'inspector' | 'supervisor' | 'department'> = {
  ASSIGN: 'inspector',
  REASSIGN: 'inspector',
  START: 'department',
  REPORT_PROGRESS: 'department',
  SUBMIT: 'department',
  APPROVE: 'inspector',
  REJECT: 'inspector',
  CLOSE: 'supervisor',
  CANCEL: 'inspector',
  REOPEN: 'inspector',
  REQUEST_EXTENSION: 'department',
  APPROVE_EXTENSION: 'supervisor',
  REJECT_EXTENSION: 'supervisor',
  REQUEST_SUSPENSION: 'department',
  APPROVE_SUSPENSION: 'supervisor',
  REJECT_SUSPENSION: 'supervisor',
  RESUME: 'department',
  RECOUNT_DEADLINE: 'supervisor',
};

/** The epoch of a deadline: from the step that sets it to the next one that does. */
const SETS_DEADLINE = (event: MachineEvent) =>
  event.type === 'ASSIGN' || event.type === 'REOPEN' || event.type === 'APPROVE_EXTENSION' || (event.type === 'RECOUNT_DEADLINE' && event.reason === 'ahead');

/** How many reminders the epoch starting at `index` needs before its deadline passes (null: it never passes). */
function epochNeeds(events: readonly MachineEvent[], index: number): { reminders: number; passes: boolean } {
  let reminders = 0;
  for (let i = index + 1; i < events.length && !SETS_DEADLINE(events[i]); i += 1) {
    if (events[i].type === 'DEADLINE_REMINDER') reminders += 1;
    if (events[i].type === 'DEADLINE_PASSED') return { reminders, passes: true };
  }
  return { reminders, passes: false };
}

/** Severity for the path's policy deadlines: critical (3 working days: one reminder) or major (10: both). */
function severityFor(events: readonly MachineEvent[]): 'critical' | 'major' {
  let needed: number | null = null;
  events.forEach((event, index) => {
    const policy = (event.type === 'ASSIGN' && event.deadlineBasis?.kind === 'policy') || event.type === 'REOPEN';
    if (!policy) return;
    const { reminders, passes } = epochNeeds(events, index);
    if (!passes) return;
    if (needed !== null && needed !== reminders) throw new Error(`the path needs policy deadlines with ${needed} and ${reminders} reminders`);
    needed = reminders;
  });
  if (needed === 0) throw new Error('a policy deadline always has a reminder');
  return needed === 1 ? 'critical' : 'major';
}

function rectificationDetail(value: StateValue): string {
  const work = (value as Record<string, StateValue>).rectification;
  if (typeof work === 'string') return work;
  const [key] = Object.keys(work);
  return `${key}.${rectificationDetail({ rectification: (work as Record<string, StateValue>)[key] } as StateValue)}`;
}

interface HistoryRow {
  version: number;
  eventType: string;
  actorRole: string;
  payload: Record<string, unknown>;
  toState: string;
}

const figures = {
  paths: 0,
  steps: 0,
  humanSteps: 0,
  timerSteps: 0,
  sweeps: 0,
  /** The deadline passing where the path stops before level 1 (due at the same instant): `overdue` at rest. */
  singleFiresOverdueAtRest: 0,
  /** A timer already late when its step comes (the clock moved for another timer meanwhile). */
  singleFiresLate: 0,
  calendarEdits: 0,
  httpRequests: 0,
};

class PathDriver {
  private readonly steps: ProblemSteps;
  private id = '';
  private department: 'facilities' | 'production' = 'facilities';
  private historyLength = 0;
  /** Covered transitions and states: only of steps whose outcome was checked against the database. */
  readonly transitions = new Set<string>();
  readonly states = new Set<string>();
  /** Whether a timer was fired alone (the deadline passing where the path stops before level 1). */
  firedAlone = false;

  constructor(
    private readonly t: TestApp,
    private readonly path: PlannedPath,
  ) {
    this.steps = new ProblemSteps(t);
  }

  private get calendar(): BusinessCalendar {
    return this.t.app.get(CalendarProvider).current();
  }

  private now(): Date {
    return this.t.clock.now();
  }

  private roleFor(type: string): RoleName {
    const role = ROLE_FOR[type];
    return role === 'department' ? this.department : role;
  }

  async drive(): Promise<void> {
    const { events } = this.path;
    const observed = observe(events);
    const filed = await this.steps.file('inspector', { severity: severityFor(events) });
    figures.httpRequests += 1;
    expect(filed.status).toBe(201);
    this.id = filed.body.id as string;
    this.historyLength = 1;
    let proposed: string | null = null;
    let i = 0;
    while (i < events.length) {
      const event = events[i];
      if (isTimer(event)) {
        const fired = await this.fireTimers(events, i);
        for (let k = i; k < i + fired; k += 1) this.credit(observed, k);
        await this.expectState(observed.snapshots[i + fired - 1], events, i + fired - 1);
        i += fired;
        continue;
      }
      figures.humanSteps += 1;
      const role = this.roleFor(event.type);
      const body: Record<string, unknown> = { ...eventBody(this.t, event.type) };
      switch (event.type) {
        case 'ASSIGN': {
          body.departmentId = this.t.org.departments.facilities;
          this.department = 'facilities';
          if (event.deadlineBasis?.kind === 'policy') delete body.deadline;
          else body.deadline = this.deadlineWithReminders(events, i).toISOString();
          break;
        }
        case 'REASSIGN': {
          this.department = this.department === 'facilities' ? 'production' : 'facilities';
          body.departmentId = this.t.org.departments[this.department];
          break;
        }
        case 'REQUEST_EXTENSION': {
          // far enough ahead that, approved after whatever timers come first, both its reminders lie ahead
          const current = await this.record();
          const ahead = addWorkingDays(this.calendar, this.now(), 16);
          const later = current.deadline === null ? ahead : addWorkingDays(this.calendar, current.deadline, 1);
          proposed = new Date(Math.max(ahead.getTime(), later.getTime())).toISOString();
          body.proposedDeadline = proposed;
          break;
        }
        case 'RECOUNT_DEADLINE':
          await this.prepareRecount(event.reason === 'ahead');
          break;
        default:
          break;
      }
      const response = await this.steps.send(role, this.id, body);
      figures.httpRequests += event.type === 'SUBMIT' ? 2 : 1;
      if (response.status !== 200) {
        throw new Error(`step ${i + 1} (${label(event)} by ${role}) was refused: ${response.status} ${JSON.stringify(response.body)}\npath: ${this.path.name}`);
      }
      this.historyLength += 1;
      this.credit(observed, i);
      await this.expectState(observed.snapshots[i], events, i);
      i += 1;
    }
  }

  private credit(observed: ReturnType<typeof observe>, index: number): void {
    figures.steps += 1;
    observed.transitions[index].forEach((key) => this.transitions.add(key));
    observed.states[index].forEach((id) => this.states.add(id));
  }

  /**
   * An explicit deadline with as many reminders ahead of it as the epoch needs: the end of the 1st working day
   * after now (no reminder falls after now), the 2nd (one) or the 4th (both).
   */
  private deadlineWithReminders(events: readonly MachineEvent[], index: number): Date {
    const { reminders, passes } = epochNeeds(events, index);
    const count = passes ? reminders : 2;
    return addWorkingDays(this.calendar, this.now(), [1, 2, 4][count]);
  }

  /**
   * Makes a recount possible (a new calendar version) and takes it down the wanted branch: a recounted deadline
   * ahead (closing the days already counted, if the deadline has passed), or one that has passed (moving the clock
   * to the deadline first, if it lies ahead: the timers due then are not swept yet).
   */
  private async prepareRecount(ahead: boolean): Promise<void> {
    const record = await this.record();
    const basis = record.snapshot.context.deadlineBasis;
    if (basis?.kind !== 'policy' || record.deadline === null) throw new Error(`RECOUNT on a deadline not from the policy\npath: ${this.path.name}`);
    const passed = Date.parse(record.deadline) <= this.now().getTime();
    const admin = this.t.tokens.admin;
    figures.calendarEdits += 1;
    figures.httpRequests += 1;
    if (ahead && passed) {
      // close every day from the count's first day to today: the count then starts after today
      const zone = this.calendar.timeZone;
      const first = addDays(toLocalDate(basis.from, zone), 1);
      const end = addDays(toLocalDate(this.now().toISOString(), zone), 1);
      const ics = [
        'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//statechart-paths//EN',
        'BEGIN:VEVENT', `UID:closure-${first}@test`, 'DTSTAMP:20260101T000000Z',
        `DTSTART;VALUE=DATE:${first.replaceAll('-', '')}`, `DTEND;VALUE=DATE:${end.replaceAll('-', '')}`,
        'SUMMARY:Plant closed', 'END:VEVENT', 'END:VCALENDAR', '',
      ].join('\r\n');
      const imported = await this.t.http().post('/admin/calendar/import').auth(admin, { type: 'bearer' }).send({ ics, as: 'closure' });
      expect(imported.status).toBeLessThan(300);
      return;
    }
    if (!ahead && !passed) this.t.clock.set(record.deadline);
    // a closure years away: a new calendar version that moves no deadline
    const added = await this.t.http().post('/admin/calendar/closures').auth(admin, { type: 'bearer' }).send({ date: '2040-01-10', reason: 'Far away' });
    expect(added.status).toBeLessThan(300);
  }

  /**
   * Fires the timer step at `index` (and the timer steps right after it that fall due at the same instant): the
   * clock moves to the problem's next timer and the scheduler sweeps. A timer that is already late, or the deadline
   * passing where the path wants to stop before level 1 (due at the same instant), is fired alone through the
   * engine, as by a sweep interrupted after its first round. Returns how many timer steps fired.
   */
  private async fireTimers(events: readonly MachineEvent[], index: number): Promise<number> {
    const event = events[index];
    const record = await this.record();
    const timer = record.nextTimer;
    const wanted = `${event.type}${event.type === 'ESCALATE' ? `:${event.level}` : ''}`;
    const planned = timer === null ? 'none' : `${timer.event.type}${timer.event.type === 'ESCALATE' ? `:${timer.event.level}` : ''}`;
    if (planned !== wanted) throw new Error(`step ${index + 1}: the engine waits for timer ${planned}, the path for ${wanted}\npath: ${this.path.name}`);
    const now = this.now().getTime();
    const fireAt = Date.parse(timer!.fireAt);
    const late = fireAt < now;
    const next = events[index + 1];
    const alone = late || (event.type === 'DEADLINE_PASSED' && !(next?.type === 'ESCALATE' && next.level === 1));
    this.t.clock.set(new Date(Math.max(now, fireAt)));
    figures.timerSteps += 1;
    if (alone) {
      this.firedAlone = true;
      if (late) figures.singleFiresLate += 1;
      else figures.singleFiresOverdueAtRest += 1;
      expect(await this.t.app.get(RectificationEngine).fireTimer(this.id, timer!.id)).toBe('fired');
    } else {
      figures.sweeps += 1;
      const result = await this.t.app.get(DeadlineScheduler).sweep();
      expect(result.failed).toBe(0);
    }
    const history = await this.history();
    const fresh = history.slice(this.historyLength);
    this.historyLength = history.length;
    // what fired must be the path's next timer steps, in order, each by the system
    const firedLabels = fresh.map((row) => `${row.actorRole}:${row.eventType}${row.eventType === 'ESCALATE' ? `:${row.payload.level}` : ''}`);
    const pathLabels = events
      .slice(index, index + fresh.length)
      .map((e) => `system:${e.type}${e.type === 'ESCALATE' ? `:${e.level}` : ''}`);
    if (fresh.length === 0 || JSON.stringify(firedLabels) !== JSON.stringify(pathLabels)) {
      throw new Error(`step ${index + 1}: fired ${JSON.stringify(firedLabels)}, the path wants ${JSON.stringify(pathLabels)}\npath: ${this.path.name}`);
    }
    return fresh.length;
  }

  private async record() {
    const record = await this.t.app.get(ProblemRepository).findById(this.id);
    if (!record) throw new Error('problem gone');
    return record;
  }

  private async history(): Promise<HistoryRow[]> {
    figures.httpRequests += 1;
    const response = await this.steps.history('admin', this.id);
    expect(response.status).toBe(200);
    return response.body.items as HistoryRow[];
  }

  /** The problem read back from the database is in the path's state after step `index`. */
  private async expectState(expected: Snapshot, events: readonly MachineEvent[], index: number): Promise<void> {
    figures.httpRequests += 1;
    const response = await this.steps.get('admin', this.id);
    expect(response.status).toBe(200);
    const record = await this.record();
    const actual = {
      stateDetail: response.body.stateDetail,
      deadlineState: response.body.deadlineState,
      pendingRequest: response.body.pendingRequest?.kind ?? null,
      suspended: (response.body.suspensions as Array<{ to: string | null }>).some((s) => s.to === null),
      reworkCount: response.body.reworkCount,
      extensionCount: response.body.extensionCount,
      escalationLevel: record.escalationLevel,
    };
    const c = expected.context;
    const wanted = {
      stateDetail: rectificationDetail(expected.value),
      deadlineState: deadlineOf(expected),
      pendingRequest: c.pendingRequest?.kind ?? null,
      suspended: deadlineOf(expected) === 'suspended',
      reworkCount: c.reworkCount,
      extensionCount: c.extensionCount,
      escalationLevel: c.escalationLevel,
    };
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      throw new Error(
        `after step ${index + 1} (${label(events[index])}) the problem is ${JSON.stringify(actual)}, the path says ${JSON.stringify(wanted)}\npath: ${this.path.name}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The suite.
// ---------------------------------------------------------------------------------------------------------------

const started = Date.now();
const plan = planPaths();
const coveredTransitions = new Set<string>();
const coveredStates = new Set<string>();
/** Covered by a path whose timers all fired in whole sweeps. */
const coveredBySweepsAlone = new Set<string>();

describe('Statechart path coverage through the HTTP API', () => {
  afterAll(() => {
    reportFigures('statechart paths (xstate/graph, driven over HTTP)', {
      'abstract states explored': plan.abstractStates,
      'edges explored': plan.edges,
      ...figures,
      'states covered': `${ALL_STATES.filter((id) => coveredStates.has(id)).length}/${ALL_STATES.length}`,
      'transitions covered': `${ALL_TRANSITIONS.filter((key) => coveredTransitions.has(key)).length}/${ALL_TRANSITIONS.length}`,
      'transitions covered with whole sweeps only': `${ALL_TRANSITIONS.filter((key) => coveredBySweepsAlone.has(key)).length}/${ALL_TRANSITIONS.length}`,
      'transitions that need a timer fired alone (overdue at rest)': ALL_TRANSITIONS.filter((key) => coveredTransitions.has(key) && !coveredBySweepsAlone.has(key)).join('; ') || 'none',
      'listed unreachable through the API': Object.keys(UNREACHABLE_THROUGH_THE_API).length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  });

  it.each(plan.paths.map((path, index) => [index + 1, path] as const))('path %i reaches each of its states through the API', async (_index, path) => {
    const t = await createTestApp();
    try {
      const driver = new PathDriver(t, path);
      await driver.drive();
      figures.paths += 1;
      driver.transitions.forEach((key) => coveredTransitions.add(key));
      if (!driver.firedAlone) driver.transitions.forEach((key) => coveredBySweepsAlone.add(key));
      driver.states.forEach((id) => coveredStates.add(id));
    } finally {
      await t.close();
    }
  }, 60_000);

  it('covers every state and every transition of the statechart (or lists why one cannot be)', () => {
    // transitions are told apart by source, event, guard and target: no two may share a name
    expect(new Set(ALL_TRANSITIONS).size).toBe(ALL_TRANSITIONS.length);
    const uncovered = ALL_TRANSITIONS.filter((key) => !coveredTransitions.has(key));
    expect(uncovered.sort()).toEqual(Object.keys(UNREACHABLE_THROUGH_THE_API).sort());
    expect(ALL_STATES.filter((id) => !coveredStates.has(id))).toEqual([]);
  });
});
