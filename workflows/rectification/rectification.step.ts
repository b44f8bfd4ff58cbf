import { type Actor, DomainError, type Severity } from '#domain';
import type { BusinessCalendar } from '#calendar';
import { withDeadlineCounted } from './deadline.counting.js';
import { type DeadlinePolicyBook, policyOf } from './deadline.policy.js';
import { type EvidencePolicy, evidenceRequirementFor, evidenceShortfall } from './evidence.policy.js';
import { effectsOf, type EventEffects } from './rectification.effects.js';
import {
  ENGINE_SET_FIELDS,
  type HumanEvent,
  type RectificationEventType,
  type RectificationEvent,
  type SubmittedEvidence,
  type TimerEvent,
} from './rectification.events.js';
import { maySend, type PermissionFacts, permissionError } from './rectification.permissions.js';
import { deadlineIsPolicyCount, ruleViolation } from './rectification.rules.js';
import type { RepeatPolicy } from './repeat.policy.js';
import { type PlannedTimer, planNextTimer } from './timer-plan.js';
import { type TrafficLight, trafficLight } from './traffic-light.js';
import { acceptedEvents, applyEvent, type StoredSnapshot } from './rectification.workflow.js';

/** The policies a step runs under, injected once (EngineModule builds them from the configuration). */
export interface WorkflowPolicies {
  evidence: EvidencePolicy;
  repeat: RepeatPolicy;
  /** How many years ahead a deadline may lie (DEADLINE_HORIZON_YEARS). */
  deadlineHorizonYears: number;
}

/** The problem as a step needs it. */
export interface StepProblem {
  id: string;
  version: number;
  severity: Severity;
  /** The kind of matter: a deadline policy may give it periods of its own. */
  category: string | null;
  departmentId: string | null;
  filerDepartmentId: string | null;
  snapshot: StoredSnapshot;
}

/**
 * What a step reads from outside the problem: the calendar in force, the time, the policies, and the deadline policy
 * versions (the current one for a new count, the problem's own for its reminders and ladder; loaded by the caller).
 */
export interface StepEnvironment {
  calendar: BusinessCalendar;
  now: Date;
  policies: WorkflowPolicies;
  deadlinePolicies: DeadlinePolicyBook;
}

/** An accepted event and all that follows from it. */
export interface TakenStep {
  taken: true;
  /** The event as the machine received it and the history records it: stamped, with its deadline arithmetic. */
  event: RectificationEvent;
  next: StoredSnapshot;
  /** The timer the new state waits for, planned from it (its id names the new version). */
  nextTimer: PlannedTimer | null;
  /** The traffic light the new state shows under the problem's policy. */
  light: TrafficLight | null;
  effects: EventEffects;
}

/** Refused: by a rule (permission, content, evidence) with its error, or because the state does not accept it. */
export type RefusedStep = { taken: false; refusal: DomainError } | { taken: false; notAccepted: true };

/** Which evidence an event hands in, loaded by the engine before the step: SUBMIT carries what was uploaded since the last. */
export function evidenceHandedInWith(type: HumanEvent['type']): 'rectification' | null {
  return type === 'SUBMIT' ? 'rectification' : null;
}

/**
 * One person's event, decided: permission first (403), then the deadline arithmetic, the transition (409 when the
 * state does not take it), the rules (422) and the evidence the policy asks for (422). `handedIn` is the evidence
 * `evidenceHandedInWith` named, as loaded. Pure.
 */
export function takeEvent(
  problem: StepProblem,
  event: HumanEvent,
  actor: Actor,
  facts: PermissionFacts,
  handedIn: readonly SubmittedEvidence[],
  env: StepEnvironment,
): TakenStep | RefusedStep {
  const denied = permissionError(actor, event.type, facts);
  if (denied) return { taken: false, refusal: denied };
  const { context } = problem.snapshot;
  const { policies } = env;
  let settled = withDeadlineCounted(normalised(event), context, problem, env.calendar, env.deadlinePolicies, env.now);
  if (settled.type === 'SUBMIT' && handedIn.length > 0) settled = { ...settled, evidence: [...handedIn] };
  const next = applyEvent(problem.snapshot, settled);
  if (!next) return { taken: false, notAccepted: true };
  const violation =
    ruleViolation(context, settled, env.now, policies.deadlineHorizonYears) ??
    evidenceShortfall(
      evidenceRequirementFor(policies.evidence, settled.type, problem.severity),
      settled.type === 'SUBMIT' ? (settled.evidence?.length ?? 0) : 0,
      problem.severity,
    );
  if (violation) return { taken: false, refusal: violation };
  return taken(problem, settled, next, env);
}

/** The events the current state accepts AND this actor may send: exactly those that would not be refused for who or when. */
export function offeredEvents(snapshot: StoredSnapshot, actor: Actor, facts: PermissionFacts): RectificationEventType[] {
  return acceptedEvents(snapshot)
    .filter((type) => maySend(actor, type, facts))
    // Only a deadline that is still the policy's count can be recounted: an explicit one, or one an extension or a
    // suspension moved since, is not offered (sending it is a 422).
    .filter((type) => type !== 'RECOUNT_DEADLINE' || deadlineIsPolicyCount(snapshot.context));
}

/**
 * A due timer, fired (stamped by the engine as the system). The timer was planned from this very state, so the
 * machine takes it; a refusal means the plan and the machine disagree, a defect, and is thrown. Pure.
 */
export function fireTimer(problem: StepProblem & { stateDetail: string }, event: TimerEvent, env: StepEnvironment): TakenStep {
  const next = applyEvent(problem.snapshot, event);
  if (!next) throw new Error(`A timer planned ${event.type}, which the machine refuses in ${problem.stateDetail}`);
  return taken(problem, event, next, env);
}

function taken(problem: StepProblem, event: RectificationEvent, next: StoredSnapshot, env: StepEnvironment): TakenStep {
  // The problem runs under the policy version its deadline was stamped with (the current one once ASSIGN, REOPEN or
  // RECOUNT_DEADLINE stamped it).
  const policy = policyOf(env.deadlinePolicies, next.context.deadlineBasis);
  return {
    taken: true,
    event,
    next,
    nextTimer: planNextTimer(problem.id, problem.version + 1, next, policy, env.calendar, env.now),
    light: trafficLight(next, policy.lights, env.calendar, env.now),
    effects: effectsOf(event, { departmentId: next.context.departmentId, filerDepartmentId: problem.filerDepartmentId }, policy),
  };
}

/** Instants a caller may give, stored in one canonical form (UTC, milliseconds) so they compare as text. */
const CALLER_INSTANTS: readonly string[] = ['deadline', 'proposedDeadline'];

/** Drops the fields only the engine fills in (ENGINE_SET_FIELDS) and puts the caller's instants in canonical form. */
function normalised(event: HumanEvent): HumanEvent {
  const engineSet = new Set(ENGINE_SET_FIELDS[event.type] ?? []);
  const fields = Object.entries(event)
    .filter(([key]) => !engineSet.has(key))
    .map(([key, value]) => (CALLER_INSTANTS.includes(key) && typeof value === 'string' ? [key, new Date(value).toISOString()] : [key, value]));
  return Object.fromEntries(fields) as HumanEvent;
}
