import { type ActorScope, createActor, type StateValue } from 'xstate';
import type { ProblemState } from '../../libs/domain/src/index.js';
import {
  RECTIFICATION_EVENT_TYPES,
  type RectificationEvent,
  type RectificationEventType,
  type RectificationInput,
} from './rectification.events.js';
import { type RectificationContext, rectificationMachine } from './rectification.machine.js';

/** What is stored per problem: the state value and context, enough to resolve the machine snapshot again. */
export interface StoredSnapshot {
  value: StateValue;
  context: RectificationContext;
}

/**
 * What xstate's transition() builds afresh on every call (an unstarted actor and a scope whose effects go nowhere),
 * built once: the machine's actions are all assignments, resolved inside the transition, so nothing is lost, and
 * constructing an actor per event was a quarter of the engine's CPU time.
 */
const INERT_SCOPE: ActorScope<ReturnType<typeof rectificationMachine.resolveState>, RectificationEvent> = (() => {
  const self = createActor(rectificationMachine, { input: { problemId: '', severity: 'minor', filedBy: '', filedAt: '' } });
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    defer: () => undefined,
    logger: () => undefined,
    emit: () => undefined,
    stopChild: () => undefined,
    actionExecutor: () => undefined,
  } as unknown as ActorScope<ReturnType<typeof rectificationMachine.resolveState>, RectificationEvent>;
})();

export function startRectification(input: RectificationInput): StoredSnapshot {
  const snapshot = rectificationMachine.getInitialSnapshot(INERT_SCOPE as never, input);
  return { value: snapshot.value, context: snapshot.context };
}

function resolve(stored: StoredSnapshot) {
  return rectificationMachine.resolveState({ value: stored.value, context: stored.context });
}

/** Applies one event with the machine's pure transition; null when the current state does not accept it. */
export function applyEvent(stored: StoredSnapshot, event: RectificationEvent): StoredSnapshot | null {
  const snapshot = resolve(stored);
  const next = rectificationMachine.transition(snapshot, event, INERT_SCOPE as never);
  // A state that takes no transition for the event (none, or every guard false) answers the very same snapshot.
  if (next === snapshot) return null;
  return { value: next.value, context: next.context };
}

/** Event types the current state accepts, whoever sends them. */
export function acceptedEvents(stored: StoredSnapshot): RectificationEventType[] {
  const snapshot = resolve(stored);
  // Only events some active state handles can be accepted (the machine has no wildcard transitions); of those, can()
  // evaluates the guards. Payload fields do not affect acceptance (a payload guard only picks among transitions,
  // e.g. RECOUNT_DEADLINE's target, never whether one exists), so a bare event suffices.
  const handled = new Set(snapshot._nodes.flatMap((node) => node.ownEvents));
  return RECTIFICATION_EVENT_TYPES.filter((type) => handled.has(type) && snapshot.can({ type } as RectificationEvent));
}

/** The rectification region's value (the machine's root is parallel: rectification and deadline). */
function rectificationValue(value: StateValue): StateValue {
  return typeof value === 'object' && 'rectification' in value ? (value.rectification as StateValue) : value;
}

export function topLevelState(value: StateValue): ProblemState {
  const work = rectificationValue(value);
  return (typeof work === 'string' ? work : Object.keys(work)[0]) as ProblemState;
}

/** Dotted path of the rectification region's active leaf, e.g. `rectifying.awaitingVerification`. */
export function stateDetail(value: StateValue): string {
  const work = rectificationValue(value);
  if (typeof work === 'string') return work;
  const [key] = Object.keys(work);
  return `${key}.${stateDetail(work[key] as StateValue)}`;
}

export const DEADLINE_STATES = ['notSet', 'onTrack', 'dueSoon', 'overdue', 'escalated', 'verifying', 'verificationOverdue', 'suspended', 'stopped', 'cancelled'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/** The deadline region's state: on track, due soon, overdue, escalated, verifying, suspended, … */
export function deadlineState(value: StateValue): DeadlineState {
  return (typeof value === 'object' && typeof value.deadline === 'string' ? value.deadline : 'notSet') as DeadlineState;
}

/** The parts of a history row that replay needs. */
export interface ReplayableEntry {
  problemId: string;
  eventType: string;
  payload: Record<string, unknown>;
  actorId: string;
  occurredAt: string;
}

/**
 * Rebuilds a problem's snapshot from its history alone: the filing creates the machine, every later row is the
 * stamped event the machine received. Equal to the stored snapshot for every problem (tested).
 */
export function replayHistory(entries: readonly ReplayableEntry[]): StoredSnapshot {
  const [filing, ...events] = entries;
  if (!filing || filing.eventType !== 'FILE') throw new Error('A history starts with its FILE entry');
  let snapshot = startRectification({
    problemId: filing.problemId,
    severity: filing.payload.severity as RectificationInput['severity'],
    filedBy: filing.actorId,
    filedAt: filing.occurredAt,
    ...(typeof filing.payload.deadline === 'string' ? { deadline: filing.payload.deadline } : {}),
  });
  for (const entry of events) {
    const next = applyEvent(snapshot, entry.payload as unknown as RectificationEvent);
    if (!next) throw new Error(`History entry ${entry.eventType} is not accepted in replay`);
    snapshot = next;
  }
  return snapshot;
}
