/** Settings of event delivery (see EVENT_RELAY_INTERVAL_MS, WEBHOOK_MAX_FAILURES, WEBHOOK_TIMEOUT_MS). */
export interface EventDeliveryOptions {
  /** How often the dispatcher relays the outbox and sends due webhooks; 0: never (tests drive it by hand). */
  relayIntervalMs: number;
  /** Consecutive failed attempts after which a subscription is disabled. */
  webhookMaxFailures: number;
  /** How long one webhook POST may take. */
  webhookTimeoutMs: number;
}

export const DEFAULT_EVENT_DELIVERY_OPTIONS: EventDeliveryOptions = {
  relayIntervalMs: 1000,
  webhookMaxFailures: 10,
  webhookTimeoutMs: 10_000,
};

/** Injection token of the EventDeliveryOptions. */
export const EVENT_DELIVERY_OPTIONS = Symbol('EVENT_DELIVERY_OPTIONS');

/** Outbox events read (and published) per transaction. */
export const RELAY_BATCH_SIZE = 100;
/** Webhook deliveries claimed per round. */
export const DELIVERY_BATCH_SIZE = 20;

/** Retry delay after the n-th failed attempt (n ≥ 1): 30 s, 1 min, 2 min, … at most 1 h. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}
