import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The organisation's SMTP server or a department's group robot; the target (URL, secret) sealed at rest. */
@Entity({ name: 'notification_channels' })
export class NotificationChannelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** email, dingtalk, feishu or wecom. */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @Column({ name: 'sealed_target', type: 'text' })
  sealedTarget: string;

  @Column({ name: 'daily_digest', type: 'boolean' })
  dailyDigest: boolean;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'paused_until', type: 'varchar', length: 30, nullable: true })
  pausedUntil: string | null;
}

/** One line of the routing table an admin keeps (absent rows: the defaults of workflows/). */
@Entity({ name: 'notification_routing' })
export class NotificationRoutingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Order of the table as the admin wrote it. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 64 })
  event: string;

  @Column({ type: 'integer', nullable: true })
  level: number | null;

  @Column({ type: 'varchar', length: 32 })
  audience: string;

  @Column({ type: 'varchar', length: 16 })
  route: string;

  @Column({ type: 'boolean' })
  mandatory: boolean;
}

/** An outbox event handed to notification planning by the relay, in its publishing transaction. */
@Entity({ name: 'notification_events' })
@Index('ix_notification_events_unplanned', ['plannedAt', 'eventId'])
export class NotificationEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'planned_at', type: 'varchar', length: 30, nullable: true })
  plannedAt: string | null;
}

/** One message to one recipient through one channel; the id is derived from what it reports, so it is made once. */
@Entity({ name: 'notifications' })
@Index('ix_notifications_due', ['status', 'channelId', 'nextAttemptAt'])
@Index('ix_notifications_problem', ['problemId'])
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ name: 'problem_id', type: 'varchar', length: 36, nullable: true })
  problemId: string | null;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId: string;

  @Column({ name: 'recipient_user_id', type: 'varchar', length: 36, nullable: true })
  recipientUserId: string | null;

  @Column({ type: 'varchar', length: 320 })
  address: string;

  /** JSON array of mobile numbers. */
  @Column({ name: 'mention_mobiles', type: 'text' })
  mentionMobiles: string;

  @Column({ type: 'varchar', length: 8 })
  language: string;

  @Column({ type: 'boolean' })
  urgent: boolean;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text' })
  markdown: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  link: string | null;

  @Column({ name: 'link_label', type: 'varchar', length: 100 })
  linkLabel: string;

  /** pending, sent, folded, failed or undeliverable. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'not_before', type: 'varchar', length: 30 })
  notBefore: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'varchar', length: 30, nullable: true })
  nextAttemptAt: string | null;

  @Column({ name: 'folded_into', type: 'varchar', length: 64, nullable: true })
  foldedInto: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 30, nullable: true })
  sentAt: string | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}

/** The delivery log: one row per attempt, with the vendor's answer. */
@Entity({ name: 'notification_attempts' })
@Index('ix_notification_attempts_channel', ['channelId', 'attemptedAt'])
@Index('ix_notification_attempts_notification', ['notificationId'])
export class NotificationAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'notification_id', type: 'varchar', length: 64 })
  notificationId: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId: string;

  @Column({ name: 'attempted_at', type: 'varchar', length: 30 })
  attemptedAt: string;

  @Column({ type: 'boolean' })
  delivered: boolean;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'vendor_code', type: 'varchar', length: 32, nullable: true })
  vendorCode: string | null;

  @Column({ type: 'varchar', length: 500 })
  detail: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;
}
