import type { AuditRecord } from '#identity';
import type {
  AttemptOutcome,
  DueDelivery,
  OutboxEvent,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookSubscriptionRecord,
} from './event-delivery.records.js';

/** A webhook delivery to enqueue for an event; (subscriptionId, eventId) is unique. */
export interface NewDelivery {
  subscriptionId: string;
  event: OutboxEvent;
}

/** How many deliveries of one subscription a claim may take: its cap, and how many the claimer has in flight. */
export interface ClaimSlots {
  perSubscription: number;
  busy: ReadonlyMap<string, number>;
}

/**
 * A claim's lease on the deliveries it takes: they are due again at `until` (another deliverer may take them then)
 * unless renewed, and only the holder of `token`, one per claim, renews them or records their outcome.
 */
export interface WebhookLease {
  token: string;
  until: string;
}

/** A delivery a deliverer holds, under the token of the claim that took it. */
export interface HeldDelivery {
  deliveryId: string;
  token: string;
}

/** What the relay makes of a batch: webhook deliveries to enqueue, and events handed over to notification planning. */
export interface RelayedBatch {
  deliveries: NewDelivery[];
  handedOver: OutboxEvent[];
}

/**
 * Port: a consumer that takes events over in the relay's own transaction, so it sees each at least once (the
 * notification planner). `wants` is asked of every event relayed.
 */
export abstract class EventIntake {
  abstract wants(event: OutboxEvent): boolean;
}

/** Port: the outbox, as the relay and the live stream read it. */
export abstract class OutboxStore {
  /**
   * One transaction: claims up to `limit` unpublished events in id order (skipping rows another relay holds,
   * on PostgreSQL), calls `handle` with them and every webhook subscription, inserts the deliveries it returns
   * and the hand-overs to notification planning (ignoring ones that already exist) and marks the events
   * published at `at`. Returns the events.
   */
  abstract publishBatch(
    limit: number,
    at: string,
    handle: (events: OutboxEvent[], subscriptions: WebhookSubscriptionRecord[]) => RelayedBatch,
  ): Promise<OutboxEvent[]>;

  /** Events (published or not) with an id after `afterId`, in id order. */
  abstract eventsAfter(afterId: string, limit: number): Promise<OutboxEvent[]>;
}

/** Port: webhook subscriptions, their deliveries and the attempts log. Admin changes carry their audit entry. */
export abstract class WebhookStore {
  abstract insertSubscription(subscription: WebhookSubscriptionRecord, audit: AuditRecord): Promise<void>;
  abstract listSubscriptions(): Promise<WebhookSubscriptionRecord[]>;
  abstract findSubscription(id: string): Promise<WebhookSubscriptionRecord | null>;
  /** Enabling resets the failure streak and makes its pending deliveries due at `at`. */
  abstract setSubscriptionActive(id: string, active: boolean, at: string, audit: AuditRecord): Promise<void>;

  /** Newest first. */
  abstract listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDeliveryRecord[]>;
  abstract findDelivery(id: string): Promise<WebhookDeliveryRecord | null>;
  /** Oldest first. */
  abstract listAttempts(deliveryId: string): Promise<WebhookAttemptRecord[]>;
  /** Makes the delivery pending and due at `at` (a delivered one is sent again). */
  abstract requestRedelivery(id: string, at: string, audit: AuditRecord): Promise<void>;

  /**
   * Claims up to `limit` pending deliveries due at `now` of active subscriptions, oldest due first, leasing them to
   * `lease.token` until `lease.until` (their next attempt is pushed there) so no other deliverer takes them meanwhile;
   * if this process dies, they are retried then. Of one subscription it claims no more than `slots.perSubscription`
   * less what `slots.busy` says this deliverer already has in flight for it, so a slow subscription's backlog cannot
   * fill the claim.
   */
  abstract claimDue(now: string, lease: WebhookLease, limit: number, slots: ClaimSlots): Promise<DueDelivery[]>;
  /**
   * Pushes the lease of each of `held` still pending under its token to `until`, in one statement, and answers those
   * it extended. One whose token is gone (claimed again after its lease ran out, recorded, or sent again by an admin)
   * is left as it is: a renewal never takes a delivery back.
   */
  abstract renewLeases(held: readonly HeldDelivery[], until: string): Promise<HeldDelivery[]>;
  /**
   * One transaction: the attempt row, the delivery's new state (only while `token` still holds its lease, which it
   * releases) and the subscription's failure streak. Answers whether the delivery's state was written: false when
   * its lease was lost, and only the attempt was logged. Recording an attempt already recorded (its COMMIT's answer
   * was lost) changes nothing and answers true.
   */
  abstract recordAttempt(outcome: AttemptOutcome, token: string): Promise<boolean>;
  /** Whether `error`, thrown by this store, says the database is out of reach for now (so trying again may work). */
  abstract isTransient(error: unknown): boolean;
}
