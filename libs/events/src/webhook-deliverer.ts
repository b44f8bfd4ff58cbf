import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { Clock, newId } from '#domain';
import { EventDeliveryMetrics } from './event-delivery.metrics.js';
import { WebhookStore } from './event-delivery.ports.js';
import { backoffMs, EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import type { AttemptOutcome, DueDelivery } from './event-delivery.records.js';
import { WebhookHostResolver } from './webhook-host.resolver.js';
import { guardedLookup, postWebhook, type WebhookConnection } from './webhook-request.js';
import { EVENT_ID_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature.js';
import { TargetNotAllowedError, WebhookTargetPolicy } from './webhook-target.policy.js';

/**
 * Sends due webhook deliveries: a signed JSON POST each; a 2xx answer delivers it, anything else (another status, a
 * redirect, a timeout, a refused connection or target) schedules a retry with exponential backoff. Every attempt is
 * logged.
 *
 * Attempts run on their own, apart from the relay: at most WEBHOOK_CONCURRENCY at once in this process and at most
 * WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION of one subscription, so a receiver that answers slowly (or never, until
 * WEBHOOK_TIMEOUT_MS) holds up only its own queue. Claims lease the rows, so other processes on the same
 * PostgreSQL take other deliveries.
 */
@Injectable()
export class WebhookDeliverer implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** Attempts in flight per subscription id. */
  private readonly busy = new Map<string, number>();
  private claiming: Promise<number> | null = null;
  private claimAgain = false;
  /** Set by the dispatcher: a finished attempt then looks for more work at once instead of waiting for a tick. */
  private continuous = false;
  private stopped = false;
  private readonly connection: WebhookConnection;

  constructor(
    private readonly webhooks: WebhookStore,
    private readonly clock: Clock,
    @Inject(EVENT_DELIVERY_OPTIONS) private readonly options: EventDeliveryOptions,
    policy: WebhookTargetPolicy,
    resolver: WebhookHostResolver,
    @Optional() private readonly metrics?: EventDeliveryMetrics,
  ) {
    this.connection = {
      policy,
      lookup: guardedLookup(resolver, policy),
      agents: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
    };
  }

  /** Background mode: each finished attempt starts what is due next. */
  runContinuously(): void {
    this.continuous = true;
  }

  /**
   * Claims as many due deliveries as there are free slots and starts them; resolves once they are started (not
   * sent) with how many. A call while a claim is running makes it look again once done, and shares its result.
   */
  startDue(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    if (this.claiming) {
      this.claimAgain = true;
      return this.claiming;
    }
    this.claiming = (async () => {
      let started = 0;
      try {
        do {
          this.claimAgain = false;
          started += await this.claimFreeSlots();
        } while (this.claimAgain && !this.stopped);
      } finally {
        this.claiming = null;
      }
      return started;
    })();
    return this.claiming;
  }

  /**
   * Sends every delivery due now, once each, and waits for all of them, also those already in flight (tests and
   * rounds by hand). Returns how many attempts this call started.
   */
  async deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      // Only a claim made with nothing in flight can tell that nothing is left: one made while an attempt was
      // running skipped that subscription, and the attempt may have ended during the claim.
      const inFlightBefore = this.inFlight.size;
      const started = await this.startDue();
      total += started;
      if (started === 0 && inFlightBefore === 0 && this.inFlight.size === 0) return total;
      await this.idle();
    }
  }

  /** Resolves once no attempt is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Claims no more, and waits for the attempts in flight (each bounded by WEBHOOK_TIMEOUT_MS). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.claiming?.catch(() => 0);
    await this.idle();
    this.connection.agents.http.destroy();
    this.connection.agents.https.destroy();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private async claimFreeSlots(): Promise<number> {
    let started = 0;
    while (!this.stopped) {
      const free = this.options.webhookConcurrency - this.inFlight.size;
      if (free <= 0) break;
      const now = this.clock.now();
      // Leased a minute past the timeout: long enough that only a dead deliverer's claims run out.
      const leaseUntil = new Date(now.getTime() + this.options.webhookTimeoutMs + 60_000).toISOString();
      const due = await this.webhooks.claimDue(now.toISOString(), leaseUntil, free, {
        perSubscription: this.options.webhookConcurrencyPerSubscription,
        busy: this.busy,
      });
      if (due.length === 0) break;
      for (const claimed of due) this.start(claimed);
      started += due.length;
    }
    return started;
  }

  private start(claimed: DueDelivery): void {
    const { subscriptionId } = claimed.delivery;
    this.busy.set(subscriptionId, (this.busy.get(subscriptionId) ?? 0) + 1);
    const attempt: Promise<void> = this.attempt(claimed)
      .catch((error: Error) => {
        this.logger.error(`Webhook delivery ${claimed.delivery.id}: recording the attempt failed (sent again once its lease runs out): ${error.message}`);
      })
      .finally(() => {
        this.inFlight.delete(attempt);
        const left = (this.busy.get(subscriptionId) ?? 1) - 1;
        if (left > 0) this.busy.set(subscriptionId, left);
        else this.busy.delete(subscriptionId);
        if (this.continuous && !this.stopped) {
          this.startDue().catch((error: Error) => this.logger.error(`Claiming due webhook deliveries failed (tried again next round): ${error.message}`));
        }
      });
    this.inFlight.add(attempt);
  }

  private async attempt({ delivery, url, secret, body }: DueDelivery): Promise<void> {
    const sentAt = this.clock.now();
    const timestamp = String(Math.floor(sentAt.getTime() / 1000));
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await postWebhook(
        {
          url,
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'rectification-engine-webhooks',
            [EVENT_ID_HEADER]: delivery.eventId,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          },
          body,
          timeoutMs: this.options.webhookTimeoutMs,
        },
        this.connection,
      );
    } catch (caught) {
      const failure = caught as Error & { code?: string };
      if (failure instanceof TargetNotAllowedError) {
        this.logger.warn(`Webhook delivery ${delivery.id} to subscription ${delivery.subscriptionId} refused: ${failure.message}`);
        error = failure.message;
      } else {
        // Node's socket errors name their code (ECONNRESET, ENOTFOUND) only in `code` for some messages.
        error = (failure.code && !failure.message.includes(failure.code) ? `${failure.code}: ${failure.message}` : failure.message).slice(0, 500);
      }
    }
    const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const at = this.clock.now();
    const attempts = delivery.attempts + 1;
    const outcome: AttemptOutcome = {
      attempt: {
        id: newId(at.getTime()),
        deliveryId: delivery.id,
        attemptedAt: sentAt.toISOString(),
        statusCode,
        error: error ?? (succeeded ? null : `HTTP ${statusCode}`),
        durationMs: Math.round(performance.now() - started),
        succeeded,
      },
      delivery: succeeded
        ? { status: 'delivered', attempts, nextAttemptAt: null, deliveredAt: at.toISOString() }
        : { status: 'pending', attempts, nextAttemptAt: new Date(at.getTime() + backoffMs(attempts)).toISOString(), deliveredAt: delivery.deliveredAt },
      subscription: { id: delivery.subscriptionId, succeeded, disableAfter: this.options.webhookMaxFailures, at: at.toISOString() },
    };
    await this.webhooks.recordAttempt(outcome);
    this.metrics?.webhookAttempted(succeeded ? 'delivered' : 'failed');
  }
}
