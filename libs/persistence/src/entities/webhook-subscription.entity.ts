import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A receiver of webhooks, managed by admins. */
@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  /** In the clear on purpose: HMAC signing needs the secret itself, not a hash of it. */
  @Column({ type: 'varchar', length: 100 })
  secret: string;

  /** JSON array of event types; empty: all. */
  @Column({ name: 'event_types', type: 'text' })
  eventTypes: string;

  @Column({ name: 'department_id', type: 'varchar', length: 36, nullable: true })
  departmentId: string | null;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures: number;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'disabled_at', type: 'varchar', length: 30, nullable: true })
  disabledAt: string | null;
}
