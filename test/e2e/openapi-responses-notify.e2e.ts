import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { OutboxRelay, WebhookDeliverer } from '#events';
import { NotificationDispatcher } from '#notify';
import { dingTalkRobot, type DingTalkRobot, type Inbox, smtpInbox } from '../support/notify-peers.js';
import { expectDocumented, type OpenApiDocument } from '../support/openapi-schema.js';
import { ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { deadUrl, WebhookReceiver } from '../support/webhook-receiver.js';

const ROBOT_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

/*
 * The console is type-checked against the OpenAPI document (its client is generated from it), so the document must
 * say what the server really answers. Real answers of the webhook and notification operations, taken through the
 * API, are checked against the schema each documents (test/support/openapi-schema.ts: an unnamed field is an error too).
 */
describe('The OpenAPI document’s answers of webhooks and notifications against the real ones', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let document: OpenApiDocument;
  let receiver: WebhookReceiver;
  let inbox: Inbox;
  let robot: DingTalkRobot;
  let busyRobot: DingTalkRobot;


  const admin = () => ({
    get: (path: string, query: Record<string, string | number> = {}) => t.http().get(path).query(query).auth(t.adminToken, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http().post(path).auth(t.adminToken, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http().patch(path).auth(t.adminToken, { type: 'bearer' }).send(body),
    put: (path: string, body: object) => t.http().put(path).auth(t.adminToken, { type: 'bearer' }).send(body),
  });

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    inbox = await smtpInbox();
    robot = await dingTalkRobot(ROBOT_SECRET);
    // Answers every message "too fast" (DingTalk 130101): the channel is paused.
    busyRobot = await dingTalkRobot(ROBOT_SECRET, 0);
    // Loopback targets are allowed by the test app (WEBHOOK_ALLOWED_TARGETS); links need a console URL.
    t = await createTestApp({ notify: { dailyDigestAt: null, consoleUrl: 'https://rectify.example.org', robotPerMinute: 2 } });
    steps = new ProblemSteps(t);
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    document = served.body as OpenApiDocument;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([receiver?.stop(), inbox?.close(), robot?.close(), busyRobot?.close()]);
  });

  it('describes webhook subscriptions, their deliveries and each delivery’s log', async () => {
    // given a subscription of facilities' assignments whose receiver fails once, and one of every event nobody receives
    receiver.answer('/flaky', 500);
    const flaky = await admin().post('/admin/webhooks', { url: receiver.url('/flaky'), eventTypes: ['problem.assigned'], departmentId: t.org.departments.facilities });
    expectDocumented(document, flaky, 'POST', '/admin/webhooks', 201);
    expect(flaky.body.secret).toEqual(expect.any(String));
    const dead = await admin().post('/admin/webhooks', { url: await deadUrl('/gone') });
    expectDocumented(document, dead, 'POST', '/admin/webhooks', 201);
    expect(dead.body).toMatchObject({ departmentId: null, eventTypes: [] });

    // when an assignment is relayed and sent, failing at both
    await steps.inStage('assigned');
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(WebhookDeliverer).deliverDue();

    // then the subscriptions, the pending deliveries and their failed attempts (with and without a status) are described
    expectDocumented(document, await admin().get('/admin/webhooks'), 'GET', '/admin/webhooks');
    const deliveryIds: string[] = [];
    for (const subscription of [flaky.body, dead.body] as Array<{ id: string }>) {
      expectDocumented(document, await admin().get(`/admin/webhooks/${subscription.id}`), 'GET', '/admin/webhooks/{id}');
      const deliveries = await admin().get(`/admin/webhooks/${subscription.id}/deliveries`);
      expectDocumented(document, deliveries, 'GET', '/admin/webhooks/{id}/deliveries');
      expect(deliveries.body.items.length).toBeGreaterThan(0);
      deliveryIds.push(deliveries.body.items[0].id as string);
    }
    const [flakyDelivery, deadDelivery] = deliveryIds;
    const failed = await admin().get(`/admin/webhook-deliveries/${flakyDelivery}`);
    expectDocumented(document, failed, 'GET', '/admin/webhook-deliveries/{id}');
    expect(failed.body).toMatchObject({ status: 'pending', nextAttemptAt: expect.any(String), deliveredAt: null });
    expect(failed.body.log).toEqual([expect.objectContaining({ statusCode: 500, error: 'HTTP 500', succeeded: false })]);
    const unanswered = await admin().get(`/admin/webhook-deliveries/${deadDelivery}`);
    expectDocumented(document, unanswered, 'GET', '/admin/webhook-deliveries/{id}');
    expect(unanswered.body.log).toEqual([expect.objectContaining({ statusCode: null, error: expect.any(String), succeeded: false })]);

    // when the retry succeeds
    t.clock.advance(30_000);
    await t.app.get(WebhookDeliverer).deliverDue();

    // then a delivered delivery, its successful attempt and its redelivery are described
    const delivered = await admin().get(`/admin/webhook-deliveries/${flakyDelivery}`);
    expectDocumented(document, delivered, 'GET', '/admin/webhook-deliveries/{id}');
    expect(delivered.body).toMatchObject({ status: 'delivered', nextAttemptAt: null, deliveredAt: expect.any(String) });
    expect(delivered.body.log).toEqual([expect.objectContaining({ statusCode: 500 }), expect.objectContaining({ statusCode: 200, error: null, succeeded: true })]);
    expectDocumented(document, await admin().get(`/admin/webhooks/${flaky.body.id}/deliveries`), 'GET', '/admin/webhooks/{id}/deliveries');
    const redelivered = await admin().post(`/admin/webhook-deliveries/${flakyDelivery}/redeliver`);
    expectDocumented(document, redelivered, 'POST', '/admin/webhook-deliveries/{id}/redeliver');
    expect(redelivered.body).toMatchObject({ status: 'pending', nextAttemptAt: expect.any(String) });

    // and disabling (disabledAt set) and enabling (disabledAt null again)
    const disabled = await admin().post(`/admin/webhooks/${dead.body.id}/disable`);
    expectDocumented(document, disabled, 'POST', '/admin/webhooks/{id}/disable');
    expect(disabled.body).toMatchObject({ active: false, disabledAt: expect.any(String) });
    expect(disabled.body.consecutiveFailures).toBeGreaterThan(0);
    expectDocumented(document, await admin().get('/admin/webhooks'), 'GET', '/admin/webhooks');
    const enabled = await admin().post(`/admin/webhooks/${dead.body.id}/enable`);
    expectDocumented(document, enabled, 'POST', '/admin/webhooks/{id}/enable');
    expect(enabled.body).toMatchObject({ active: true, disabledAt: null, consecutiveFailures: 0 });
    expectDocumented(document, await admin().post(`/admin/webhooks/${dead.body.id}/disable`), 'POST', '/admin/webhooks/{id}/disable');
  });

  it('describes personal notification settings: mine, changed by me, and set by an administrator', async () => {
    // given nobody has settings yet
    for (const role of ['admin', 'inspector', 'supervisor', 'facilities', 'production'] as const) {
      const settings = await t.http().get('/me/notification-settings').auth(t.tokens[role], { type: 'bearer' });
      expectDocumented(document, settings, 'GET', '/me/notification-settings');
      expect(settings.body).toMatchObject({ email: null, mobile: null });
    }

    // when a person sets theirs, and an administrator sets someone else's and their own
    const mine = await t.http().put('/me/notification-settings').auth(t.tokens.supervisor, { type: 'bearer' })
      .send({ email: 'zhang.min@example.org', mobile: '+8613800138001', language: 'zh', optOuts: ['problem.closed', 'daily.digest'] });
    expectDocumented(document, mine, 'PUT', '/me/notification-settings');
    const theirs = await admin().put(`/admin/users/${t.org.users.facilities.actor.userId}/notification-settings`, { email: 'wang.fang@example.org', mobile: '13800000001', language: 'en' });
    expectDocumented(document, theirs, 'PUT', '/admin/users/{id}/notification-settings');
    const adminId = (await admin().get('/me')).body.user.id as string;
    expectDocumented(document, await admin().put(`/admin/users/${adminId}/notification-settings`, { email: 'admin@example.org' }), 'PUT', '/admin/users/{id}/notification-settings');

    // then what they answer, and read back, has the values set
    const read = await t.http().get('/me/notification-settings').auth(t.tokens.supervisor, { type: 'bearer' });
    expectDocumented(document, read, 'GET', '/me/notification-settings');
    expect(read.body).toMatchObject({ email: 'zhang.min@example.org', mobile: '+8613800138001', optOuts: ['daily.digest', 'problem.closed'] });
    const cleared = await t.http().put('/me/notification-settings').auth(t.tokens.production, { type: 'bearer' }).send({ mobile: null, optOuts: [] });
    expectDocumented(document, cleared, 'PUT', '/me/notification-settings');
  });

  it('describes channels, their test messages with the vendor’s answer, and the delivery log', async () => {
    // given an email channel (organisation-wide), facilities' robot and production's robot that is always "too fast"
    const email = await admin().post('/admin/notification-channels', { kind: 'email', name: 'Mail', smtpUrl: `smtp://desk:s3cret@127.0.0.1:${inbox.port}`, from: 'Desk <desk@example.org>' });
    expectDocumented(document, email, 'POST', '/admin/notification-channels', 201);
    expect(email.body.departmentId).toBeNull();
    const facilities = await admin().post('/admin/notification-channels', {
      kind: 'dingtalk',
      name: 'Facilities group',
      departmentId: t.org.departments.facilities,
      webhookUrl: robot.url,
      secret: ROBOT_SECRET,
    });
    expectDocumented(document, facilities, 'POST', '/admin/notification-channels', 201);
    const busy = await admin().post('/admin/notification-channels', { kind: 'dingtalk', name: 'Production group', departmentId: t.org.departments.production, webhookUrl: busyRobot.url, secret: ROBOT_SECRET });
    expectDocumented(document, busy, 'POST', '/admin/notification-channels', 201);
    const renamed = await admin().patch(`/admin/notification-channels/${email.body.id}`, { name: 'Organisation mail', dailyDigest: false });
    expectDocumented(document, renamed, 'PATCH', '/admin/notification-channels/{id}');

    // when each is tested: by mail to the admin's own address, to the robot, and to the busy robot
    const tests: Response[] = [];
    for (const channel of [email.body, facilities.body, busy.body] as Array<{ id: string }>) {
      const tested = await admin().post(`/admin/notification-channels/${channel.id}/test`);
      expectDocumented(document, tested, 'POST', '/admin/notification-channels/{id}/test');
      tests.push(tested);
    }

    // then the vendors' answers are described, delivered (with and without an HTTP status) and refused
    const [byMail, byRobot, refused] = tests.map((tested) => tested.body as { notification: Record<string, unknown>; result: Record<string, unknown> });
    expect(inbox.received).toHaveLength(1);
    expect(byMail.result).toMatchObject({ delivered: true, statusCode: null, vendorCode: expect.any(String) });
    expect(byMail.notification).toMatchObject({ status: 'sent', recipientUserId: expect.any(String), problemId: null, link: null, sentAt: expect.any(String) });
    expect(byRobot.result).toMatchObject({ delivered: true, statusCode: 200, vendorCode: '0' });
    expect(refused.result).toMatchObject({ delivered: false, rateLimited: true, vendorCode: '130101' });
    expect(refused.notification).toMatchObject({ status: 'failed', recipientUserId: null, lastError: expect.any(String), sentAt: null });
    // and the channels, one of them paused by its vendor
    const channels = await admin().get('/admin/notification-channels');
    expectDocumented(document, channels, 'GET', '/admin/notification-channels');
    const paused = (channels.body.items as Array<{ id: string; pausedUntil: string | null }>).filter((channel) => channel.pausedUntil !== null);
    expect(paused.map((channel) => channel.id)).toEqual([busy.body.id]);

    // when three assignments (with their filings) are told by mail and to facilities' robot, more than it takes in a minute
    for (let i = 0; i < 3; i += 1) await steps.inStage('assigned');
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(NotificationDispatcher).runOnce();

    // then the log, each message with its attempts, and a redelivery are described
    const log = await admin().get('/admin/notifications', { limit: 200 });
    expectDocumented(document, log, 'GET', '/admin/notifications');
    const items = log.body.items as Array<{ id: string; problemId: string | null; link: string | null; recipientUserId: string | null; status: string; foldedInto: string | null }>;
    expect(items.some((item) => item.problemId !== null && item.link !== null && item.recipientUserId !== null)).toBe(true);
    expect(items.some((item) => item.problemId !== null && item.recipientUserId === null)).toBe(true);
    expect([...new Set(items.map((item) => item.status))].sort()).toEqual(['failed', 'folded', 'sent']);
    expect(items.filter((item) => item.status === 'folded').every((item) => item.foldedInto !== null)).toBe(true);
    expectDocumented(document, await admin().get('/admin/notifications', { status: 'folded', limit: 1 }), 'GET', '/admin/notifications');
    for (const item of items) expectDocumented(document, await admin().get(`/admin/notifications/${item.id}`), 'GET', '/admin/notifications/{id}');
    const redelivered = await admin().post(`/admin/notifications/${refused.notification.id}/redeliver`);
    expectDocumented(document, redelivered, 'POST', '/admin/notifications/{id}/redeliver');
    expect(redelivered.body).toMatchObject({ status: 'pending', nextAttemptAt: expect.any(String), lastError: null });
    expectDocumented(document, await admin().get('/admin/notifications', { status: 'pending' }), 'GET', '/admin/notifications');
  });

  it('describes the routing table, the default one and one an administrator wrote', async () => {
    // given the default table
    const before = await admin().get('/admin/notifications/routing');
    expectDocumented(document, before, 'GET', '/admin/notifications/routing');
    expect(before.body.isDefault).toBe(true);

    // when an administrator replaces it, with a level and without
    const replaced = await admin().put('/admin/notifications/routing', {
      rules: [
        { event: 'problem.assigned', audience: 'responsibleMembers', route: 'robot' },
        { event: 'problem.escalated', level: 2, audience: 'escalationRecipients', route: 'email' },
        { event: 'daily.digest', audience: 'responsibleHead', route: 'email', mandatory: true },
      ],
    });

    // then
    expectDocumented(document, replaced, 'PUT', '/admin/notifications/routing');
    expect(replaced.body.isDefault).toBe(false);
    expectDocumented(document, await admin().get('/admin/notifications/routing'), 'GET', '/admin/notifications/routing');
  });
});
