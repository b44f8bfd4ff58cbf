import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Clock, newId } from '../../domain/src/index.js';
import { WebhookStore } from './event-delivery.ports.js';
import { backoffMs, DELIVERY_BATCH_SIZE, EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import type { AttemptOutcome, DueDelivery } from './event-delivery.records.js';
import { EVENT_ID_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature.js';

/**
 * Sends due webhook deliveries: a signed JSON POST each; a 2xx answer delivers it, anything else (another
 * status, a timeout, a refused connection) schedules a retry with exponential backoff. Every attempt is logged.
 */
@Injectable()
export class WebhookDeliverer {
  constructor(
    private readonly webhooks: WebhookStore,
    private readonly clock: Clock,
    @Inject(EVENT_DELIVERY_OPTIONS) private readonly options: EventDeliveryOptions,
  ) {}

  /** Sends every delivery due now, once each; returns how many attempts were made. */
  async deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      // Leased a minute past the timeout: long enough that only a dead deliverer's claims run out.
      const leaseUntil = new Date(now.getTime() + this.options.webhookTimeoutMs + 60_000).toISOString();
      const due = await this.webhooks.claimDue(now.toISOString(), leaseUntil, DELIVERY_BATCH_SIZE);
      await Promise.all(due.map((claimed) => this.attempt(claimed)));
      total += due.length;
      if (due.length < DELIVERY_BATCH_SIZE) return total;
    }
  }

  private async attempt({ delivery, url, secret, body }: DueDelivery): Promise<void> {
    const sentAt = this.clock.now();
    const timestamp = String(Math.floor(sentAt.getTime() / 1000));
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'rectification-engine-webhooks',
          [EVENT_ID_HEADER]: delivery.eventId,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
        // A redirect is not followed: the signed body goes only to the URL the admin registered.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel();
    } catch (caught) {
      const cause = (caught as Error & { cause?: Error }).cause;
      error = `${(caught as Error).name}: ${(caught as Error).message}${cause ? ` (${cause.message})` : ''}`.slice(0, 500);
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
  }
}
