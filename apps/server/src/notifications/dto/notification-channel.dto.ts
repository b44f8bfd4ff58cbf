import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { CHANNEL_KINDS, type ChannelKind } from '#notify';
import { IsName } from '../../common/validation.js';

/*
 * Targets are checked as text here and as URLs by the service, so a malformed or wrong-scheme URL answers
 * 422 NOTIFY.INVALID_TARGET naming the field, the same code a robot without a webhook URL gets.
 */
export class CreateNotificationChannelDto {
  @ApiProperty({ enum: CHANNEL_KINDS, description: 'email: the organisation SMTP server; dingtalk, feishu, wecom: a group robot' })
  @IsIn(CHANNEL_KINDS)
  kind: ChannelKind;

  @ApiProperty({ example: '设施部 DingTalk group', maxLength: 100, description: 'Stored NFC and trimmed' })
  @IsName(100)
  name: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "The department whose group robot this is; omitted: organisation-wide (the SMTP server)" })
  @IsOptional()
  @IsUUID()
  departmentId?: string | null;

  @ApiPropertyOptional({ description: "Takes part in its department's daily digest (default: true for robots, false for email)" })
  @IsOptional()
  @IsBoolean()
  dailyDigest?: boolean;

  @ApiPropertyOptional({
    example: 'https://oapi.dingtalk.com/robot/send?access_token=…',
    maxLength: 2000,
    description: "Robots: the webhook URL as the vendor shows it. Sealed at rest, never shown again",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true, description: 'DingTalk, Feishu: the 加签 (signing) secret, when signing is on. Sealed, never shown again' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string | null;

  @ApiPropertyOptional({
    example: 'smtps://noreply%40example.org:password@smtp.example.org:465',
    maxLength: 2000,
    description: 'Email: smtp:// or smtps:// with user and password. Sealed, never shown again',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  smtpUrl?: string;

  @ApiPropertyOptional({ example: '整改平台 <noreply@example.org>', maxLength: 320, description: 'Email: the From address' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  from?: string;
}

export class UpdateNotificationChannelDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'New name (the rules of a new channel\'s name)' })
  // Not @IsOptional(): that would let `null` through, and a channel keeps a name.
  @ValidateIf((_object, value) => value !== undefined)
  @IsName(100)
  name?: string;

  @ApiPropertyOptional({ description: 'false: nothing goes out through it; true again also lifts a vendor\'s "too fast" pause' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @ValidateIf((_object, value) => value !== undefined)
  @IsBoolean()
  dailyDigest?: boolean;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Move the robot to this department; null: organisation-wide' })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsUUID()
  departmentId?: string | null;
}
