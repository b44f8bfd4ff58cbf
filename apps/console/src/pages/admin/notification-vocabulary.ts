import type { components } from '../../api/schema';

/*
 * The server's value lists, as run-time arrays for pickers. Each is checked against the generated schema both
 * ways: a value the server does not know does not compile, nor does a list that misses one.
 */
type Schemas = components['schemas'];
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
const exhaustive = <T extends true>(_check: T) => undefined;

export type NotifiableEvent = Schemas['RoutingRuleDto']['event'];
/** Events a person may be told of (workflows/rectification NOTIFIABLE_EVENTS); `daily.digest` is the working-day summary. */
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
] as const satisfies readonly NotifiableEvent[];
exhaustive<Exhaustive<NotifiableEvent, (typeof NOTIFIABLE_EVENTS)[number]>>(true);

export type Audience = Schemas['RoutingRuleDto']['audience'];
export const AUDIENCES = ['responsibleMembers', 'responsibleHead', 'filer', 'officeSupervisors', 'escalationRecipients'] as const satisfies readonly Audience[];
exhaustive<Exhaustive<Audience, (typeof AUDIENCES)[number]>>(true);

type Route = Schemas['RoutingRuleDto']['route'];
export const ROUTES = ['email', 'robot'] as const satisfies readonly Route[];
exhaustive<Exhaustive<Route, (typeof ROUTES)[number]>>(true);

type Kind = Schemas['CreateNotificationChannelDto']['kind'];
export const CHANNEL_KINDS = ['email', 'dingtalk', 'feishu', 'wecom'] as const satisfies readonly Kind[];
exhaustive<Exhaustive<Kind, (typeof CHANNEL_KINDS)[number]>>(true);

type WebhookEvent = NonNullable<Schemas['CreateWebhookDto']['eventTypes']>[number];
/** Every domain event a webhook may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'problem.filed',
  'problem.assigned',
  'problem.reassigned',
  'problem.started',
  'problem.progress_reported',
  'problem.submitted',
  'problem.approved',
  'problem.rejected',
  'problem.closed',
  'problem.reopened',
  'problem.cancelled',
  'problem.deadline_approaching',
  'problem.overdue',
  'problem.escalated',
  'problem.behind_plan',
  'problem.verification_overdue',
  'problem.deadline_recounted',
  'problem.extension_requested',
  'problem.extension_approved',
  'problem.extension_rejected',
  'problem.suspension_requested',
  'problem.suspended',
  'problem.suspension_rejected',
  'problem.resumed',
] as const satisfies readonly WebhookEvent[];
exhaustive<Exhaustive<WebhookEvent, (typeof WEBHOOK_EVENT_TYPES)[number]>>(true);

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'folded', 'failed', 'undeliverable'] as const;
