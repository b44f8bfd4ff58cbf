/**
 * Who is told of what, by default: the routing table an installation starts with (admins edit it as data, see
 * PUT /admin/notifications/routing). Each line sends one event, to one audience, by one route; escalations are
 * mandatory (nobody opts out of them). Audiences are relative to the problem the event is about:
 * - responsibleMembers / responsibleHead: the department rectifying it, its members or its head;
 * - filer: the inspector who filed it;
 * - officeSupervisors: the supervisors of the nearest office over it, who decide its requests and close it;
 * - escalationRecipients: the head of the department escalation level n names (its own, the office above, the top).
 */

/** Who a routing rule addresses, relative to the problem an event is about (see above). */
export const AUDIENCES = [
  /** The responsible department's members (role `department`). */
  'responsibleMembers',
  /** The responsible department's head. */
  'responsibleHead',
  /** The inspector who filed the problem. */
  'filer',
  /** The supervisors of the nearest office over the problem (who decide its requests and close it). */
  'officeSupervisors',
  /** Escalation level n's recipients as the deadline policy names them (the head of that department). */
  'escalationRecipients',
] as const;
export type Audience = (typeof AUDIENCES)[number];

/** How a rule reaches its audience: each person's email, or the group robot(s) of the audience's department. */
export const DELIVERY_ROUTES = ['email', 'robot'] as const;
export type DeliveryRoute = (typeof DELIVERY_ROUTES)[number];

export interface RoutingDefault {
  event: NotifiableEvent;
  level?: number;
  audience: Audience;
  route: DeliveryRoute;
  mandatory?: boolean;
}

/** Events a person may be told of; `daily.digest` is the working-day summary, not an outbox event. */
export const NOTIFIABLE_EVENTS = [
  'problem.filed',
  'problem.assigned',
  'problem.reassigned',
  'problem.deadline_approaching',
  'problem.overdue',
  'problem.escalated',
  'problem.behind_plan',
  'problem.verification_overdue',
  'problem.extension_requested',
  'problem.extension_approved',
  'problem.extension_rejected',
  'problem.suspension_requested',
  'problem.suspended',
  'problem.suspension_rejected',
  'problem.rejected',
  'problem.closed',
  'problem.reopened',
  'daily.digest',
] as const;
export type NotifiableEvent = (typeof NOTIFIABLE_EVENTS)[number];

/** Escalations (and verifications left waiting) are supervision itself: they reach people whatever they opted out of. */
export const MANDATORY_EVENTS: readonly NotifiableEvent[] = ['problem.escalated', 'problem.verification_overdue'];

export const DEFAULT_ROUTING: readonly RoutingDefault[] = [
  // A new finding: the office that assigns it.
  { event: 'problem.filed', audience: 'officeSupervisors', route: 'email' },
  // The department is told it owns a problem, in its group and its head by mail.
  { event: 'problem.assigned', audience: 'responsibleMembers', route: 'robot' },
  { event: 'problem.assigned', audience: 'responsibleHead', route: 'email' },
  { event: 'problem.reassigned', audience: 'responsibleMembers', route: 'robot' },
  { event: 'problem.reassigned', audience: 'responsibleHead', route: 'email' },
  // Reminders before the deadline, and the deadline passing.
  { event: 'problem.deadline_approaching', audience: 'responsibleMembers', route: 'robot' },
  { event: 'problem.overdue', audience: 'responsibleMembers', route: 'robot' },
  { event: 'problem.overdue', audience: 'responsibleHead', route: 'email' },
  // Under a light rule by progress: the work has fallen behind its plan (the light turned yellow or red).
  { event: 'problem.behind_plan', audience: 'responsibleMembers', route: 'robot' },
  // Escalations up the supervising chain: the level's recipients, by mail and in their group; the department too.
  { event: 'problem.escalated', audience: 'escalationRecipients', route: 'email', mandatory: true },
  { event: 'problem.escalated', audience: 'escalationRecipients', route: 'robot', mandatory: true },
  { event: 'problem.escalated', level: 1, audience: 'responsibleMembers', route: 'robot', mandatory: true },
  // A rectification left unverified: the inspector who must verify it, and the office over them.
  { event: 'problem.verification_overdue', audience: 'filer', route: 'email', mandatory: true },
  // Requests wait for the office's decision; decisions go back to the department.
  { event: 'problem.extension_requested', audience: 'officeSupervisors', route: 'email' },
  { event: 'problem.suspension_requested', audience: 'officeSupervisors', route: 'email' },
  { event: 'problem.extension_approved', audience: 'responsibleHead', route: 'email' },
  { event: 'problem.extension_rejected', audience: 'responsibleHead', route: 'email' },
  { event: 'problem.suspended', audience: 'responsibleHead', route: 'email' },
  { event: 'problem.suspension_rejected', audience: 'responsibleHead', route: 'email' },
  // Verification's outcome.
  { event: 'problem.rejected', audience: 'responsibleMembers', route: 'robot' },
  { event: 'problem.rejected', audience: 'responsibleHead', route: 'email' },
  { event: 'problem.closed', audience: 'responsibleHead', route: 'email' },
  { event: 'problem.reopened', audience: 'responsibleMembers', route: 'robot' },
  { event: 'problem.reopened', audience: 'responsibleHead', route: 'email' },
  // The working-day summary: each department's group, and every head and supervisor by mail.
  { event: 'daily.digest', audience: 'responsibleMembers', route: 'robot' },
  { event: 'daily.digest', audience: 'responsibleHead', route: 'email' },
  { event: 'daily.digest', audience: 'officeSupervisors', route: 'email' },
];

/** The rules that apply to one event (an escalation: those of any level and those of its own). */
export function rulesFor<R extends { event: string; level?: number | null }>(rules: readonly R[], event: string, level: number | null): R[] {
  return rules.filter((rule) => rule.event === event && (rule.level === undefined || rule.level === null || rule.level === level));
}

/** Whether a message of this event may go at once, in quiet hours: escalations of critical problems, when configured. */
export function isUrgent(event: string, severity: string | null, criticalEscalationsImmediate: boolean): boolean {
  return criticalEscalationsImmediate && event === 'problem.escalated' && severity === 'critical';
}
