/**
 * Scenario 1, taken apart: where an event's time goes inside the engine, in µs per event, on the lifecycle of the
 * throughput scenario (its five events after filing). The engine's calls to its collaborators are timed as they
 * happen (each collaborator's method wrapped on its instance); the pure steps it takes between them (the decision:
 * transition, timer planning, rules and deadline arithmetic; building the records) are timed again on the very
 * inputs of each event, repeated, as the engine does not call them through an instance. What is left of the
 * event's time is the engine's own glue (awaits, the serialising queue, the stamped event, the environment).
 */
import { AccessPolicy, OrganisationDirectory, permissionFactsFor } from '#access';
import { type Actor } from '#domain';
import {
  CalendarProvider,
  DeadlinePolicyProvider,
  changeFor,
  EvidenceRepository,
  type ProblemRecord,
  type RectificationCommand,
  WORKFLOW_POLICIES,
} from '#engine';
import { applyEvent, type HumanEvent, planNextTimer, policyOf, takeEvent, type WorkflowPolicies } from '#rectification';
import { benchFiling, createBenchEngine } from '../support/bench-engine.js';
import { type BenchDatabase, progress } from '../support/bench-environment.js';

/** µs per event, by phase. */
export interface EnginePhases {
  database: string;
  events: number;
  total: number;
  /** AccessPolicy.callerFor: the caller's supervised departments (a supervisor's subtree). */
  caller: number;
  /** ProblemRepository.findVisible: the read in the caller's scope and the row made a record. */
  load: number;
  /** EvidenceRepository.unsubmitted (SUBMIT) and OrganisationDirectory.isActiveDepartment (ASSIGN). */
  lookups: number;
  /** OrganisationDirectory.escalationTarget: the recipients of the step's notices. */
  noticeAddressing: number;
  /** takeEvent, of which applyEvent (XState) and planNextTimer; the rest is permission, deadlines and rules. */
  decision: { all: number; transition: number; timerPlan: number; permissionRulesDeadlines: number };
  /** changeFor: the new record, the history row with its hash, the outbox event, the notices. */
  records: number;
  /** ProblemRepository.commitTransition, of which the database transaction (statements and COMMIT). */
  commit: { all: number; databaseTransaction: number; rowMapping: number };
  /** The event's time less everything above. */
  other: number;
}

/** Repetitions of each pure step per event: enough for the timer's resolution, few enough to stay warm like the engine. */
const REPEATS = 5;

type Timings = Record<'caller' | 'load' | 'lookups' | 'noticeAddressing' | 'commit' | 'databaseTransaction', number>;

/** Wraps `method` of `target` to add its time (ns) to `timings[phase]` while `measuring()`, and to remember its last answer. */
function timed<T extends object, K extends keyof T & string>(
  target: T,
  method: K,
  phase: keyof Timings,
  timings: Timings,
  measuring: () => boolean,
): { last: () => unknown } {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let last: unknown;
  (target as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    if (!measuring()) return original(...args);
    const started = process.hrtime.bigint();
    last = await original(...args);
    timings[phase] += Number(process.hrtime.bigint() - started);
    return last;
  };
  return { last: () => last };
}

function nanosecondsOf(repeats: number, work: () => unknown): number {
  const started = process.hrtime.bigint();
  for (let index = 0; index < repeats; index += 1) work();
  return Number(process.hrtime.bigint() - started) / repeats;
}

