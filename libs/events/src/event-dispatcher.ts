import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import { OutboxRelay } from './outbox-relay.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

/**
 * Runs the relay and the webhook deliverer every EVENT_RELAY_INTERVAL_MS inside the server (0: not at all).
 * Rounds never overlap; on shutdown the timer stops and the round in flight is awaited before the database
 * closes. Several servers on one PostgreSQL may all run it: claims skip rows another server holds.
 */
@Injectable()
export class EventDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventDispatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly deliverer: WebhookDeliverer,
    @Inject(EVENT_DELIVERY_OPTIONS) private readonly options: EventDeliveryOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.relayIntervalMs > 0) this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }

  /** One round: relay the outbox, then send the webhooks that are due. */
  async runOnce(): Promise<void> {
    try {
      await this.relay.relayOnce();
      await this.deliverer.deliverDue();
    } catch (error) {
      this.logger.error(`Event delivery round failed (retried next round): ${(error as Error).message}`);
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.round = this.runOnce().finally(() => {
        this.round = null;
        if (!this.stopped) this.schedule();
      });
    }, this.options.relayIntervalMs);
    this.timer.unref();
  }
}
