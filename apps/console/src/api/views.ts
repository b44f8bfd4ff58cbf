import type { components, operations } from './schema';

type Schemas = components['schemas'];

// ── The server's answers, as its OpenAPI document gives them (schema.d.ts, generated: npm run console:api) ──────
// Named as the screens speak of them.

export type ProblemView = Schemas['ProblemViewDto'];
export type ProblemPage = Schemas['ProblemPageDto'];
/** One event sent to a problem (POST /problems/:id/events): the body of one of its event types. */
export type ProblemEventBody = NonNullable<operations['ProblemsController_send']['requestBody']>['content']['application/json'];
export type NewProblem = Schemas['FileProblemDto'];
/** What GET /problems filters and pages by. */
export type ProblemQuery = NonNullable<operations['ProblemsController_list']['parameters']['query']>;
/** A department as the directory (GET /departments) lists it. */
export type Department = Schemas['DirectoryDepartmentDto'];
/** A supervision notice (督办单) as GET /me/notices gives it. */
export type SupervisionNotice = Schemas['NoticeDto'];
/** A numbered supervision sheet (督〔2026〕17号) a ladder step issued, with the facts it prints. */
export type SupervisionSheet = Schemas['SheetDto'];
/** GET or POST /sheets/:number/verify: the sheet against the tamper-evident history (and a PDF copy against it). */
export type SheetVerification = Schemas['SheetVerificationDto'];
/** What GET /sheets (the sheets' registry, 督办单台账) filters by, and its page. */
export type SheetRegisterQuery = NonNullable<operations['SheetsController_list']['parameters']['query']>;
export type SheetResponseState = NonNullable<SheetRegisterQuery['response']>;
/** GET /problems/:id/deadline: why the deadline is what it is, and where each escalation level would go. */
export type DeadlineExplanationView = Schemas['DeadlineExplanationDto'];
export type PlannedStepView = DeadlineExplanationView['schedule'][number];
export type SessionAnswer = Schemas['SessionDto'];

/** One row of the ledger (台账), GET /ledger without a format (the same rows as the exports). */
export type LedgerRow = Schemas['LedgerRowDto'];
export type LedgerOutcome = LedgerRow['outcome'];
export type LedgerPage = Schemas['LedgerPageDto'];
/** What GET /ledger filters by, besides its format, language and page. */
export type LedgerQuery = NonNullable<operations['LedgerController_rows']['parameters']['query']>;
/** One group of GET /ledger/summary: all rows, a department (key: its id, null when unassigned) or an inspection. */
export type LedgerSummaryGroup = Schemas['LedgerSummaryGroupDto'];
export type LedgerSummary = Schemas['LedgerSummaryDto'];
/** GET /ledger/ranking (部门排名): the departments best first, each on the red, yellow or black list (红黄黑榜) or on none. */
export type RankingView = Schemas['RankingDto'];
export type RankingRow = Schemas['RankingRowDto'];
export type RankingList = NonNullable<RankingRow['list']>;
/** What puts a department on each list: part of the deadline policy version in force (rates 0–1). */
export type RankingThresholds = Schemas['RankingThresholdsDto'];
/** GET /ledger/dashboard (督办驾驶舱): lights per department, the ladder's open steps, found against closed per week. */
export type DashboardView = Schemas['DashboardDto'];
export type DepartmentLights = Schemas['DepartmentLightsDto'];
export type LadderStepCount = Schemas['LadderStepCountDto'];
export type TrendWeek = Schemas['TrendWeekDto'];

/** An inspection (检查): the resource, its team, and what the caller may do with it. */
export type InspectionView = Schemas['InspectionViewDto'];
export type NewInspection = Schemas['CreateInspectionDto'];

/** A problem's evidence file: `finding` is before, `rectification` after. */
export type EvidenceItem = Schemas['EvidenceRecordDto'];

/** GET /admin/webhooks (never the secret; POST answers it once, as CreatedWebhook). */
export type WebhookSubscription = Schemas['WebhookSubscriptionDto'];
export type CreatedWebhook = Schemas['CreatedWebhookDto'];
export type WebhookDelivery = Schemas['WebhookDeliveryDto'];
export type WebhookAttempt = Schemas['WebhookAttemptDto'];

/** GET /admin/notification-channels: where each points (`target`), never its credentials. */
export type NotificationChannel = Schemas['NotificationChannelDto'];
export type ChannelKind = NotificationChannel['kind'];
export type NewChannel = Schemas['CreateNotificationChannelDto'];
export type ChannelChange = Schemas['UpdateNotificationChannelDto'];
/** A test message and the vendor's answer to it. */
export type ChannelTestResult = Schemas['NotificationChannelTestDto'];
export type RoutingRule = Schemas['NotificationRoutingRuleDto'];
/** One message of the delivery log. */
export type NotificationMessage = Schemas['NotificationDto'];
export type NotificationAttempt = Schemas['NotificationAttemptDto'];
/** GET/PUT /me/notification-settings. */
export type NotificationSettings = Schemas['NotificationSettingsDto'];

// ── Administration ──────────────────────────────────────────────────────────────────────────────────

/** GET /admin/departments: the tree, inactive departments included. */
export type DepartmentNode = Schemas['DepartmentNodeDto'];
/** A person's account as admins see it (GET /admin/users). */
export type AdminUser = Schemas['UserDto'];
/** A token as admins see it: never the token itself, except once when issued (IssuedToken). */
export type TokenSummary = Schemas['TokenSummaryDto'];
export type IssuedToken = Schemas['IssuedTokenDto'];
/** POST /admin/users: the user and their first token, shown once. */
export type CreatedUser = Schemas['CreatedUserDto'];
/** POST /admin/users/:id/invitation: the code, shown once. */
export type IssuedInvitation = Schemas['IssuedInvitationDto'];
export type CalendarSummary = Schemas['CalendarSummaryDto'];
/** POST /admin/calendar/import: the new summary and what the file gave. */
export type CalendarImport = Schemas['IcsImportReportDto'];
/** GET /admin/calendar/days?year=: one year's special days, date → name or reason. */
export type CalendarYear = Schemas['CalendarYearDto'];
/** GET /deadline-policy: the deadline policy (整改时限规定) in force, with its publication (null for the built-in version 1). */
export type PublishedPolicy = Schemas['PublishedPolicyDto'];
/** A policy without its id and version: what an admin edits and publishes, and what a preset gives. */
export type DeadlinePolicyDraft = Schemas['DeadlinePolicyDraftDto'];
