import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import { OutboxRelay } from './outbox-relay.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

/**
 * Runs event delivery inside the process every EVENT_RELAY_INTERVAL_MS (0: not at all), as two loops that never
 * wait for each other: the relay (outbox → in-process listeners and the live stream, and queued webhook
 * deliveries), and the webhook deliverer, which starts due attempts in its free slots and does not wait for them.
 * So a slow receiver delays neither the relay nor other subscriptions. Neither loop overlaps itself; on shutdown
 * the timers stop and what is in flight is awaited before the database closes. Several servers on one PostgreSQL
 * may all run it: claims skip rows another server holds.
 */
@Injectable()
export class EventDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventDispatcher.name);
  private relayTimer: NodeJS.Timeout | null = null;
  private deliveryTimer: NodeJS.Timeout | null = null;
  private relaying: Promise<void> | null = null;
  private claiming: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly deliverer: WebhookDeliverer,
    @Inject(EVENT_DELIVERY_OPTIONS) private readonly options: EventDeliveryOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.relayIntervalMs <= 0) return;
    this.deliverer.runContinuously();
    this.scheduleRelay();
    this.scheduleDelivery();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.relayTimer) clearTimeout(this.relayTimer);
    if (this.deliveryTimer) clearTimeout(this.deliveryTimer);
    await Promise.all([this.relaying, this.claiming]);
    await this.deliverer.stop();
  }

  /** One round by hand: relay the outbox, then start the webhook attempts that are due (not waiting for them). */
  async runOnce(): Promise<void> {
    await this.relayRound();
    await this.deliveryRound();
  }

  private async relayRound(): Promise<void> {
    try {
      // What was just queued goes out now rather than at the next delivery tick; the relay does not wait for it.
      if ((await this.relay.relayOnce()) > 0) void this.deliveryRound();
    } catch (error) {
      this.logger.error(`Relaying the outbox failed (retried next round): ${(error as Error).message}`);
    }
  }

  private async deliveryRound(): Promise<void> {
    try {
      await this.deliverer.startDue();
    } catch (error) {
      this.logger.error(`Claiming due webhook deliveries failed (retried next round): ${(error as Error).message}`);
    }
  }

  private scheduleRelay(): void {
    this.relayTimer = setTimeout(() => {
      this.relaying = this.relayRound().finally(() => {
        this.relaying = null;
        if (!this.stopped) this.scheduleRelay();
      });
    }, this.options.relayIntervalMs);
    this.relayTimer.unref();
  }

  private scheduleDelivery(): void {
    this.deliveryTimer = setTimeout(() => {
      this.claiming = this.deliveryRound().finally(() => {
        this.claiming = null;
        if (!this.stopped) this.scheduleDelivery();
      });
    }, this.options.relayIntervalMs);
    this.deliveryTimer.unref();
  }
}
