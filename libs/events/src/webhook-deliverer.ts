import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { Clock, newId } from '#domain';
import { EventDeliveryMetrics } from './event-delivery.metrics.js';
import { type HeldDelivery, WebhookStore } from './event-delivery.ports.js';
import {
  backoffMs,
  EVENT_DELIVERY_OPTIONS,
  type EventDeliveryOptions,
  RECORD_RETRY_FIRST_MS,
  RECORD_RETRY_MAX_MS,
} from './event-delivery.options.js';
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
 * WEBHOOK_TIMEOUT_MS) holds up only its own queue. Claims lease the rows (WEBHOOK_LEASE_MS), so other processes on
 * the same PostgreSQL take other deliveries.
 *
 * Delivery is at least once, and sending one twice is the exception: while an attempt runs, and until its outcome
 * is recorded, its lease is renewed every third of WEBHOOK_LEASE_MS (one statement a round for all this process
 * holds), so a slow receiver never lets another deliverer take it; only a dead (or cut-off) deliverer's leases run
 * out. A renewal extends only the claim this deliverer made: one taken meanwhile is logged as lost, not taken back.
 * Recording an outcome that meets the database out of reach is tried again with backoff until it is stored; only a
 * shutdown gives up on it (the lease then runs out and the delivery is sent again).
 */
