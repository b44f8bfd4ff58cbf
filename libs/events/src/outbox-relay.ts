import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock } from '#domain';
import { EventDeliveryMetrics } from './event-delivery.metrics.js';
import { EventIntake, type NewDelivery, OutboxStore } from './event-delivery.ports.js';
import { RELAY_BATCH_SIZE } from './event-delivery.options.js';
import type { OutboxEvent, WebhookSubscriptionRecord } from './event-delivery.records.js';

/** Does the subscription want this event? Empty `eventTypes` means all; `departmentId` filters by problem. */
export function subscriptionMatches(subscription: WebhookSubscriptionRecord, event: OutboxEvent): boolean {
  const typeWanted = subscription.eventTypes.length === 0 || subscription.eventTypes.includes(event.type);
  const departmentWanted = subscription.departmentId === null || subscription.departmentId === event.departmentId;
  return typeWanted && departmentWanted;
}

/**
 * Moves events from the outbox to their consumers, at least once. Per batch, in one transaction: emit each event
 * on the in-process bus (under its type, e.g. `problem.assigned`), enqueue one webhook delivery per matching
 * subscription, hand the events notifications are made of to their planner (EventIntake) and mark the events
 * published. A crash or rollback before the commit leaves the events
 * unpublished, so they are handed out again: consumers de-duplicate by event id.
 *
 * Live streams do not depend on it: they hear committed events through the ClusterBus (on PostgreSQL straight from
 * the commit, whichever process relays or none; on SQLite from this bus, each event once).
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);

  constructor(
    private readonly outbox: OutboxStore,
    private readonly bus: EventEmitter2,
    private readonly clock: Clock,
    @Optional() private readonly metrics?: EventDeliveryMetrics,
    @Optional() private readonly intake?: EventIntake,
  ) {}

  /** Relays every unpublished event, batch by batch; returns how many this call published. */
  async relayOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const events = await this.outbox.publishBatch(RELAY_BATCH_SIZE, this.clock.now().toISOString(), (batch, subscriptions) => {
        const deliveries: NewDelivery[] = [];
        const handedOver = this.intake ? batch.filter((event) => this.intake!.wants(event)) : [];
        for (const event of batch) {
          this.emit(event);
          for (const subscription of subscriptions) {
            // Disabled subscriptions are enqueued too: their backlog goes out once an admin re-enables them.
            if (subscriptionMatches(subscription, event)) deliveries.push({ subscriptionId: subscription.id, event });
          }
        }
        return { deliveries, handedOver };
      });
      total += events.length;
      if (events.length > 0) this.metrics?.eventsPublished(events.map((event) => event.type));
      if (events.length < RELAY_BATCH_SIZE) return total;
    }
  }

  private emit(event: OutboxEvent): void {
    try {
      this.bus.emit(event.type, event);
    } catch (error) {
      // A failing listener must not hold back webhooks or other listeners.
      this.logger.error(`Listener of ${event.type} ${event.id} failed: ${(error as Error).message}`);
    }
  }
}
