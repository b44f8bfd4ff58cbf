import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NOTIFIABLE_EVENTS, type NotifiableEvent } from '#rectification';

export const MESSAGE_LANGUAGES = ['zh', 'en'] as const;

/** Omitted fields stay as they are; email and mobile take null to clear them. */
export class UpdateNotificationSettingsDto {
  @ApiPropertyOptional({ type: String, format: 'email', example: 'wang.fang@example.org', maxLength: 320, nullable: true, description: 'Where mail reaches the person; null: no mail' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ type: String, example: '+8613800138000', nullable: true, description: 'Mobile the group robots @-mention; null: none' })
  @IsOptional()
  @Matches(/^\+?[0-9]{6,20}$/, { message: 'mobile must be 6 to 20 digits, optionally after a +' })
  mobile?: string | null;

  @ApiPropertyOptional({ enum: MESSAGE_LANGUAGES, description: 'Language of messages to the person' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsIn(MESSAGE_LANGUAGES)
  language?: (typeof MESSAGE_LANGUAGES)[number];

  @ApiPropertyOptional({ enum: NOTIFIABLE_EVENTS, isArray: true, maxItems: 30, description: 'Events not to be told of; mandatory ones (escalations) still come' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsArray()
  @ArrayMaxSize(30)
  @IsIn(NOTIFIABLE_EVENTS, { each: true })
  optOuts?: NotifiableEvent[];
}
