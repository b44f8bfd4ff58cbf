import { ApiProperty } from '@nestjs/swagger';
import type { DepartmentNode, DepartmentRecord } from '#identity';

/** A department as admins see it: a responsible department or a supervising office. */
export class DepartmentDto implements DepartmentRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The supervising department; null at the top of the tree' })
  parentId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The department head: first recipient of its escalations' })
  headUserId: string | null;

  @ApiProperty({ description: 'A deactivated department keeps its history but takes no new work' })
  active: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** A department with the departments it supervises. */
export class DepartmentNodeDto extends DepartmentDto implements DepartmentNode {
  @ApiProperty({ type: () => DepartmentNodeDto, isArray: true, description: 'Its sub-departments, by name, inactive ones included' })
  children: DepartmentNodeDto[];
}

/** GET /admin/departments. */
export class DepartmentTreeDto {
  @ApiProperty({ type: [DepartmentNodeDto], description: 'The top-level departments, by name' })
  items: DepartmentNodeDto[];
}
