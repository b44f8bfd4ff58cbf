import { ApiProperty } from '@nestjs/swagger';
import type { AuditRecord } from '#identity';

/**
 * What an audit row is about. AuditRecord['targetType'] plus `inspection`: inspection changes go into the same log
 * (TypeOrmInspectionRepository), and GET /admin/audit lists them too.
 */
export const AUDIT_TARGET_TYPES = ['department', 'user', 'token', 'webhook', 'calendar', 'notification', 'inspection'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** One admin action (or change of an inspection), recorded in the same transaction as the change. */
export class AuditEntryDto implements Omit<AuditRecord, 'targetType'> {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'User id of who did it' })
  actorId: string;

  @ApiProperty({ description: 'Their name at the time' })
  actorName: string;

  @ApiProperty({ description: 'What was done, `<target>.<verb>`', example: 'user.created' })
  action: string;

  @ApiProperty({ enum: AUDIT_TARGET_TYPES })
  targetType: AuditTargetType;

  @ApiProperty({ description: 'The id of what it was done to; `<calendar id>@<version>` for the calendar, `routing` for the notification routing' })
  targetId: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed, as the action records it (never a token or secret)' })
  details: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' })
  items: AuditEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last one' })
  nextCursor: string | null;
}
