/** An outbox row as the relay and the stream read it: `id` is the event's unique, time-ordered id (UUIDv7). */
export interface OutboxEvent {
  id: string;
  type: string;
  problemId: string;
  /** The problem's department after the event (null while unassigned). */
  departmentId: string | null;
  /** The JSON document delivered to listeners, webhooks and the stream, exactly as stored. */
  body: string;
  occurredAt: string;
}

export interface WebhookSubscriptionRecord {
  id: string;
  url: string;
  /** Kept in the clear: every delivery is signed with it. Never shown again after creation. */
  secret: string;
  /** Event types delivered; empty means every type. */
  eventTypes: string[];
  /** Only events of problems (now) assigned to this department, when set. */
  departmentId: string | null;
  active: boolean;
  consecutiveFailures: number;
  createdAt: string;
  disabledAt: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered';

export interface WebhookDeliveryRecord {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due (null once delivered). */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface WebhookAttemptRecord {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  /** The receiver's HTTP status, or null when no response came (then `error` says why). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  succeeded: boolean;
}

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface DueDelivery {
  delivery: WebhookDeliveryRecord;
  url: string;
  secret: string;
  body: string;
}

/** What an attempt changes: the delivery's next state, and the subscription's failure streak. */
export interface AttemptOutcome {
  attempt: WebhookAttemptRecord;
  delivery: Pick<WebhookDeliveryRecord, 'status' | 'attempts' | 'nextAttemptAt' | 'deliveredAt'>;
  /** Failure: add one to the streak and disable at `disableAfter`; success: reset it. */
  subscription: { id: string; succeeded: boolean; disableAfter: number; at: string };
}
