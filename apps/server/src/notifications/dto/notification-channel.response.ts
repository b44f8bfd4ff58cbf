import { ApiProperty } from '@nestjs/swagger';
import { CHANNEL_KINDS, type ChannelKind, type ChannelSummary, type SendResult } from '#notify';
import { NotificationDto } from './notification-log.response.js';

// The answers of /admin/notification-channels for the OpenAPI document; each class `implements` the notify
// library's type, so a field it renames or retypes breaks the build instead of the console.

/** A channel as admins see it: where it points, never its URL's key, secret or password. */
export class NotificationChannelDto implements ChannelSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CHANNEL_KINDS })
  kind: ChannelKind;

  @ApiProperty({ example: '设施部 DingTalk group' })
  name: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The department whose group robot this is; null: organisation-wide' })
  departmentId: string | null;

  @ApiProperty({ description: "Takes part in its department's daily digest" })
  dailyDigest: boolean;

  @ApiProperty({ description: 'false: nothing goes out through it' })
  active: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While the vendor blocks the robot for sending too fast: nothing goes to it before then' })
  pausedUntil: string | null;

  @ApiProperty({
    example: 'https://oapi.dingtalk.com/robot/send',
    description: 'Where it points: scheme, host and port (and path, for robots), without credentials; `(sealed with another key)` when NOTIFY_SECRET_KEY changed since',
  })
  target: string;
}

export class NotificationChannelListDto {
  @ApiProperty({ type: [NotificationChannelDto] })
  items: NotificationChannelDto[];
}

/** What the vendor (or the SMTP server) answered to one message. */
export class NotificationSendResultDto implements SendResult {
  @ApiProperty()
  delivered: boolean;

  @ApiProperty({ description: 'Worth trying again later (network error, 5xx, rate limit, vendor busy); bad configuration is not' })
  retryable: boolean;

  @ApiProperty({ description: 'The vendor said it is sent too fast: the robot is paused' })
  rateLimited: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: "The robot vendor's HTTP status; null for email and when no answer came" })
  statusCode: number | null;

  @ApiProperty({ type: String, nullable: true, example: '0', description: "The vendor's own code (DingTalk errcode, SMTP reply code …); null when no answer came" })
  vendorCode: string | null;

  @ApiProperty({ example: "DingTalk 310000: signature mismatch or keyword missing — check the robot's 加签 secret", description: 'What happened, for a person to act on' })
  detail: string;

  @ApiProperty({ type: 'integer' })
  durationMs: number;
}

/** POST /admin/notification-channels/:id/test: the message as logged, and the vendor's answer. */
export class NotificationChannelTestDto {
  @ApiProperty({ type: () => NotificationDto, description: 'The test message, in the delivery log like any other' })
  notification: NotificationDto;

  @ApiProperty({ type: () => NotificationSendResultDto })
  result: NotificationSendResultDto;
}
