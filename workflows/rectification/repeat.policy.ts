import { SEVERITIES, type Severity } from '#domain';

/**
 * Repeat problems (屡查屡犯): a new problem at the same location and of the same category as one closed within
 * the window is not treated as new. It is linked to the earlier one (both ways) and marked a repeat, and the
 * consequence applies: its severity is raised one level, so its rectification period is shorter.
 */
export interface RepeatPolicy {
  windowDays: number;
  consequence: 'raiseSeverity' | 'none';
}

export const DEFAULT_REPEAT_POLICY: RepeatPolicy = { windowDays: 365, consequence: 'raiseSeverity' };

/** One level up; critical stays critical. */
export function raisedSeverity(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(severity) + 1, SEVERITIES.length - 1)];
}

/** How locations and categories are compared: trimmed, case and inner spacing ignored. */
export function normalisedPlace(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The policy for a configured window (REPEAT_WINDOW_DAYS; 0 turns detection off); defaults to a year. */
export function repeatPolicyFrom(windowDays: number | undefined): RepeatPolicy {
  return { ...DEFAULT_REPEAT_POLICY, windowDays: windowDays ?? DEFAULT_REPEAT_POLICY.windowDays };
}
