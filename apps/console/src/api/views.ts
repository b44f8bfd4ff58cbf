import type { components } from './schema';

/**
 * Answers the OpenAPI document does not describe yet (its responses carry no schema); the requests are typed
 * from it (schema.d.ts). Kept to the fields the screens read, as the server's ProblemView and HistoryRecord give them.
 */
export interface ProblemView {
  id: string;
  title: string;
  description: string;
  category: string;
  severity: 'critical' | 'major' | 'general' | 'minor';
  location: string;
  inspectionRef: string;
  requirement: string;
  filedBy: string;
  state: 'found' | 'assigned' | 'rectifying' | 'verified' | 'closed' | 'cancelled';
  stateDetail: string;
  version: number;
  departmentId: string | null;
  responsiblePerson: string | null;
  deadline: string | null;
  deadlineState: string;
  pendingRequest: { kind: 'extension' | 'suspension'; reason: string; proposedDeadline?: string } | null;
  allowedEvents: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ProblemPage {
  items: ProblemView[];
  nextCursor: string | null;
}

export interface HistoryRow {
  version: number;
  eventType: string;
  actorId: string;
  actorName: string;
  actorRole: string;
  fromState: string;
  toState: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}

export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  active: boolean;
}

/** GET /problems/counts: problems in the caller's scope matching the filters, per state. */
export interface ProblemCounts {
  total: number;
  byState: Record<string, number>;
}

