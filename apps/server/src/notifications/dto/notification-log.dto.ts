import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { NotificationStatus } from '#notify';
import { PageSizeQueryDto } from '../../common/dto/page-size.query.dto.js';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'folded', 'failed', 'undeliverable'] as const satisfies readonly NotificationStatus[];

export class ListNotificationsQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ description: 'Only messages through this channel' })
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({ description: 'Only messages about this problem' })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'Id of the last message of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;
}
