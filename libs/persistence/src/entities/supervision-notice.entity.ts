import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A supervision notice (督办单): an escalation addressed to a department and its head, until acknowledged. */
@Entity({ name: 'supervision_notices' })
@Index('ix_notices_department', ['recipientDepartmentId', 'id'])
@Index('ix_notices_problem', ['problemId'])
export class SupervisionNoticeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @Column({ name: 'problem_version', type: 'integer' })
  problemVersion: number;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'integer' })
  level: number;

  @Column({ name: 'recipient_department_id', type: 'varchar', length: 36 })
  recipientDepartmentId: string;

  @Column({ name: 'recipient_user_id', type: 'varchar', length: 36, nullable: true })
  recipientUserId: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'acknowledged_at', type: 'varchar', length: 30, nullable: true })
  acknowledgedAt: string | null;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 36, nullable: true })
  acknowledgedBy: string | null;
}
