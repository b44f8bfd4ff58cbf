import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { type Role, ROLES } from '#domain';
import type { NoticeView } from '#engine';
import type { ProblemScope } from '#access';
import { RECTIFICATION_EVENT_TYPES, type RectificationEventType, type Relation, RELATIONS } from '#rectification';

export class MeUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;
}

export class MeDepartmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The supervising department' })
  parentId: string | null;
}

export class EventPermissionDto {
  @ApiProperty({ enum: RECTIFICATION_EVENT_TYPES })
  event: RectificationEventType;

  @ApiProperty({ enum: RELATIONS, description: 'On which problems: any, those I filed, my department’s, those I supervise' })
  when: Relation;
}

export class MayDto {
  @ApiProperty()
  fileProblems: boolean;

  @ApiProperty()
  administer: boolean;

  @ApiProperty({ type: [EventPermissionDto] })
  events: EventPermissionDto[];
}

export class EverythingScopeDto {
  @ApiProperty({ enum: ['everything'] })
  kind: 'everything';
}

export class InspectorScopeDto {
  @ApiProperty({ enum: ['inspector'], description: 'The problems of inspections I file under' })
  kind: 'inspector';

  @ApiProperty({ format: 'uuid' })
  userId: string;
}

export class DepartmentsScopeDto {
  @ApiProperty({ enum: ['departments'] })
  kind: 'departments';

  @ApiProperty({ type: String, format: 'uuid', isArray: true })
  departmentIds: string[];
}

/** GET /me. */
@ApiExtraModels(EverythingScopeDto, InspectorScopeDto, DepartmentsScopeDto)
export class MeDto {
  @ApiProperty({ type: () => MeUserDto })
  user: MeUserDto;

  @ApiProperty({ type: () => MeDepartmentDto, nullable: true })
  department: MeDepartmentDto | null;

  @ApiProperty({ type: () => MayDto })
  may: MayDto;

  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(EverythingScopeDto) }, { $ref: getSchemaPath(InspectorScopeDto) }, { $ref: getSchemaPath(DepartmentsScopeDto) }],
    discriminator: {
      propertyName: 'kind',
      mapping: { everything: getSchemaPath(EverythingScopeDto), inspector: getSchemaPath(InspectorScopeDto), departments: getSchemaPath(DepartmentsScopeDto) },
    },
    description: 'The problems I can see',
  })
  scope: ProblemScope;
}

/** A supervision notice (督办单). */
export class NoticeDto implements NoticeView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  problemId: string;

  @ApiProperty({ description: 'The title of the problem it is about' })
  problemTitle: string;

  @ApiProperty({ type: 'integer', description: 'The problem version (history row) that raised it' })
  problemVersion: number;

  @ApiProperty({ enum: ['escalation', 'verification'] })
  kind: 'escalation' | 'verification';

  @ApiProperty({ type: 'integer' })
  level: number;

  @ApiProperty({ format: 'uuid' })
  recipientDepartmentId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  recipientUserId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  acknowledgedBy: string | null;
}

export class NoticeListDto {
  @ApiProperty({ type: [NoticeDto], description: 'Unacknowledged first, newest first within each (at most 200)' })
  items: NoticeDto[];
}

export class DirectoryDepartmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The supervising department' })
  parentId: string | null;

  @ApiProperty()
  active: boolean;
}

/** GET /departments. */
export class DepartmentDirectoryDto {
  @ApiProperty({ type: [DirectoryDepartmentDto], description: 'By name' })
  items: DirectoryDepartmentDto[];
}
