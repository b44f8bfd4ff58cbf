import type { DeadlineState } from './rectification.workflow.js';

/** The traffic light (红黄绿灯) a supervising office reads on each problem while its rectification clock runs. */
export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red', 'black'] as const;
export type TrafficLight = (typeof TRAFFIC_LIGHTS)[number];

/**
 * How a deadline policy lights its problems, by time left: green on track; yellow from the policy's first reminder
 * (as many working days before the deadline as its largest reminder says); red once overdue; black once escalated
 * to `blackFromEscalationLevel` (e.g. the summons, 约谈) — never, when null.
 */
export interface LightRule {
  kind: 'timeLeft';
  blackFromEscalationLevel: number | null;
}

/**
 * The light of a problem in this deadline state. Null while no light applies: not assigned yet, with the verifier,
 * suspended, finished or cancelled. Pure: the state already says what the time means (the deadline region moves on
 * the timers the policy planned), so the light changes exactly with the events that move the clock.
 */
export function trafficLight(state: DeadlineState, escalationLevel: number, rule: LightRule): TrafficLight | null {
  switch (state) {
    case 'onTrack':
      return 'green';
    case 'dueSoon':
      return 'yellow';
    case 'overdue':
      return 'red';
    case 'escalated':
      return rule.blackFromEscalationLevel !== null && escalationLevel >= rule.blackFromEscalationLevel ? 'black' : 'red';
    default:
      return null;
  }
}
