import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Append-only: one row per accepted event. (problem_id, version) is unique, so history can have no gap or twin. */
@Entity({ name: 'problem_history' })
@Index('ux_problem_history_problem_version', ['problemId', 'version'], { unique: true })
@Index('ix_problem_history_occurred', ['occurredAt'])
export class ProblemHistoryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType: string;

  /** JSON of the stamped event as the machine received it (FILE: the filing). */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId: string;

  @Column({ name: 'actor_name', type: 'varchar', length: 100 })
  actorName: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ name: 'from_state', type: 'varchar', length: 64, nullable: true })
  fromState: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 64 })
  toState: string;

  @Column({ name: 'occurred_at', type: 'varchar', length: 30 })
  occurredAt: string;

  /** The workflow version whose machine took the event: replay runs the row with it (workflows/rectification/replay.ts). */
  @Column({ name: 'machine_version', type: 'varchar', length: 16 })
  machineVersion: string;

  /** SHA-256 over this row's content and the previous row's hash (libs/domain history-chain.ts). */
  @Column({ type: 'varchar', length: 64, default: '' })
  hash: string;
}