/** A supervision notice (督办单) as GET /me/notices gives it (the server's NoticeView). */
export interface SupervisionNotice {
  id: string;
  problemId: string;
  problemTitle: string;
  problemVersion: number;
  kind: 'escalation' | 'verification';
  level: number;
  recipientDepartmentId: string;
  recipientUserId: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export type LedgerOutcome = 'on time' | 'on time after extension' | 'late' | 'open and overdue' | 'open' | 'cancelled';

/** One row of the ledger (台账), GET /ledger?format=json (libs/ledger LedgerRow). */
export interface LedgerRow {
  id: string;
  inspection: string;
  title: string;
  location: string;
  category: string;
  severity: string;
  departmentId: string | null;
  department: string | null;
  responsiblePerson: string | null;
  plannedCompletionDate: string | null;
  latestProgress: { note: string; percent: number | null; at: string } | null;
  foundAt: string;
  originalDeadline: string | null;
  deadline: string | null;
  extensions: number;
  state: string;
  stateDetail: string;
  daysOverdue: number | null;
  reworkRounds: number;
  closedAt: string | null;
  completedAt: string | null;
  workingDaysToClose: number | null;
  outcome: LedgerOutcome;
  repeatOf: string | null;
}

export interface LedgerPage {
  items: LedgerRow[];
  nextCursor: string | null;
}

/** One group of GET /ledger/summary: all rows, a department (key: its id, null when unassigned) or an inspection. */
export interface LedgerSummaryGroup {
  groupBy: 'all' | 'department' | 'inspection';
  key: string | null;
  name: string;
  total: number;
  closed: number;
  open: number;
  /** Open and past the current deadline; included in `open`. */
  overdue: number;
  cancelled: number;
  onTime: number;
  onTimeAfterExtension: number;
  late: number;
  onTimeRate: number | null;
  onTimeRateDenominator: number;
  averageWorkingDaysToClose: number | null;
  extensions: number;
  reworkRounds: number;
}

export interface LedgerSummary {
  onTimeRateDefinition: string;
  all: LedgerSummaryGroup;
  byDepartment: LedgerSummaryGroup[];
  byInspection: LedgerSummaryGroup[];
}

/** An inspection (检查) as the server's InspectionView gives it: the resource, its team, and what the caller may do with it. */
export interface InspectionView {
  id: string;
  organisationId: string | null;
  officeId: string | null;
  reference: string;
  title: string;
  kind: 'safety' | 'audit' | 'supervision' | 'quality' | 'other';
  startsOn: string | null;
  endsOn: string | null;
  inspectedDepartmentIds: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  members: Array<{ userId: string; addedBy: string; addedAt: string }>;
  mayFile: boolean;
  mayManage: boolean;
}

export interface InspectionPage {
  items: InspectionView[];
  nextCursor: string | null;
}

// ── Administration (the admin screens and the profile) ──────────────────────────────────────────────

/** GET /admin/departments: the tree, inactive departments included (OrganisationService DepartmentNode). */
export interface DepartmentNode {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
  active: boolean;
  createdAt: string;
  children: DepartmentNode[];
}

/** GET /admin/users (UserRecord). */
export interface AdminUser {
  id: string;
  name: string;
  username: string;
  role: 'inspector' | 'department' | 'supervisor' | 'admin';
  departmentId: string | null;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

/** A token as admins see it: never the token itself, except once when issued (`token`). */
export interface TokenSummary {
  id: string;
  userId: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface IssuedToken extends TokenSummary {
  token: string;
}

/** POST /admin/users: the user and their first token, shown once. */
export interface CreatedUser {
  user: AdminUser;
  token: IssuedToken;
}

/** POST /admin/users/:id/invitation: the code, shown once. */
export interface IssuedInvitation {
  userId: string;
  username: string;
  code: string;
  expiresAt: string;
}

/** GET /admin/calendar (CalendarAdministration summary). */
export interface CalendarSummary {
  id: string;
  version: number;
  name: string;
  timeZone: string;
  weekend: number[];
  workingHours: { start: string; end: string };
  holidayCoverage: { from: string; to: string } | null;
  source: string | null;
  holidays: number;
  makeUpWorkdays: number;
  closures: Record<string, string>;
}

/** POST /admin/calendar/import: the new summary and what the file gave. */
export interface CalendarImport extends CalendarSummary {
  imported: unknown[];
  skipped: unknown[];
}

/** GET /admin/calendar/days?year=: one year's special days, date → name or reason. */
export interface CalendarYear {
  year: number;
  version: number;
  timeZone: string;
  /** Days of the week off (0 Sunday … 6 Saturday). */
  weekend: number[];
  holidayCoverage: { from: string; to: string } | null;
  holidays: Record<string, string>;
  makeUpWorkdays: Record<string, string>;
  closures: Record<string, string>;
}

/** GET /health. */
export interface Health {
  status: string;
  database: string;
  calendar: {
    id: string;
    name: string;
    version: number;
    holidayCoverage: { from: string; to: string } | null;
    coverageWarning: { endsOn: string; daysLeft: number; message: string } | null;
  };
}

/** GET /admin/webhooks (never the secret; POST answers it once). */
export interface WebhookSubscription {
  id: string;
  url: string;
  eventTypes: string[];
  departmentId: string | null;
  active: boolean;
  consecutiveFailures: number;
  createdAt: string;
  disabledAt: string | null;
}

export interface CreatedWebhook extends WebhookSubscription {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered';
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface WebhookAttempt {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  succeeded: boolean;
}

export type ChannelKind = 'email' | 'dingtalk' | 'feishu' | 'wecom';

/** GET /admin/notification-channels: where each points (`target`), never its credentials. */
export interface NotificationChannel {
  id: string;
  kind: ChannelKind;
  name: string;
  departmentId: string | null;
  dailyDigest: boolean;
  active: boolean;
  createdAt: string;
  pausedUntil: string | null;
  target: string;
}

/** The vendor's answer to a test message (SendResult). */
export interface ChannelTestResult {
  notification: NotificationMessage;
  result: {
    delivered: boolean;
    retryable: boolean;
    rateLimited: boolean;
    statusCode: number | null;
    vendorCode: string | null;
    detail: string;
    durationMs: number;
  };
}

export interface RoutingRule {
  id?: string;
  event: string;
  level: number | null;
  audience: string;
  route: 'email' | 'robot';
  mandatory: boolean;
}

export interface RoutingTable {
  rules: RoutingRule[];
  isDefault: boolean;
}

export type NotificationStatus = 'pending' | 'sent' | 'folded' | 'failed' | 'undeliverable';

/** One message of the delivery log (NotificationRecord, bodies left out). */
export interface NotificationMessage {
  id: string;
  eventId: string;
  eventType: string;
  problemId: string | null;
  channelId: string;
  recipientUserId: string | null;
  address: string;
  language: 'zh' | 'en';
  urgent: boolean;
  title: string;
  status: NotificationStatus;
  notBefore: string;
  attempts: number;
  nextAttemptAt: string | null;
  foldedInto: string | null;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

export interface NotificationAttempt {
  id: string;
  notificationId: string;
  channelId: string;
  attemptedAt: string;
  delivered: boolean;
  statusCode: number | null;
  vendorCode: string | null;
  detail: string;
  durationMs: number;
}

/** GET/PUT /me/notification-settings. */
export interface NotificationSettings {
  email: string | null;
  mobile: string | null;
  language: 'zh' | 'en';
  optOuts: string[];
  mandatory: string[];
}

/** GET /problems/:id/evidence items (the server's EvidenceRecord): `finding` is before, `rectification` after. */
export interface EvidenceItem {
  id: string;
  problemId: string;
  kind: 'finding' | 'rectification';
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string;
  uploadedBy: string;
  uploadedAt: string;
  submittedInVersion: number | null;
}

/** A day of a deadline's count (GET /problems/:id/deadline `counting`). */
export interface CountedDayView {
  date: string;
  ordinal: number;
  /** A weekend day worked in exchange for a holiday (调休上班): the holiday's name. */
  makeUpFor?: string;
}

export interface SkippedDayView {
  date: string;
  kind: 'weekend' | 'holiday' | 'closure' | 'suspended';
  name?: string;
}

export type PlannedStepView =
  | { kind: 'reminder'; workingDaysBefore: number; at: string; due: boolean }
  | { kind: 'escalation'; level: number; workingDaysAfterDeadline: number; recipients: EscalationRecipients; at: string; due: boolean };

export type EscalationRecipients = 'departmentHead' | 'supervisingOffice' | 'leadership';

/** GET /problems/:id/deadline: the engine's DeadlineExplanation plus where each escalation level would go. */
export interface DeadlineExplanationView {
  problemId: string;
  state: string;
  deadline: string | null;
  basis: { kind: 'explicit'; setAt: string } | { kind: 'policy'; from: string; workingDays: number; calendarVersion: number; provisional: boolean } | null;
  calendar: { id: string; version: number; name: string; timeZone: string };
  stampedCalendarAvailable: boolean;
  originalDeadline: string | null;
  extensionCount: number;
  suspensions: Array<{ from: string; to: string | null; reason: string; skippedWorkingDays: number }>;
  suspended: boolean;
  counting: {
    from: string;
    to: string;
    workingDays: number;
    counted: CountedDayView[];
    skipped: SkippedDayView[];
    outsideHolidayCoverage: string[];
    listedThrough: string;
    later: { from: string; to: string; workingDays: number; skipped: Record<'weekend' | 'holiday' | 'closure' | 'suspended', number> } | null;
  } | null;
  notCounted: string | null;
  elapsedWorkingDays: number | null;
  remainingWorkingDays: number | null;
  overdue: boolean;
  clockRunning: boolean;
  schedule: PlannedStepView[];
  recipients: Record<EscalationRecipients, { departmentId: string; departmentName: string; headUserId: string | null } | null>;
}

// ── The same answers as the OpenAPI document gives them (schema.d.ts, generated: npm run console:api) ────────
// New code should read these; the hand-written interfaces above go as the screens move over.

export type ProblemViewSchema = components['schemas']['ProblemViewDto'];
export type ProblemDetailSchema = components['schemas']['ProblemDetailDto'];
export type ProblemPageSchema = components['schemas']['ProblemPageDto'];
export type ProblemCountsSchema = components['schemas']['ProblemCountsDto'];
export type HistoryRowSchema = components['schemas']['HistoryRowDto'];
export type DeadlineExplanationSchema = components['schemas']['DeadlineExplanationDto'];
export type SessionSchema = components['schemas']['SessionDto'];
export type SignedInSchema = components['schemas']['SignedInDto'];
export type MeSchema = components['schemas']['MeDto'];
export type SupervisionNoticeSchema = components['schemas']['NoticeDto'];
export type DirectoryDepartmentSchema = components['schemas']['DirectoryDepartmentDto'];