@Injectable()
export class WebhookDeliverer implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** The leases of the attempts in flight, renewed while they run. */
  private readonly held = new Set<Lease>();
  private renewalTimer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  /** Pauses between tries to record an outcome, cut short by stop(). */
  private readonly pauses = new Set<() => void>();
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

  /**
   * Claims no more, and waits for the attempts in flight (each bounded by WEBHOOK_TIMEOUT_MS, their leases renewed
   * meanwhile); an outcome that could not be recorded for the database being out of reach is given up.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.pauses) wake();
    await this.claiming?.catch(() => 0);
    await this.idle();
    this.stopRenewing();
    await this.renewing;
    this.connection.agents.http.destroy();
    this.connection.agents.https.destroy();
  }

  /**
   * One renewal round: every lease held is pushed to now + WEBHOOK_LEASE_MS in one statement. Runs every third of
   * the lease while any attempt is in flight; exposed so tests can run a round at a moment of their choosing.
   */
  async renewLeases(): Promise<void> {
    if (this.renewing) return this.renewing;
    const leases = [...this.held].filter((lease) => !lease.lost);
    if (leases.length === 0) return;
    this.renewing = (async () => {
      const until = new Date(this.clock.now().getTime() + this.options.webhookLeaseMs).toISOString();
      let renewed: HeldDelivery[];
      try {
        renewed = await this.webhooks.renewLeases(
          leases.map(({ deliveryId, token }) => ({ deliveryId, token })),
          until,
        );
      } catch (error) {
        // The next round tries again; a lease that runs out meanwhile is still this deliverer's unless another took it.
        this.logger.warn(`Renewing the leases of ${leases.length} webhook deliveries in flight failed (tried again in ${this.renewalEveryMs()} ms): ${(error as Error).message}`);
        return;
      }
      this.metrics?.webhookLeasesRenewed(renewed.length);
      const kept = new Set(renewed.map((lease) => leaseKey(lease)));
      for (const lease of leases) {
        if (kept.has(leaseKey(lease)) || !this.held.has(lease)) continue;
        // While its outcome is being recorded, a lease gone may be that very record releasing it: the record says.
        if (!lease.recording) this.leaseLost(lease);
      }
    })().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
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
      // A token per claim: a renewal or a record by this claim cannot touch a later claim of the same delivery.
      const lease = { token: newId(now.getTime()), until: new Date(now.getTime() + this.options.webhookLeaseMs).toISOString() };
      const due = await this.webhooks.claimDue(now.toISOString(), lease, free, {
        perSubscription: this.options.webhookConcurrencyPerSubscription,
        busy: this.busy,
      });
      if (due.length === 0) break;
      for (const claimed of due) this.start(claimed, lease.token);
      started += due.length;
    }
    return started;
  }

  private start(claimed: DueDelivery, token: string): void {
    const { subscriptionId } = claimed.delivery;
    this.busy.set(subscriptionId, (this.busy.get(subscriptionId) ?? 0) + 1);
    const lease: Lease = { deliveryId: claimed.delivery.id, token, lost: false, recording: false };
    this.hold(lease);
    const attempt: Promise<void> = this.attempt(claimed, lease)
      .catch((error: Error) => {
        this.logger.error(`Webhook delivery ${claimed.delivery.id}: recording the attempt failed (sent again once its lease runs out): ${error.message}`);
      })
      .finally(() => {
        this.release(lease);
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

  private async attempt({ delivery, url, secret, body }: DueDelivery, lease: Lease): Promise<void> {
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
    if (await this.record(outcome, lease)) this.metrics?.webhookAttempted(succeeded ? 'delivered' : 'failed');
  }

  /**
   * Records the outcome, trying again with backoff (the lease renewed meanwhile) while the database is out of reach,
   * until it is stored or the deliverer stops. Answers whether it was stored; any other error is thrown.
   */
  private async record(outcome: AttemptOutcome, lease: Lease): Promise<boolean> {
    const { deliveryId } = outcome.attempt;
    lease.recording = true;
    let failures = 0;
    for (let wait = RECORD_RETRY_FIRST_MS; ; wait = Math.min(2 * wait, RECORD_RETRY_MAX_MS)) {
      let held: boolean;
      try {
        held = await this.webhooks.recordAttempt(outcome, lease.token);
      } catch (error) {
        if (!this.webhooks.isTransient(error)) throw error;
        const reason = (error as Error).message;
        if (this.stopped) {
          this.logger.error(`Webhook delivery ${deliveryId}: giving up recording its attempt on shutdown, the database out of reach (sent again once its lease runs out): ${reason}`);
          return false;
        }
        failures += 1;
        this.metrics?.webhookRecordRetried();
        // Logged once: a long outage would otherwise log every try of every attempt in flight.
        if (failures === 1) this.logger.warn(`Webhook delivery ${deliveryId}: recording its attempt failed, the database out of reach (tried again with backoff, its lease kept): ${reason}`);
        await this.pause(wait * (0.5 + Math.random() / 2));
        continue;
      }
      lease.recording = false;
      if (failures > 0) this.logger.log(`Webhook delivery ${deliveryId}: attempt recorded after ${failures + 1} tries`);
      if (!held) this.leaseLost(lease);
      return true;
    }
  }

  private leaseLost(lease: Lease): void {
    if (lease.lost) return;
    lease.lost = true;
    this.metrics?.webhookLeaseLost();
    this.logger.warn(
      `Webhook delivery ${lease.deliveryId}: its lease was lost while its attempt ran (claimed again after it ran out, or an admin asked for it ` +
        'again): another deliverer may send it too; receivers de-duplicate by X-Rectification-Event-Id',
    );
  }

  private hold(lease: Lease): void {
    this.held.add(lease);
    if (this.renewalTimer) return;
    this.renewalTimer = setInterval(() => void this.renewLeases(), this.renewalEveryMs());
    this.renewalTimer.unref();
  }

  private release(lease: Lease): void {
    this.held.delete(lease);
    if (this.held.size === 0) this.stopRenewing();
  }

  private stopRenewing(): void {
    if (this.renewalTimer) clearInterval(this.renewalTimer);
    this.renewalTimer = null;
  }

  private renewalEveryMs(): number {
    return Math.max(1, Math.floor(this.options.webhookLeaseMs / 3));
  }

  /** Waits `ms`, or less if the deliverer stops meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pauses.add(wake);
    });
  }
}

/** An attempt's lease, as this deliverer holds it. */
interface Lease extends HeldDelivery {
  /** Taken by another claim (or released by an admin's redelivery): no longer renewed, logged once. */
  lost: boolean;
  /** Its outcome is being recorded. */
  recording: boolean;
}

const leaseKey = ({ deliveryId, token }: HeldDelivery) => `${token} ${deliveryId}`;
