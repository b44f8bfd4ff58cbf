import type { StateValue } from 'xstate';
import type { ProblemState } from '#domain';
import {
  RECTIFICATION_EVENT_TYPES,
  type RectificationEvent,
  type RectificationEventType,
  type RectificationInput,
} from './rectification.events.js';
import type { RectificationContext } from './rectification.context.js';
import { rectificationMachine } from './rectification.machine.js';
import { handledEventTypes, inertScopeFor } from './xstate-adapter.js';

/** What is stored per problem: the state value and context, enough to resolve the machine snapshot again. */
export interface StoredSnapshot {
  value: StateValue;
  context: RectificationContext;
}

/** The scope the machine's pure transitions run in (see xstate-adapter.ts). */
const INERT_SCOPE = inertScopeFor(rectificationMachine, { problemId: '', severity: 'minor', filedBy: '', filedAt: '' });

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
  // Of the events some active state handles, can() evaluates the guards. Payload fields do not affect acceptance (a
  // payload guard only picks among transitions, e.g. RECOUNT_DEADLINE's target, never whether one exists), so a
  // bare event suffices.
  const handled = handledEventTypes(snapshot as never);
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
