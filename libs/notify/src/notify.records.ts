import type { ChannelKind } from './channels/channel.js';
import type { Audience, DeliveryRoute } from '#rectification';

export type { Audience, DeliveryRoute };

/**
 * A channel messages go out through: the organisation's SMTP server (kind `email`, one for everyone) or a group
 * robot (DingTalk, Feishu, WeCom) of a department. Its target (robot URL and secret, or the SMTP URL) is sealed at
 * rest and never shown again after creation.
 */
export interface NotificationChannelRecord {
  id: string;
  kind: ChannelKind;
  name: string;
  /** The department whose robot this is (messages routed "to the department's robot"); null: organisation-wide. */
  departmentId: string | null;
  /** `v1.…` sealed JSON of RobotTarget or EmailTarget (secret-box.ts). */
  sealedTarget: string;
  /** A robot that takes part in the daily digest of its department. */
  dailyDigest: boolean;
  active: boolean;
  createdAt: string;
  /** Set while the vendor blocks the robot for sending too fast: nothing goes to it before then. */
  pausedUntil: string | null;
}

/** One line of the routing table: events of `event` (of escalation `level`, for escalations) go to `audience` via `route`. */
export interface RoutingRule {
  id: string;
  /** A domain event name (problem.escalated …) or `daily.digest`. */
  event: string;
  /** Only escalations of this level; null: every level (or not an escalation). */
  level: number | null;
  audience: Audience;
  route: DeliveryRoute;
  /** Sent even to people who opted out (escalations always are). */
  mandatory: boolean;
}

export type NotificationStatus = 'pending' | 'sent' | 'folded' | 'failed' | 'undeliverable';

/**
 * One message to one recipient through one channel. Its id is derived from the event, the rule's audience and
 * the recipient, so planning an event twice (at-least-once relay) inserts nothing new.
 */
export interface NotificationRecord {
  id: string;
  /** The outbox event (or digest key) it reports. */
  eventId: string;
  eventType: string;
  problemId: string | null;
  channelId: string;
  /** For email: the person; for robots: null (the group). */
  recipientUserId: string | null;
  /** Email address, or empty for robots. */
  address: string;
  /** Robots: mobiles to @. */
  mentionMobiles: string[];
  language: 'zh' | 'en';
  /** Urgent messages ignore quiet hours and go first. */
  urgent: boolean;
  title: string;
  text: string;
  markdown: string;
  html: string;
  link: string | null;
  /** The link's button label, in the message's language. */
  linkLabel: string;
  status: NotificationStatus;
  /** Not sent before (quiet hours: the next working hour). */
  notBefore: string;
  attempts: number;
  /** When the next attempt is due (leased while one runs); null once settled. */
  nextAttemptAt: string | null;
  /** A message folded into a digest names the digest that carried it. */
  foldedInto: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Why it could not be delivered (no email address, channel gone …). */
  lastError: string | null;
}

export interface NotificationAttemptRecord {
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

/** What a person keeps for being told: where, in which language, and what they do not want (non-mandatory). */
export interface ContactPreferences {
  email: string | null;
  mobile: string | null;
  language: 'zh' | 'en';
  /** Event names (or `daily.digest`) the person opted out of; mandatory rules ignore it. */
  optOuts: string[];
}

/** A person as routing needs them. */
export interface Recipient extends ContactPreferences {
  userId: string;
  name: string;
}
