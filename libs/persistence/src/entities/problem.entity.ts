import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per problem: the queryable facts (denormalised from the machine context) plus the snapshot itself.
 * Timestamps are ISO-8601 UTC strings produced by Date#toISOString, so text order is time order on every
 * database.
 */
@Entity({ name: 'problems' })
@Index('ix_problems_department_state', ['departmentId', 'state', 'id'])
@Index('ix_problems_state', ['state', 'id', 'departmentId', 'filerDepartmentId'])
@Index('ix_problems_inspection', ['inspectionRef', 'id'])
@Index('ix_problems_filer', ['filedBy', 'inspectionRef'])
@Index('ix_problems_filer_department', ['filerDepartmentId', 'id'])
@Index('ix_problems_next_timer', ['nextTimerAt'])
@Index('ix_problems_place_closed', ['placeKey', 'closedAt'])
@Index('ix_problems_inspection_id', ['inspectionId', 'id'])
@Index('ix_problems_deadline_order', ['deadlineState', 'deadline', 'id', 'departmentId', 'filerDepartmentId'])
@Index('ix_problems_pending_request', ['pendingRequest', 'id'], { where: 'pending_request IS NOT NULL' })
export class ProblemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'varchar', length: 100 })
  category: string;

  @Column({ type: 'varchar', length: 16 })
  severity: string;

  @Column({ type: 'varchar', length: 200 })
  location: string;

  @Column({ name: 'inspection_ref', type: 'varchar', length: 100 })
  inspectionRef: string;

  /** The inspection (its id): what an inspector's read scope is made of. */
  @Column({ name: 'inspection_id', type: 'varchar', length: 36, nullable: true })
  inspectionId: string | null;

  @Column({ type: 'text' })
  requirement: string;

  @Column({ name: 'filed_by', type: 'varchar', length: 36 })
  filedBy: string;

  @Column({ name: 'filer_department_id', type: 'varchar', length: 36, nullable: true })
  filerDepartmentId: string | null;

  @Column({ type: 'varchar', length: 32 })
  state: string;

  @Column({ name: 'state_detail', type: 'varchar', length: 64 })
  stateDetail: string;

  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @Column({ name: 'responsible_person', type: 'varchar', length: 100, nullable: true })
  responsiblePerson: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  deadline: string | null;

  /** Null for rows written before the deadline region existed: read as `notSet`. */
  @Column({ name: 'deadline_state', type: 'varchar', length: 32, nullable: true })
  deadlineState: string | null;

  @Column({ name: 'escalation_level', type: 'integer', nullable: true })
  escalationLevel: number | null;

  /** The traffic light (green, yellow, red, black) under its deadline policy; null while none applies. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  light: string | null;

  /** The kind of request waiting for a supervisor's decision (extension, suspension), from the snapshot; null when none. */
  @Column({ name: 'pending_request', type: 'varchar', length: 16, nullable: true })
  pendingRequest: string | null;

  /** When the next timer falls due: what the scheduler's sweep looks up, by index. */
  @Column({ name: 'next_timer_at', type: 'varchar', length: 30, nullable: true })
  nextTimerAt: string | null;

  /** JSON of the planned timer (id, fire time, event). */
  @Column({ name: 'next_timer', type: 'text', nullable: true })
  nextTimer: string | null;

  /** A scheduler holding the timer until then; cleared by the commit that fires it. */
  @Column({ name: 'timer_lease_until', type: 'varchar', length: 30, nullable: true })
  timerLeaseUntil: string | null;

  @Column({ name: 'timer_lease_owner', type: 'varchar', length: 64, nullable: true })
  timerLeaseOwner: string | null;

  @Column({ name: 'rework_count', type: 'integer' })
  reworkCount: number;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'machine_id', type: 'varchar', length: 64 })
  machineId: string;

  @Column({ name: 'machine_version', type: 'varchar', length: 16 })
  machineVersion: string;

  /** JSON of the machine's state value and context (see StoredSnapshot). */
  @Column({ type: 'text' })
  snapshot: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string;

  @Column({ name: 'closed_at', type: 'varchar', length: 30, nullable: true })
  closedAt: string | null;

  /** The earlier problem this one repeats (屡查屡犯), if any. */
  @Column({ name: 'repeat_of', type: 'varchar', length: 36, nullable: true })
  repeatOf: string | null;

  /** Category and location, normalised: what repeats are matched on. */
  @Column({ name: 'place_key', type: 'varchar', length: 310, nullable: true })
  placeKey: string | null;

  /** The hash of the latest history row: the head of the problem's tamper-evident chain. */
  @Column({ name: 'history_hash', type: 'varchar', length: 64, nullable: true })
  historyHash: string | null;
}

/**
 * Columns written once, at filing. A transition leaves them out of its UPDATE, so the indexes over them (SQLite
 * rewrites the entries of every index on a column named in SET) are not touched per event.
 */
export const PROBLEM_FIXED_AT_FILING = [
  'id',
  'title',
  'description',
  'category',
  'severity',
  'location',
  'inspectionRef',
  'inspectionId',
  'requirement',
  'filedBy',
  'filerDepartmentId',
  'createdAt',
  'repeatOf',
  'placeKey',
] as const satisfies ReadonlyArray<keyof ProblemEntity>;
