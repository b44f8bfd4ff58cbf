import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { OutboxRelay, verifyWebhook, WebhookDeliverer } from '#events';
import { expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { deadUrl, WebhookReceiver } from '../support/webhook-receiver.js';

const MAX_FAILURES = 3;

describe('Webhooks', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let receiver: WebhookReceiver;
  let relay: OutboxRelay;
  let deliverer: WebhookDeliverer;

  beforeAll(async () => {
    t = await createTestApp({ events: { webhookMaxFailures: MAX_FAILURES, webhookTimeoutMs: 5000 } });
    steps = new ProblemSteps(t);
    receiver = new WebhookReceiver();
    await receiver.start();
    relay = t.app.get(OutboxRelay);
    deliverer = t.app.get(WebhookDeliverer);
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  const admin = () => ({
    get: (path: string) => t.http().get(path).auth(t.adminToken, { type: 'bearer' }),
    post: (path: string, body?: Record<string, unknown>) => t.http().post(path).auth(t.adminToken, { type: 'bearer' }).send(body),
  });

  async function subscribe(path: string, body: Record<string, unknown> = {}) {
    const response = await admin().post('/admin/webhooks', { url: receiver.url(path), eventTypes: ['problem.assigned'], ...body });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string };
  }

  /** One assignment, relayed to the deliveries table. */
  async function anAssignment(): Promise<void> {
    await steps.inStage('assigned');
    await relay.relayOnce();
  }

  async function onlyDelivery(subscriptionId: string) {
    const deliveries = await admin().get(`/admin/webhooks/${subscriptionId}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items).toHaveLength(1);
    const delivery = await admin().get(`/admin/webhook-deliveries/${deliveries.body.items[0].id}`);
    expect(delivery.status).toBe(200);
    return delivery.body as { id: string; eventId: string; status: string; attempts: number; nextAttemptAt: string | null; log: Array<Record<string, unknown>> };
  }

  it('POSTs the event signed with the secret shown at creation, and logs the attempt', async () => {
    // given
    const { id, secret } = await subscribe('/signed');
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect((await admin().get(`/admin/webhooks/${id}`)).body).not.toHaveProperty('secret');

    // when
    await anAssignment();
    expect(await deliverer.deliverDue()).toBeGreaterThanOrEqual(1);

    // then the receiver got one POST whose signature verifies with the secret
    const [request] = receiver.at('/signed');
    expect(receiver.at('/signed')).toHaveLength(1);
    const timestamp = request.headers['x-rectification-timestamp'] as string;
    const signature = request.headers['x-rectification-signature'] as string;
    expect(timestamp).toBe(String(Math.floor(t.clock.now().getTime() / 1000)));
    expect(signature).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
    expect(verifyWebhook(secret, timestamp, request.body, signature)).toBe(true);
    expect(verifyWebhook('whsec_wrong', timestamp, request.body, signature)).toBe(false);
    expect(request.headers['content-type']).toBe('application/json');
    const event = JSON.parse(request.body);
    expect(event).toMatchObject({ type: 'problem.assigned', problem: { departmentId: t.org.departments.facilities } });
    expect(request.headers['x-rectification-event-id']).toBe(event.id);

    // and the delivery log shows one successful attempt
    const delivery = await onlyDelivery(id);
    expect(delivery).toMatchObject({ eventId: event.id, status: 'delivered', attempts: 1, nextAttemptAt: null });
    expect(delivery.log).toEqual([
      expect.objectContaining({ statusCode: 200, error: null, succeeded: true, attemptedAt: t.clock.now().toISOString(), durationMs: expect.any(Number) }),
    ]);
  });

  it('retries after a 500, once the backoff has passed', async () => {
    // given a receiver that fails once
    const { id } = await subscribe('/flaky');
    receiver.answer('/flaky', 500);
    await anAssignment();

    // when
    await deliverer.deliverDue();

    // then the failure is logged and the next attempt is 30 s away
    let delivery = await onlyDelivery(id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(t.clock.now().getTime() + 30_000).toISOString() });
    expect(delivery.log).toEqual([expect.objectContaining({ statusCode: 500, error: 'HTTP 500', succeeded: false })]);
    expect((await admin().get(`/admin/webhooks/${id}`)).body).toMatchObject({ active: true, consecutiveFailures: 1 });

    // when nothing is due yet, nothing is sent
    t.clock.advance(29_000);
    await deliverer.deliverDue();
    expect(receiver.at('/flaky')).toHaveLength(1);

    // when the backoff has passed
    t.clock.advance(1_000);
    await deliverer.deliverDue();

    // then the retry delivers it, and the failure streak is over
    delivery = await onlyDelivery(id);
    expect(receiver.at('/flaky')).toHaveLength(2);
    expect(receiver.at('/flaky')[1].headers['x-rectification-event-id']).toBe(delivery.eventId);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(delivery.log.map((attempt) => attempt.statusCode)).toEqual([500, 200]);
    expect((await admin().get(`/admin/webhooks/${id}`)).body).toMatchObject({ active: true, consecutiveFailures: 0 });
  });

  it(`is disabled after ${MAX_FAILURES} failures in a row, and delivers again once an admin re-enables it`, async () => {
    // given a receiver that keeps failing
    const { id } = await subscribe('/down');
    receiver.answer('/down', ...Array(10).fill(503));
    await anAssignment();

    // when it fails MAX_FAILURES times, each after its backoff
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt += 1) {
      await deliverer.deliverDue();
      t.clock.advance(30_000 * 2 ** (attempt - 1));
    }

    // then it is disabled and no further attempt is made
    expect((await admin().get(`/admin/webhooks/${id}`)).body).toMatchObject({ active: false, consecutiveFailures: MAX_FAILURES, disabledAt: expect.any(String) });
    t.clock.advance(3_600_000);
    await deliverer.deliverDue();
    expect(receiver.at('/down')).toHaveLength(MAX_FAILURES);
    expect((await onlyDelivery(id)).log).toHaveLength(MAX_FAILURES);

    // when the receiver is back and an admin re-enables the subscription
    receiver.answer('/down');
    const enabled = await admin().post(`/admin/webhooks/${id}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ active: true, consecutiveFailures: 0, disabledAt: null });
    await deliverer.deliverDue();

    // then the queued delivery goes out at once
    expect(receiver.at('/down')).toHaveLength(MAX_FAILURES + 1);
    expect(await onlyDelivery(id)).toMatchObject({ status: 'delivered', attempts: MAX_FAILURES + 1 });
    const audit = await admin().get('/admin/audit?limit=20');
    expect(audit.body.items.filter((entry: { targetId: string }) => entry.targetId === id).map((entry: { action: string }) => entry.action)).toEqual([
      'webhook.enabled',
      'webhook.created',
    ]);
  });

  it('queues events while disabled by an admin and sends them once enabled', async () => {
    // given
    const { id } = await subscribe('/paused');
    expect((await admin().post(`/admin/webhooks/${id}/disable`)).body).toMatchObject({ active: false });

    // when
    await anAssignment();
    await deliverer.deliverDue();

    // then nothing is sent meanwhile
    expect(receiver.at('/paused')).toHaveLength(0);
    expect(await onlyDelivery(id)).toMatchObject({ status: 'pending', attempts: 0 });

    // when
    await admin().post(`/admin/webhooks/${id}/enable`);
    await deliverer.deliverDue();

    // then
    expect(receiver.at('/paused')).toHaveLength(1);
  });

  it('redelivers a delivered event on request, as a new attempt with the same event id', async () => {
    // given a delivered event
    const { id } = await subscribe('/again');
    await anAssignment();
    await deliverer.deliverDue();
    const delivered = await onlyDelivery(id);
    expect(delivered.status).toBe('delivered');

    // when
    t.clock.advance(5_000);
    const response = await admin().post(`/admin/webhook-deliveries/${delivered.id}/redeliver`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: delivered.id, status: 'pending' });
    await deliverer.deliverDue();

    // then
    const requests = receiver.at('/again');
    expect(requests.map((request) => request.headers['x-rectification-event-id'])).toEqual([delivered.eventId, delivered.eventId]);
    expect(requests[0].body).toBe(requests[1].body);
    const after = await onlyDelivery(id);
    expect(after).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(after.log).toHaveLength(2);
  });

  it('filters by department and by event type', async () => {
    // given one subscription for production's events of any type
    const { id } = await subscribe('/production', { eventTypes: [], departmentId: t.org.departments.production });

    // when facilities gets a problem, then production does
    await anAssignment();
    const { id: problemId, version } = await steps.inStage('found');
    await steps.send('inspector', problemId, { type: 'ASSIGN', departmentId: t.org.departments.production, deadline: '2026-03-20T09:00:00.000Z', expectedVersion: version });
    await relay.relayOnce();
    await deliverer.deliverDue();

    // then only production's assignment was sent
    expect(receiver.at('/production').map((request) => JSON.parse(request.body))).toEqual([
      expect.objectContaining({ type: 'problem.assigned', problem: expect.objectContaining({ id: problemId, departmentId: t.org.departments.production }) }),
    ]);
    expect((await admin().get(`/admin/webhooks/${id}`)).body).toMatchObject({ eventTypes: [], departmentId: t.org.departments.production });
  });

  it('logs an attempt that got no answer with the error, and retries it', async () => {
    // given a URL nobody listens on
    const created = await admin().post('/admin/webhooks', { url: await deadUrl('/gone'), eventTypes: ['problem.assigned'] });

    // when
    await anAssignment();
    await deliverer.deliverDue();

    // then
    const delivery = await onlyDelivery(created.body.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery.log).toEqual([expect.objectContaining({ statusCode: null, succeeded: false, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) })]);
    await admin().post(`/admin/webhooks/${created.body.id}/disable`);
  });

  it('refuses bad subscriptions and unknown ids with documented errors', async () => {
    expectApiError(await admin().post('/admin/webhooks', { url: 'ftp://127.0.0.1/x' }), 400, 'VALIDATION_FAILED');
    expectApiError(await admin().post('/admin/webhooks', { url: receiver.url('/x'), eventTypes: ['problem.exploded'] }), 400, 'VALIDATION_FAILED');
    expectApiError(await admin().post('/admin/webhooks', { url: receiver.url('/x'), departmentId: '01a21894-5317-733d-851b-907df8370280' }), 422, 'DEPARTMENT.UNKNOWN');
    expectApiError(await admin().get('/admin/webhooks/01a21894-5317-733d-851b-907df8370280'), 404, 'WEBHOOK.NOT_FOUND');
    expectApiError(await admin().post('/admin/webhook-deliveries/01a21894-5317-733d-851b-907df8370280/redeliver'), 404, 'WEBHOOK.DELIVERY_NOT_FOUND');
  });
});
