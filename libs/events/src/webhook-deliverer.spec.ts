import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { FakeClock } from '#domain';
import type { AuditRecord } from '#identity';
import { EventDeliveryMetrics } from './event-delivery.metrics.js';
import { DEFAULT_EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import { type ClaimSlots, type HeldDelivery, type WebhookLease, WebhookStore } from './event-delivery.ports.js';
import type { AttemptOutcome, DueDelivery, WebhookAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord } from './event-delivery.records.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { type ResolvedAddress, WebhookHostResolver } from './webhook-host.resolver.js';
import { WebhookTargetPolicy } from './webhook-target.policy.js';
import { HoldingReceiver as Receiver } from '#test/support/holding-receiver.js';

/** What the database would say when it cannot be reached (the store's isTransient knows it). */
class OutOfReach extends Error {}

interface Row {
  due: DueDelivery;
  status: 'pending' | 'delivered';
  attempts: number;
  nextAttemptAt: string | null;
  leaseToken: string | null;
}

/** The deliveries table as the real store keeps it, in memory, with failures to order. */
class FakeWebhookStore extends WebhookStore {
  readonly rows = new Map<string, Row>();
  /** Every renewal round: what it was asked to renew, and until when. */
  readonly renewals: Array<{ held: HeldDelivery[]; until: string }> = [];
  /** Every call to recordAttempt, failed ones included. */
  readonly recordCalls: Array<{ outcome: AttemptOutcome; token: string }> = [];
  readonly attempts: WebhookAttemptRecord[] = [];
  /** How many of the next recordAttempt calls fail as the database out of reach (Infinity: all). */
  failRecords = 0;
  /** Fail as the database out of reach, but only after committing (a COMMIT whose answer was lost). */
  commitThenFail = false;
  /** The next recordAttempt fails with this (not transient). */
  recordError: Error | null = null;
  /** Called at each failed record, before it throws (the test's moment "while the database is away"). */
  onRecordFailure: (tries: number) => Promise<void> = async () => undefined;

  add(id: string, url: string, nextAttemptAt: string): void {
    const delivery: WebhookDeliveryRecord = {
      id,
      subscriptionId: `sub-${id}`,
      eventId: `event-${id}`,
      eventType: 'problem.assigned',
      status: 'pending',
      attempts: 0,
      nextAttemptAt,
      deliveredAt: null,
      createdAt: nextAttemptAt,
    };
    this.rows.set(id, { due: { delivery, url, secret: 'whsec_test', body: JSON.stringify({ id: `event-${id}` }) }, status: 'pending', attempts: 0, nextAttemptAt, leaseToken: null });
  }

  /** Another deliverer's claim of `id` (after its lease ran out, say). */
  takeOver(id: string, lease: WebhookLease): void {
    Object.assign(this.rows.get(id)!, { leaseToken: lease.token, nextAttemptAt: lease.until });
  }

  async claimDue(now: string, lease: WebhookLease, limit: number, _slots: ClaimSlots): Promise<DueDelivery[]> {
    const due = [...this.rows.values()].filter((row) => row.status === 'pending' && row.nextAttemptAt !== null && row.nextAttemptAt <= now).slice(0, limit);
    for (const row of due) Object.assign(row, { leaseToken: lease.token, nextAttemptAt: lease.until });
    return due.map((row) => row.due);
  }

  async renewLeases(held: readonly HeldDelivery[], until: string): Promise<HeldDelivery[]> {
    this.renewals.push({ held: [...held], until });
    const renewed = held.filter(({ deliveryId, token }) => {
      const row = this.rows.get(deliveryId);
      return row?.status === 'pending' && row.leaseToken === token;
    });
    for (const { deliveryId } of renewed) this.rows.get(deliveryId)!.nextAttemptAt = until;
    return renewed;
  }

  async recordAttempt(outcome: AttemptOutcome, token: string): Promise<boolean> {
    this.recordCalls.push({ outcome, token });
    if (this.recordError) throw this.recordError;
    if (this.failRecords > 0 && !this.commitThenFail) {
      this.failRecords -= 1;
      await this.onRecordFailure(this.recordCalls.length);
      throw new OutOfReach('connect ECONNREFUSED 127.0.0.1:5432');
    }
    if (this.attempts.some((attempt) => attempt.id === outcome.attempt.id)) return true;
    this.attempts.push(outcome.attempt);
    const row = this.rows.get(outcome.attempt.deliveryId)!;
    const held = row.leaseToken === token;
    if (held) Object.assign(row, { ...outcome.delivery, leaseToken: null });
    if (this.failRecords > 0) {
      this.failRecords -= 1;
      await this.onRecordFailure(this.recordCalls.length);
      throw new OutOfReach('Connection terminated unexpectedly');
    }
    return held;
  }

  isTransient(error: unknown): boolean {
    return error instanceof OutOfReach;
  }

  insertSubscription(_subscription: WebhookSubscriptionRecord, _audit: AuditRecord): Promise<void> {
    throw new Error('not used');
  }
  listSubscriptions(): Promise<WebhookSubscriptionRecord[]> {
    throw new Error('not used');
  }
  findSubscription(_id: string): Promise<WebhookSubscriptionRecord | null> {
    throw new Error('not used');
  }
  setSubscriptionActive(_id: string, _active: boolean, _at: string, _audit: AuditRecord): Promise<void> {
    throw new Error('not used');
  }
  listDeliveries(_subscriptionId: string, _limit: number): Promise<WebhookDeliveryRecord[]> {
    throw new Error('not used');
  }
  findDelivery(_id: string): Promise<WebhookDeliveryRecord | null> {
    throw new Error('not used');
  }
  listAttempts(_deliveryId: string): Promise<WebhookAttemptRecord[]> {
    throw new Error('not used');
  }
  requestRedelivery(_id: string, _at: string, _audit: AuditRecord): Promise<void> {
    throw new Error('not used');
  }
}

class CountingMetrics extends EventDeliveryMetrics {
  renewed = 0;
  lost = 0;
  retried = 0;
  readonly attempted: string[] = [];
  eventsPublished(): void {}
  webhookAttempted(outcome: string): void {
    this.attempted.push(outcome);
  }
  webhookLeasesRenewed(count: number): void {
    this.renewed += count;
  }
  webhookLeaseLost(): void {
    this.lost += 1;
  }
  webhookRecordRetried(): void {
    this.retried += 1;
  }
}

class LoopbackResolver extends WebhookHostResolver {
  async resolve(): Promise<ResolvedAddress[]> {
    return [{ address: '127.0.0.1', family: 4 }];
  }
}

/** Polls `check` until it holds: the test's timeout is the only limit, no timing is asserted. */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const T0 = '2026-03-02T01:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

describe(WebhookDeliverer.name, () => {
  const receiver = new Receiver();
  let clock: FakeClock;
  let store: FakeWebhookStore;
  let metrics: CountingMetrics;
  let deliverer: WebhookDeliverer;
  const logged = { warn: [] as string[], error: [] as string[] };

  beforeAll(async () => {
    await receiver.start();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message) => void logged.warn.push(String(message)));
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message) => void logged.error.push(String(message)));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await receiver.stop();
  });

  /** A lease of a minute by default: renewal rounds are run by hand, the timer (every 20 s) never comes. */
  function open(options: Partial<EventDeliveryOptions> = {}): void {
    deliverer = new WebhookDeliverer(
      store,
      clock,
      { ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0, webhookLeaseMs: 60_000, webhookTimeoutMs: 10_000, ...options },
      new WebhookTargetPolicy(['127.0.0.1/32']),
      new LoopbackResolver(),
      metrics,
    );
  }

  beforeEach(() => {
    clock = new FakeClock(new Date(T0));
    store = new FakeWebhookStore();
    metrics = new CountingMetrics();
    receiver.eventIds.length = 0;
    logged.warn.length = 0;
    logged.error.length = 0;
    open();
  });
  afterEach(async () => {
    receiver.release();
    await deliverer.stop();
  });

  it('keeps the claim of a delivery whose receiver takes longer than the base lease, renewing it, and sends it once', async () => {
    // given a due delivery whose receiver holds the request
    store.add('d1', receiver.url(), T0);
    receiver.held = true;

    // when it is claimed and sent
    expect(await deliverer.startDue()).toBe(1);
    await eventually(() => receiver.eventIds.length === 1);
    const claim = store.rows.get('d1')!.leaseToken;
    expect(claim).not.toBeNull();
    expect(store.rows.get('d1')!.nextAttemptAt).toBe(at(60_000));

    // and time passes beyond the base lease, renewal rounds running
    clock.advance(50_000);
    await deliverer.renewLeases();
    clock.advance(50_000);
    await deliverer.renewLeases();

    // then the lease runs from the last renewal, under the same claim
    expect(store.rows.get('d1')).toMatchObject({ leaseToken: claim, nextAttemptAt: at(160_000) });
    expect(store.renewals.map((round) => round.until)).toEqual([at(110_000), at(160_000)]);
    expect(store.renewals.every((round) => round.held.length === 1 && round.held[0].token === claim)).toBe(true);
    // so another deliverer looking now, 100 s after the claim, finds nothing due
    expect(await store.claimDue(clock.now().toISOString(), { token: 'other', until: at(200_000) }, 10, { perSubscription: 4, busy: new Map() })).toEqual([]);

    // when the receiver answers at last
    receiver.release();
    await deliverer.idle();

    // then it was delivered once, the lease released, two renewals and no loss counted
    expect(receiver.eventIds).toEqual(['event-d1']);
    expect(store.rows.get('d1')).toMatchObject({ status: 'delivered', attempts: 1, nextAttemptAt: null, leaseToken: null });
    expect(metrics).toMatchObject({ renewed: 2, lost: 0, retried: 0, attempted: ['delivered'] });
  });

  it('renews by itself every third of the lease, every delivery it holds in one round, and stops once none is held', async () => {
    // given a short lease and three due deliveries whose receiver holds them
    open({ webhookLeaseMs: 150 });
    for (const id of ['d1', 'd2', 'd3']) store.add(id, receiver.url(), T0);
    receiver.held = true;

    // when they are sent, and a few renewal periods pass
    expect(await deliverer.startDue()).toBe(3);
    await eventually(() => store.renewals.length >= 3);

    // then each round renewed all three at once
    for (const round of store.renewals) expect(round.held.map((lease) => lease.deliveryId).sort()).toEqual(['d1', 'd2', 'd3']);

    // when they are answered
    receiver.release();
    await deliverer.idle();
    const rounds = store.renewals.length;

    // then no more rounds run (three periods later)
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(store.renewals).toHaveLength(rounds);
    expect([...store.rows.values()].every((row) => row.status === 'delivered' && row.leaseToken === null)).toBe(true);
  });

  it('records the outcome after the database comes back, the same attempt once, its lease renewed meanwhile', async () => {
    // given a due delivery, and a database that refuses the first three records; during the second, a renewal round
    store.add('d1', receiver.url(), T0);
    store.failRecords = 3;
    store.onRecordFailure = async (tries) => {
      if (tries !== 2) return;
      clock.advance(40_000);
      await deliverer.renewLeases();
    };

    // when it is sent
    expect(await deliverer.startDue()).toBe(1);
    await deliverer.idle();

    // then the fourth try recorded it: one attempt, delivered, the same outcome every time
    expect(store.recordCalls).toHaveLength(4);
    expect(new Set(store.recordCalls.map((call) => call.outcome.attempt.id)).size).toBe(1);
    expect(store.attempts).toHaveLength(1);
    expect(store.rows.get('d1')).toMatchObject({ status: 'delivered', attempts: 1, leaseToken: null });
    // and the lease was renewed while it waited
    expect(store.renewals).toEqual([{ held: [{ deliveryId: 'd1', token: store.recordCalls[0].token }], until: at(100_000) }]);
    expect(metrics).toMatchObject({ renewed: 1, lost: 0, retried: 3, attempted: ['delivered'] });
    expect(receiver.eventIds).toEqual(['event-d1']);
  });

  it('takes a record whose COMMIT went unanswered, and the lease it released meanwhile, as recorded, not as a lost lease', async () => {
    // given a database that stores the first record but loses its answer; a renewal round runs before the retry
    store.add('d1', receiver.url(), T0);
    store.failRecords = 1;
    store.commitThenFail = true;
    store.onRecordFailure = () => deliverer.renewLeases();

    // when it is sent
    await deliverer.startDue();
    await deliverer.idle();

    // then the retry found the attempt stored: nothing twice, no lease counted lost
    expect(store.recordCalls).toHaveLength(2);
    expect(store.attempts).toHaveLength(1);
    expect(store.renewals).toHaveLength(1);
    expect(metrics).toMatchObject({ renewed: 0, lost: 0, retried: 1, attempted: ['delivered'] });
    expect(logged.warn.filter((line) => /lease was lost/.test(line))).toEqual([]);
  });

  it('does not retry an error that is not the database being out of reach', async () => {
    // given a record that fails for another reason
    store.add('d1', receiver.url(), T0);
    store.recordError = new Error('null value in column "status_code" violates not-null constraint');

    // when it is sent
    await deliverer.startDue();
    await deliverer.idle();

    // then it was tried once, not counted, and its lease is no longer renewed (it runs out: sent again then)
    expect(store.recordCalls).toHaveLength(1);
    expect(metrics).toMatchObject({ retried: 0, attempted: [] });
    expect(logged.error).toEqual([expect.stringMatching(/recording the attempt failed \(sent again once its lease runs out\): null value/)]);
    await deliverer.renewLeases();
    expect(store.renewals).toEqual([]);
  });

  it('gives the record up when it stops while the database is out of reach', async () => {
    // given a database that never comes back
    store.add('d1', receiver.url(), T0);
    store.failRecords = Infinity;

    // when the attempt has been made and its record tried, and the deliverer stops
    await deliverer.startDue();
    await eventually(() => store.recordCalls.length >= 2);
    await deliverer.stop();
    const tries = store.recordCalls.length;

    // then it stopped trying, recorded nothing, and its lease is left to run out
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.recordCalls).toHaveLength(tries);
    expect(store.attempts).toEqual([]);
    expect(store.rows.get('d1')).toMatchObject({ status: 'pending', nextAttemptAt: at(60_000) });
    expect(metrics.attempted).toEqual([]);
    // (the try the stop woke up is the last, given up rather than retried)
    expect(metrics.retried).toBe(tries - 1);
    expect(logged.error).toEqual([expect.stringMatching(/^Webhook delivery d1: giving up recording its attempt on shutdown/)]);
  });

  it('does not take back a lease another claim took, counts it lost once, and leaves that claim its delivery', async () => {
    // given a delivery in flight, and another deliverer claiming it after its lease ran out
    store.add('d1', receiver.url(), T0);
    receiver.held = true;
    await deliverer.startDue();
    await eventually(() => receiver.eventIds.length === 1);
    clock.advance(61_000);
    store.takeOver('d1', { token: 'other-claim', until: at(121_000) });

    // when renewal rounds run
    await deliverer.renewLeases();
    await deliverer.renewLeases();

    // then the first found it gone and left it as it is; the second no longer asked for it
    expect(store.renewals).toHaveLength(1);
    expect(store.rows.get('d1')).toMatchObject({ leaseToken: 'other-claim', nextAttemptAt: at(121_000) });
    expect(metrics).toMatchObject({ renewed: 0, lost: 1 });
    expect(logged.warn).toEqual([expect.stringMatching(/^Webhook delivery d1: its lease was lost while its attempt ran/)]);

    // when the receiver answers the first attempt
    receiver.release();
    await deliverer.idle();

    // then the attempt is logged, but the delivery's state stays the other claim's to decide, and the loss is counted once
    expect(store.attempts).toHaveLength(1);
    expect(store.rows.get('d1')).toMatchObject({ status: 'pending', attempts: 0, leaseToken: 'other-claim', nextAttemptAt: at(121_000) });
    expect(metrics).toMatchObject({ lost: 1, attempted: ['delivered'] });
    expect(logged.warn).toHaveLength(1);
  });
});
