/**
 * Settings of event delivery (EVENT_RELAY_INTERVAL_MS, WEBHOOK_MAX_FAILURES, WEBHOOK_TIMEOUT_MS, WEBHOOK_LEASE_MS,
 * WEBHOOK_CONCURRENCY, WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION, WEBHOOK_ALLOWED_TARGETS).
 */
export interface EventDeliveryOptions {
  /** How often the dispatcher relays the outbox and looks for due webhooks; 0: never (tests drive it by hand). */
  relayIntervalMs: number;
  /** Consecutive failed attempts after which a subscription is disabled. */
  webhookMaxFailures: number;
  /** How long one webhook POST may take (connecting, sending, and waiting for the answer's status). */
  webhookTimeoutMs: number;
  /**
   * How long a claimed delivery stays leased to its deliverer without a renewal. The deliverer renews the leases it
   * holds every third of it while their attempts run (and until their outcome is recorded), so a live deliverer keeps
   * them however slow the receiver; a dead one's come back to the others within it.
   */
  webhookLeaseMs: number;
  /** Webhook attempts in flight at once in one process, across all subscriptions. */
  webhookConcurrency: number;
  /** Webhook attempts in flight at once for one subscription in one process: a slow receiver holds no more. */
  webhookConcurrencyPerSubscription: number;
  /**
   * Addresses (`10.20.0.5`) and CIDR ranges (`10.20.0.0/16`, `fd00::/8`) webhooks may reach although they are
   * loopback, private, link-local or otherwise reserved; empty: only public addresses.
   */
  webhookAllowedTargets: string[];
  /**
   * How often each open event stream re-reads its token and recomputes its scope (EVENT_STREAM_RECHECK_MS):
   * what other servers sharing the database changed reaches this one's streams within it.
   */
  streamRecheckMs: number;
}

export const DEFAULT_EVENT_DELIVERY_OPTIONS: EventDeliveryOptions = {
  relayIntervalMs: 1000,
  webhookMaxFailures: 10,
  webhookTimeoutMs: 10_000,
  webhookLeaseMs: 30_000,
  webhookConcurrency: 32,
  webhookConcurrencyPerSubscription: 4,
  webhookAllowedTargets: [],
  streamRecheckMs: 30_000,
};

/** Injection token of the EventDeliveryOptions. */
export const EVENT_DELIVERY_OPTIONS = Symbol('EVENT_DELIVERY_OPTIONS');

/** Outbox events read (and published) per transaction. */
export const RELAY_BATCH_SIZE = 100;

/** First and longest wait between tries to record an attempt's outcome while the database is out of reach. */
export const RECORD_RETRY_FIRST_MS = 100;
export const RECORD_RETRY_MAX_MS = 5_000;

/** Retry delay after the n-th failed attempt (n ≥ 1): 30 s, 1 min, 2 min, … at most 1 h. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}
