import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeClock } from '#domain';
import {
  EVENT_DELIVERY_OPTIONS,
  type EventDeliveryOptions,
  OutboxRelay,
  WebhookDeliverer,
  WebhookHostResolver,
  WebhookStore,
  WebhookTargetPolicy,
} from '#events';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { HoldingReceiver } from '../support/holding-receiver.js';

/** The base lease: renewed every 500 ms while an attempt runs. */
const LEASE_MS = 1500;
/** How long the receiver takes to answer each request: three leases. */
const ANSWER_AFTER_MS = 3 * LEASE_MS;

/*
 * A receiver slower than the base lease, and a second deliverer on the same database looking for due deliveries all
 * the while: on PostgreSQL another server (another app), on SQLite (one process) a second deliverer in the same app.
 * Both fake clocks follow real time, so a lease that was not renewed would fall due for the second deliverer.
 */
describe('Webhook leases renewed while a slow receiver holds the attempt', () => {
  let a: TestApp;
  let b: TestApp | null = null;
  let second: WebhookDeliverer;
  let secondClock: FakeClock;
  // Answers every request after ANSWER_AFTER_MS, noting each event id it is sent.
  const receiver = new HoldingReceiver(false, ANSWER_AFTER_MS);
  const events: Partial<EventDeliveryOptions> = { webhookLeaseMs: LEASE_MS, webhookTimeoutMs: 4 * ANSWER_AFTER_MS };

  beforeAll(async () => {
    await receiver.start();
    a = await createTestApp({ events });
    if (a.database.kind === 'postgres') {
      b = await createTestApp({ beside: a, events });
      second = b.app.get(WebhookDeliverer);
      secondClock = b.clock;
    } else {
      secondClock = new FakeClock(a.clock.now());
      second = new WebhookDeliverer(
        a.app.get(WebhookStore),
        secondClock,
        a.app.get<EventDeliveryOptions>(EVENT_DELIVERY_OPTIONS),
        a.app.get(WebhookTargetPolicy),
        a.app.get(WebhookHostResolver),
      );
    }
  });
  afterAll(async () => {
    await second.stop();
    await b?.close();
    await a.close();
    await receiver.stop();
  });

  const admin = (path: string) => a.http().get(path).auth(a.adminToken, { type: 'bearer' });
  async function counter(name: string): Promise<number> {
    const scraped = await admin('/metrics');
    expect(scraped.status).toBe(200);
    const value = sampleValue(parsePrometheusText(scraped.text), name);
    if (value === undefined) throw new Error(`no sample ${name}`);
    return value;
  }

  it('delivers each event exactly once, the first deliverer keeping its claims past their base lease', async () => {
    // given a subscription to the slow receiver, and three assignments relayed into deliveries
    const subscribed = await a.http().post('/admin/webhooks').auth(a.adminToken, { type: 'bearer' }).send({ url: receiver.url('/slow'), eventTypes: ['problem.assigned'] });
    expect(subscribed.status).toBe(201);
    const steps = new ProblemSteps(a);
    for (let i = 0; i < 3; i += 1) await steps.inStage('assigned');
    expect(await a.app.get(OutboxRelay).relayOnce()).toBeGreaterThanOrEqual(3);
    const renewalsBefore = await counter('rectification_webhook_lease_renewals_total');

    // when A claims and sends them, and the second deliverer keeps looking for due deliveries until A is done,
    // both clocks following real time
    const base = a.clock.now().getTime();
    const started = Date.now();
    const follow = () => {
      const now = new Date(base + Date.now() - started);
      a.clock.set(now);
      secondClock.set(now);
    };
    const first = a.app.get(WebhookDeliverer);
    expect(await first.startDue()).toBe(3);
    let done = false;
    const finished = first.idle().then(() => {
      done = true;
    });
    let takenBySecond = 0;
    while (!done) {
      follow();
      takenBySecond += await second.startDue();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await finished;
    follow();
    takenBySecond += await second.deliverDue();

    // then the receiver answered after more than the base lease, and got each event once, from A
    expect(Date.now() - started).toBeGreaterThan(ANSWER_AFTER_MS);
    expect(takenBySecond).toBe(0);
    const deliveries = (await admin(`/admin/webhooks/${subscribed.body.id}/deliveries`)).body.items as Array<{ eventId: string; status: string; attempts: number }>;
    expect(deliveries).toHaveLength(3);
    expect([...receiver.eventIds].sort()).toEqual(deliveries.map((delivery) => delivery.eventId).sort());
    expect(deliveries.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1)).toBe(true);
    // and A renewed its leases, every one of the three in each round, and lost none
    expect((await counter('rectification_webhook_lease_renewals_total')) - renewalsBefore).toBeGreaterThanOrEqual(3 * 3);
    expect(await counter('rectification_webhook_leases_lost_total')).toBe(0);
  }, 30_000);
});
