/** How a webhook attempt ended: a 2xx answer, or anything else (another status, a timeout, a refused target). */
export type WebhookAttemptOutcome = 'delivered' | 'failed';

/**
 * Port: what the relay and the webhook deliverer report for monitoring (bound by the server's metrics; the
 * worker and the CLI bind nothing, and nothing is counted). Called after the work is committed, so a rolled-back
 * batch is not counted.
 */
export abstract class EventDeliveryMetrics {
  /** Events the relay has just published, by type. */
  abstract eventsPublished(types: readonly string[]): void;
  abstract webhookAttempted(outcome: WebhookAttemptOutcome): void;
  /** Leases of deliveries in flight this process has just renewed. */
  abstract webhookLeasesRenewed(count: number): void;
  /** A delivery in flight whose lease this process lost (another deliverer may send it too). */
  abstract webhookLeaseLost(): void;
  /** A failed try to record an attempt's outcome (the database out of reach), tried again after a pause. */
  abstract webhookRecordRetried(): void;
}
