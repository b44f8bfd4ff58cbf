import { ApiProperty } from '@nestjs/swagger';
import type { NotificationAttemptRecord, NotificationRecord, NotificationStatus } from '#notify';
import { NOTIFICATION_STATUSES } from './notification-log.dto.js';
import { MESSAGE_LANGUAGES } from './notification-settings.dto.js';

// The answers of /admin/notifications for the OpenAPI document; each class `implements` the notify library's
// type, so a field it renames or retypes breaks the build instead of the console.

/** One message to one recipient through one channel, as the delivery log keeps it (bodies included). */
export class NotificationDto implements NotificationRecord {
  @ApiProperty({ example: 'n-3f1c0a9be4d27785c1e0f6a4b3d2c1e0ab', description: 'Derived from what it reports and where it goes (not a UUID)' })
  id: string;

  @ApiProperty({ description: 'The outbox event it reports, or the key of a digest, a warning or a test (`test`)' })
  eventId: string;

  @ApiProperty({ example: 'problem.assigned', description: 'A domain event name, or daily.digest, burst.digest, channel.test …' })
  eventType: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The problem it is about; null for digests and tests' })
  problemId: string | null;

  @ApiProperty({ format: 'uuid' })
  channelId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Email: the person; robots: null (the group)' })
  recipientUserId: string | null;

  @ApiProperty({ description: 'Email address; empty for robots' })
  address: string;

  @ApiProperty({ type: String, isArray: true, description: 'Robots: the mobiles @-mentioned' })
  mentionMobiles: string[];

  @ApiProperty({ enum: MESSAGE_LANGUAGES })
  language: (typeof MESSAGE_LANGUAGES)[number];

  @ApiProperty({ description: 'Urgent messages ignore quiet hours and go first' })
  urgent: boolean;

  @ApiProperty()
  title: string;

  @ApiProperty({ description: 'Plain text body, ending before the link' })
  text: string;

  @ApiProperty({ description: 'Markdown body for robots, ending before the link' })
  markdown: string;

  @ApiProperty({ description: 'HTML body for email, with the link' })
  html: string;

  @ApiProperty({ type: String, nullable: true, description: "The console link; null when none (no NOTIFY_CONSOLE_URL, or a test)" })
  link: string | null;

  @ApiProperty({ description: "The link's button label, in the message's language" })
  linkLabel: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status: NotificationStatus;

  @ApiProperty({ format: 'date-time', description: 'Not sent before (quiet hours: the next working hour)' })
  notBefore: string;

  @ApiProperty({ type: 'integer' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null once settled' })
  nextAttemptAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Folded: the id of the digest that carried it' })
  foldedInto: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed, or why it cannot be delivered' })
  lastError: string | null;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first' })
  items: NotificationDto[];
}

/** One attempt to send a message, with the vendor's answer. */
export class NotificationAttemptDto implements NotificationAttemptRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  notificationId: string;

  @ApiProperty({ format: 'uuid' })
  channelId: string;

  @ApiProperty({ format: 'date-time' })
  attemptedAt: string;

  @ApiProperty()
  delivered: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The HTTP status of a robot vendor; null for email and when no answer came' })
  statusCode: number | null;

  @ApiProperty({ type: String, nullable: true, example: '310000', description: "The vendor's own code (DingTalk errcode, SMTP reply code …); null when no answer came" })
  vendorCode: string | null;

  @ApiProperty({ description: 'What happened, for a person to act on' })
  detail: string;

  @ApiProperty({ type: 'integer' })
  durationMs: number;
}

/** GET /admin/notifications/:id adds its log. */
export class NotificationDetailDto extends NotificationDto {
  @ApiProperty({ type: [NotificationAttemptDto], description: 'Every attempt, oldest first' })
  log: NotificationAttemptDto[];
}
