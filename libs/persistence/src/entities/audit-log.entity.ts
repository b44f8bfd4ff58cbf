import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Admin actions: who did what to which department, user or token, and when. Append-only. */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_target', ['targetType', 'targetId'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId: string;

  @Column({ name: 'actor_name', type: 'varchar', length: 100 })
  actorName: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Column({ name: 'target_id', type: 'varchar', length: 36 })
  targetId: string;

  /** JSON of what changed (never a token). */
  @Column({ type: 'text' })
  details: string;

  @Column({ name: 'occurred_at', type: 'varchar', length: 30 })
  occurredAt: string;
}
