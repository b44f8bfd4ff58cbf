import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Every department a problem has been assigned to, so a department keeps seeing the problems it once had. */
@Entity({ name: 'problem_departments' })
@Index('ix_problem_departments_department', ['departmentId', 'problemId'])
export class ProblemDepartmentEntity {
  @PrimaryColumn({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @PrimaryColumn({ name: 'department_id', type: 'varchar', length: 36 })
  departmentId: string;

  @Column({ name: 'assigned_at', type: 'varchar', length: 30 })
  assignedAt: string;
}