export async function enginePhases(database: BenchDatabase, lifecycles: number): Promise<EnginePhases> {
  const bench = await createBenchEngine(database.options);
  try {
    const { engine, org, context, clock } = bench;
    const policies = context.get<WorkflowPolicies>(WORKFLOW_POLICIES);
    const calendars = context.get(CalendarProvider);
    const deadlinePolicies = context.get(DeadlinePolicyProvider);
    const organisation = context.get(OrganisationDirectory);
    const timings: Timings = { caller: 0, load: 0, lookups: 0, noticeAddressing: 0, commit: 0, databaseTransaction: 0 };
    let measuring = false;
    const on = () => measuring;
    const caller = timed(context.get(AccessPolicy), 'callerFor', 'caller', timings, on);
    const load = timed(bench.problems, 'findVisible', 'load', timings, on);
    timed(context.get(EvidenceRepository), 'unsubmitted', 'lookups', timings, on);
    timed(organisation, 'isActiveDepartment', 'lookups', timings, on);
    timed(organisation, 'escalationTarget', 'noticeAddressing', timings, on);
    timed(bench.problems, 'commitTransition', 'commit', timings, on);
    timed(bench.db, 'sqlWrite', 'databaseTransaction', timings, on);

    const { inspector, facilities, supervisor } = org.users;
    const deadline = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString();
    const steps: Array<[Actor, RectificationCommand]> = [
      [inspector.actor, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline }],
      [facilities.actor, { type: 'START', measures: 'Move the pallets to rack B', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-03-10' }],
      [facilities.actor, { type: 'SUBMIT', summary: 'Exit cleared, keep-clear zone painted' }],
      [inspector.actor, { type: 'APPROVE', comment: 'Verified on site' }],
      [supervisor.actor, { type: 'CLOSE', comment: '销号' }],
    ];
    const pure = { decision: 0, transition: 0, timerPlan: 0, records: 0 };
    let total = 0;
    const lifecycle = async (index: number, measured: boolean) => {
      const problem = await engine.file(inspector.actor, benchFiling(index));
      for (const [actor, command] of steps) {
        measuring = measured;
        const started = process.hrtime.bigint();
        await engine.send(actor, problem.id, command);
        total += measured ? Number(process.hrtime.bigint() - started) : 0;
        measuring = false;
        if (!measured) continue;
        // The decision and the records again, on what the engine had: the problem as loaded, the caller, the time.
        const current = load.last() as ProblemRecord;
        const facts = permissionFactsFor(caller.last() as Awaited<ReturnType<AccessPolicy['callerFor']>>, current);
        const env = { calendar: calendars.current(), now: clock.now(), policies, deadlinePolicies };
        const event = { ...command, at: env.now.toISOString(), actorId: actor.userId } as HumanEvent;
        const step = takeEvent(current, event, actor, facts, [], env);
        if (!step.taken) throw new Error(`the profile's ${command.type} was refused`);
        pure.decision += nanosecondsOf(REPEATS, () => takeEvent(current, event, actor, facts, [], env));
        pure.transition += nanosecondsOf(REPEATS, () => applyEvent(current.snapshot, step.event));
        const policy = policyOf(deadlinePolicies, step.next.context.deadlineBasis);
        pure.timerPlan += nanosecondsOf(REPEATS, () => planNextTimer(current.id, current.version + 1, step.next, policy, env.calendar, env.now));
        pure.records += nanosecondsOf(REPEATS, () => changeFor(current, step, actor, event.at, { recipients: new Map(), sheet: null, calendar: env.calendar }));
      }
    };
    // Warm-up (JIT, statement caches), not counted.
    for (let index = 0; index < Math.min(100, lifecycles); index += 1) await lifecycle(index, false);
    const tick = progress(`lifecycles, phases timed (${database.label})`, lifecycles);
    for (let index = 0; index < lifecycles; index += 1) {
      await lifecycle(1_000_000 + index, true);
      tick(index + 1);
    }
    const events = lifecycles * steps.length;
    const us = (nanoseconds: number) => Number((nanoseconds / events / 1_000).toFixed(1));
    const decision = {
      all: us(pure.decision),
      transition: us(pure.transition),
      timerPlan: us(pure.timerPlan),
      permissionRulesDeadlines: us(pure.decision - pure.transition - pure.timerPlan),
    };
    const commit = { all: us(timings.commit), databaseTransaction: us(timings.databaseTransaction), rowMapping: us(timings.commit - timings.databaseTransaction) };
    const accounted = timings.caller + timings.load + timings.lookups + timings.noticeAddressing + pure.decision + pure.records + timings.commit;
    return {
      database: database.label,
      events,
      total: us(total),
      caller: us(timings.caller),
      load: us(timings.load),
      lookups: us(timings.lookups),
      noticeAddressing: us(timings.noticeAddressing),
      decision,
      records: us(pure.records),
      commit,
      other: us(total - accounted),
    };
  } finally {
    await bench.close();
  }
}
