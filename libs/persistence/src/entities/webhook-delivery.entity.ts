import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One event owed to one subscription; unique per (subscription, event), so relaying twice enqueues once. */
@Entity({ name: 'webhook_deliveries' })
@Index('ux_webhook_deliveries_subscription_event', ['subscriptionId', 'eventId'], { unique: true })
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'])
export class WebhookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 36 })
  subscriptionId: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  /** `pending` or `delivered`. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'integer' })
  attempts: number;

  /** While pending: when the next attempt is due, or, while one runs, when its lease runs out. */
  @Column({ name: 'next_attempt_at', type: 'varchar', length: 30, nullable: true })
  nextAttemptAt: string | null;

  /** The claim that leased it, while an attempt runs (null otherwise): only that claim renews or records it. */
  @Column({ name: 'lease_token', type: 'varchar', length: 36, nullable: true })
  leaseToken: string | null;

  @Column({ name: 'delivered_at', type: 'varchar', length: 30, nullable: true })
  deliveredAt: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
