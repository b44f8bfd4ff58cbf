import type { BusinessCalendar } from '#calendar';
import { behindPlanBy, deadlineSetAt, elapsedWorkingDays, reportedPercent, type WorkPlan, workPlanOf } from './progress-plan.js';
import { deadlineState, type StoredSnapshot } from './rectification.workflow.js';

/** The traffic light (红黄绿灯) a supervising office reads on each problem while its rectification clock runs. */
export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red', 'black'] as const;
export type TrafficLight = (typeof TRAFFIC_LIGHTS)[number];

/**
 * By time left: green on track; yellow from the policy's first reminder (as many working days before the deadline
 * as its largest reminder says); red once overdue; black once escalated to `blackFromEscalationLevel` (e.g. the
 * summons, 约谈) — never, when null.
 */
export interface TimeLeftRule {
  kind: 'timeLeft';
  blackFromEscalationLevel: number | null;
}

/**
 * By progress lagging the plan: while the deadline runs, yellow once the elapsed share of the working days is
 * `yellowLagPoints` percentage points or more ahead of the percent last reported, red from `redLagPoints`; red once
 * overdue and black from a step of the ladder, as by time left.
 */
export interface ProgressRule {
  kind: 'progress';
  yellowLagPoints: number;
  redLagPoints: number;
  blackFromEscalationLevel: number | null;
}

/** How a deadline policy lights its problems. */
export type LightRule = TimeLeftRule | ProgressRule;
export const LIGHT_RULE_KINDS = ['timeLeft', 'progress'] as const satisfies ReadonlyArray<LightRule['kind']>;

/**
 * The light of a problem at `now`. Null while no light applies: not assigned yet, with the verifier, suspended,
 * finished or cancelled. Pure. By time left the state already says what the time means (the deadline region moves
 * on the timers the policy planned); by progress the plan's share moves with the working days, and the timer plan
 * fires BEHIND_PLAN when it crosses a threshold, so the stored light changes with an event either way.
 */
export function trafficLight(snapshot: StoredSnapshot, rule: LightRule, calendar: BusinessCalendar, now: Date): TrafficLight | null {
  const { context } = snapshot;
  const state = deadlineState(snapshot.value);
  switch (state) {
    case 'onTrack':
    case 'dueSoon':
      if (rule.kind === 'timeLeft') return state === 'onTrack' ? 'green' : 'yellow';
      return lightByProgress(rule, workPlanOf(context, deadlineSetAt(snapshot), calendar), snapshot, calendar, now);
    case 'overdue':
      return 'red';
    case 'escalated':
      return rule.blackFromEscalationLevel !== null && context.escalationLevel >= rule.blackFromEscalationLevel ? 'black' : 'red';
    default:
      return null;
  }
}

function lightByProgress(rule: ProgressRule, plan: WorkPlan | null, snapshot: StoredSnapshot, calendar: BusinessCalendar, now: Date): TrafficLight {
  if (plan === null) return 'green';
  const elapsed = elapsedWorkingDays(plan, calendar, now);
  const reported = reportedPercent(snapshot.context);
  if (behindPlanBy(plan, elapsed, reported, rule.redLagPoints)) return 'red';
  if (behindPlanBy(plan, elapsed, reported, rule.yellowLagPoints)) return 'yellow';
  return 'green';
}
