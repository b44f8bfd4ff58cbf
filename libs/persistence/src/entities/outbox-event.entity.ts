import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Domain events waiting to be delivered; written in the same transaction as the state change they report. */
@Entity({ name: 'outbox_events' })
@Index('ix_outbox_events_unpublished', ['publishedAt', 'id'])
export class OutboxEventEntity {
  /** Unique event id that consumers use to de-duplicate (delivery is at least once). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'problem_id', type: 'varchar', length: 36 })
  problemId: string;

  @Column({ name: 'problem_version', type: 'integer' })
  problemVersion: number;

  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'occurred_at', type: 'varchar', length: 30 })
  occurredAt: string;

  @Column({ name: 'published_at', type: 'varchar', length: 30, nullable: true })
  publishedAt: string | null;
}
