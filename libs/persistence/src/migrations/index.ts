import { InitialSchema1764115200000 } from './1764115200000-initial-schema.js';
import { OrganisationAndAccess1764201600000 } from './1764201600000-organisation-and-access.js';
import { EventDelivery1764288000000 } from './1764288000000-event-delivery.js';
import { DeadlineTimers1764374400000 } from './1764374400000-deadline-timers.js';
import { BusinessCalendars1764460800000 } from './1764460800000-business-calendars.js';
import { Evidence1764547200000 } from './1764547200000-evidence.js';
import { Imports1764633600000 } from './1764633600000-imports.js';
import { RepeatProblems1764720000000 } from './1764720000000-repeat-problems.js';
import { AuditChain1764806400000 } from './1764806400000-audit-chain.js';
import { Inspections1764892800000 } from './1764892800000-inspections.js';
import { SignIn1764979200000 } from './1764979200000-sign-in.js';
import { Notifications1765065600000 } from './1765065600000-notifications.js';
import { HistoryMachineVersion1765152000000 } from './1765152000000-history-machine-version.js';
import { RateLimits1765238400000 } from './1765238400000-rate-limits.js';
import { OutboxNotify1765324800000 } from './1765324800000-outbox-notify.js';
import { WebhookLeaseToken1765411200000 } from './1765411200000-webhook-lease-token.js';
import { SharedEvidence1765497600000 } from './1765497600000-shared-evidence.js';
import { SupervisionReadIndexes1765584000000 } from './1765584000000-supervision-read-indexes.js';
import { PendingRequests1765670400000 } from './1765670400000-pending-requests.js';
import { DeadlinePolicies1765756800000 } from './1765756800000-deadline-policies.js';
import { TrafficLights1765843200000 } from './1765843200000-traffic-lights.js';
import { SupervisionSheets1765929600000 } from './1765929600000-supervision-sheets.js';

/** Every migration, in order. Listed explicitly (no glob) so the same list works from source and from dist. */
export const MIGRATIONS = [
  InitialSchema1764115200000,
  OrganisationAndAccess1764201600000,
  EventDelivery1764288000000,
  DeadlineTimers1764374400000,
  BusinessCalendars1764460800000,
  Evidence1764547200000,
  Imports1764633600000,
  RepeatProblems1764720000000,
  AuditChain1764806400000,
  Inspections1764892800000,
  SignIn1764979200000,
  Notifications1765065600000,
  HistoryMachineVersion1765152000000,
  RateLimits1765238400000,
  OutboxNotify1765324800000,
  WebhookLeaseToken1765411200000,
  SharedEvidence1765497600000,
  SupervisionReadIndexes1765584000000,
  PendingRequests1765670400000,
  DeadlinePolicies1765756800000,
  TrafficLights1765843200000,
  SupervisionSheets1765929600000,
];
