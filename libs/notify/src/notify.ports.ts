import type { AuditRecord } from '#identity';
import type { OutboxEvent } from '#events';
import type {
  ContactPreferences,
  NotificationAttemptRecord,
  NotificationChannelRecord,
  NotificationRecord,
  NotificationStatus,
  Recipient,
  RoutingRule,
} from './notify.records.js';

/** A department as routing walks the tree. */
export interface DirectoryDepartment {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
}

/** A person with a role, as audiences are chosen from them. */
export interface DirectoryPerson extends Recipient {
  role: string;
  departmentId: string | null;
  active: boolean;
}

/** An open problem as the daily digest lists it. */
export interface DigestProblem {
  id: string;
  title: string;
  severity: string;
  inspectionRef: string;
  departmentId: string | null;
  deadline: string | null;
  stateDetail: string;
  deadlineState: string | null;
  escalationLevel: number;
  /** An extension or suspension the department asked for, waiting for the office's decision. */
  pendingRequest: boolean;
}

/** Port: the organisation as routing reads it (departments, people and how to reach them). */
export abstract class NotificationDirectory {
  abstract departments(): Promise<DirectoryDepartment[]>;
  /** Active people of these departments (all roles). */
  abstract peopleOf(departmentIds: readonly string[]): Promise<DirectoryPerson[]>;
  abstract people(userIds: readonly string[]): Promise<DirectoryPerson[]>;
  /** Active administrators (the calendar coverage warning goes to them). */
  abstract administrators(): Promise<DirectoryPerson[]>;
  /** Problems neither closed nor cancelled, assigned to these departments (bounded by `limit`). */
  abstract openProblems(departmentIds: readonly string[], limit: number): Promise<DigestProblem[]>;
}

/** What one claim of a robot's due messages works with: the robot's recent sends and what waits for it. */
export interface RobotQueue {
  channel: NotificationChannelRecord;
  /** Attempts made to it in the last minute (ISO instants). */
  recentAttempts: string[];
  /** Its due pending messages, oldest first (a bounded window). */
  pending: NotificationRecord[];
}

/** What a robot claim decided: messages sent alone, and digests to create that fold others in. */
export interface RobotClaim {
  alone: string[];
  digests: Array<{ digest: NotificationRecord; folded: string[] }>;
}

/** The outcome of one send, written in one transaction. */
export interface NotificationOutcome {
  attempt: NotificationAttemptRecord;
  notification: Pick<NotificationRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'sentAt' | 'lastError'>;
  /** The vendor said "too fast": nothing more to this robot before this instant. */
  pauseChannelUntil?: string;
}

export interface NotificationQuery {
  status?: NotificationStatus;
  channelId?: string;
  problemId?: string;
  recipientUserId?: string;
  /** Id of the last row of the previous page (newest first). */
  after?: string;
  limit: number;
}

/** Port: channels, routing, the message queue and its delivery log. Admin changes carry their audit entry. */
export abstract class NotificationStore {
  // Channels (sealed targets) and routing.
  abstract insertChannel(channel: NotificationChannelRecord, audit: AuditRecord): Promise<void>;
  abstract listChannels(): Promise<NotificationChannelRecord[]>;
  abstract findChannel(id: string): Promise<NotificationChannelRecord | null>;
  abstract updateChannel(id: string, changes: Partial<Pick<NotificationChannelRecord, 'name' | 'active' | 'dailyDigest' | 'departmentId'>>, audit: AuditRecord): Promise<void>;
  /** The routing table; null when an admin never replaced the defaults. */
  abstract routing(): Promise<RoutingRule[] | null>;
  abstract replaceRouting(rules: RoutingRule[], audit: AuditRecord): Promise<void>;

  // Planning: events the relay handed over, not yet turned into messages.
  abstract eventsToPlan(limit: number): Promise<OutboxEvent[]>;
  /** One transaction: inserts the messages (ignoring ids that exist) and marks the events planned. */
  abstract recordPlan(eventIds: readonly string[], messages: readonly NotificationRecord[], at: string): Promise<number>;
  /** Inserts messages whose ids may exist already (digests, warnings, tests); answers how many were new. */
  abstract insertMessages(messages: readonly NotificationRecord[]): Promise<number>;

  // Sending.
  /** Robots with a due message and not paused at `now`. */
  abstract robotsWithDueMessages(now: string, limit: number): Promise<string[]>;
  /**
   * One transaction holding the robot's row (so two senders cannot pace the same robot): reads its queue, lets
   * `decide` choose, creates the digests, marks their folded messages `folded`, and leases what is to be sent
   * until `leaseUntil`. Answers the messages to send now (alone ones and digests), with the robot.
   */
  abstract claimRobotRound(
    channelId: string,
    now: string,
    leaseUntil: string,
    windowStart: string,
    decide: (queue: RobotQueue) => RobotClaim,
  ): Promise<{ channel: NotificationChannelRecord; messages: NotificationRecord[] } | null>;
  /** Due email messages (with their channel), leased until `leaseUntil`. */
  abstract claimDueEmails(now: string, leaseUntil: string, limit: number): Promise<Array<{ channel: NotificationChannelRecord; message: NotificationRecord }>>;
  abstract recordOutcome(outcome: NotificationOutcome): Promise<void>;

  // The delivery log.
  abstract listNotifications(query: NotificationQuery): Promise<NotificationRecord[]>;
  abstract findNotification(id: string): Promise<NotificationRecord | null>;
  abstract listAttempts(notificationId: string): Promise<NotificationAttemptRecord[]>;
  /** Makes it pending and due at `at` (a sent one goes again, a folded one alone). */
  abstract requestRedelivery(id: string, at: string, audit: AuditRecord): Promise<void>;

  // People's own settings.
  abstract contact(userId: string): Promise<ContactPreferences | null>;
  abstract updateContact(userId: string, contact: ContactPreferences, audit: AuditRecord): Promise<void>;
}
