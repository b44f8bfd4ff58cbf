import { ApiProperty } from '@nestjs/swagger';
import type { ContactPreferences } from '#notify';
import { NOTIFIABLE_EVENTS, type NotifiableEvent } from '#rectification';
import { MESSAGE_LANGUAGES } from './notification-settings.dto.js';

/** GET and PUT /me/notification-settings, PUT /admin/users/:id/notification-settings: a person's contact settings. */
export class NotificationSettingsDto implements ContactPreferences {
  @ApiProperty({ type: String, nullable: true, example: 'wang.fang@example.org', description: 'Where mail reaches the person; null: no mail' })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+8613800138000', description: 'Mobile the group robots @-mention; null: none' })
  mobile: string | null;

  @ApiProperty({ enum: MESSAGE_LANGUAGES, description: 'Language of messages to the person' })
  language: (typeof MESSAGE_LANGUAGES)[number];

  @ApiProperty({ enum: NOTIFIABLE_EVENTS, isArray: true, description: 'Events the person is not told of, sorted; mandatory ones still come' })
  optOuts: NotifiableEvent[];

  @ApiProperty({ enum: NOTIFIABLE_EVENTS, isArray: true, description: 'Events nobody can opt out of (escalations)' })
  mandatory: NotifiableEvent[];
}
