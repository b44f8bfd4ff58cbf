import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Database } from '#persistence';
import { DEFAULT_ROUTING, MANDATORY_EVENTS } from '#rectification';
import { expectApiError } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ROBOT_SECRET = 'SEC0123456789abcdef-not-for-the-log';

/** A DingTalk robot on loopback: records what reaches it and answers the `{errcode, errmsg}` it is told to. */
class RobotReceiver {
  readonly received: Array<{ method: string; url: URL; body: Record<string, unknown> }> = [];
  answer: { errcode: number; errmsg: string } = { errcode: 0, errmsg: 'ok' };
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.received.push({
        method: request.method ?? '',
        url: new URL(request.url ?? '/', 'http://robot.test'),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer));
    });
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('Notifications API', () => {
  let t: TestApp;
  let robot: RobotReceiver;
  let robotUrl: string;
  let channelId: string;

  const as = (token: string) => ({
    get: (path: string, query: Record<string, string | number> = {}) => t.http().get(path).query(query).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http().patch(path).auth(token, { type: 'bearer' }).send(body),
    put: (path: string, body: object) => t.http().put(path).auth(token, { type: 'bearer' }).send(body),
  });
  const admin = () => as(t.adminToken);

  async function sealedTargetOf(id: string): Promise<string> {
    const row = await t.app
      .get(Database)
      .read((manager) => manager.createQueryBuilder().select('c.sealed_target', 'sealed').from('notification_channels', 'c').where('c.id = :id', { id }).getRawOne<{ sealed: string }>());
    return row!.sealed;
  }

  beforeAll(async () => {
    robot = new RobotReceiver();
    const port = await robot.start();
    robotUrl = `http://127.0.0.1:${port}/robot/send?access_token=x`;
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await robot?.stop();
  });

  describe('channels', () => {
    it('creates a DingTalk robot of a department and never shows its URL or secret again, nor stores them in clear', async () => {
      // when
      const created = await admin().post('/admin/notification-channels', {
        kind: 'dingtalk',
        name: 'Facilities group',
        departmentId: t.org.departments.facilities,
        webhookUrl: robotUrl,
        secret: ROBOT_SECRET,
      });

      // then
      expect(created.status).toBe(201);
      const port = new URL(robotUrl).port;
      expect(created.body).toEqual({
        id: expect.any(String),
        kind: 'dingtalk',
        name: 'Facilities group',
        departmentId: t.org.departments.facilities,
        dailyDigest: true,
        active: true,
        createdAt: t.clock.now().toISOString(),
        pausedUntil: null,
        target: `http://127.0.0.1:${port}/robot/send`,
      });
      channelId = created.body.id as string;
      const listed = await admin().get('/admin/notification-channels');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([created.body]);
      for (const text of [created.text, listed.text]) {
        expect(text).not.toContain('access_token');
        expect(text).not.toContain(ROBOT_SECRET);
        expect(text).not.toMatch(/webhookUrl|secret|sealedTarget/);
      }
      const sealed = await sealedTargetOf(channelId);
      expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      // Neither the text nor its parts decoded hold the URL or the secret.
      const decoded = sealed.split('.').slice(1).map((part) => Buffer.from(part, 'base64url').toString('latin1'));
      for (const text of [sealed, ...decoded]) {
        expect(text).not.toContain('127.0.0.1');
        expect(text).not.toContain('access_token');
        expect(text).not.toContain(ROBOT_SECRET);
      }
    });

    it.each([
      ['a webhook URL that is not a URL', { kind: 'dingtalk', name: 'Bad', webhookUrl: 'not a url' }, 'webhookUrl'],
      ['a robot without a webhook URL', { kind: 'feishu', name: 'Bad' }, 'webhookUrl'],
      ['a webhook URL of another scheme', { kind: 'wecom', name: 'Bad', webhookUrl: 'ftp://127.0.0.1/robot' }, 'webhookUrl'],
      ['a WeCom robot with a secret (WeCom does not sign)', { kind: 'wecom', name: 'Bad', webhookUrl: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=k', secret: 's' }, 'secret'],
      ['an email channel without From', { kind: 'email', name: 'Bad', smtpUrl: 'smtp://user:pw@127.0.0.1:2525' }, 'from'],
      ['an email channel whose SMTP URL is a web URL', { kind: 'email', name: 'Bad', smtpUrl: 'https://smtp.example.org', from: 'noreply@example.org' }, 'smtpUrl'],
      ['an email channel given a webhook URL instead of an SMTP URL', { kind: 'email', name: 'Bad', webhookUrl: robotUrl, from: 'noreply@example.org' }, 'smtpUrl'],
    ])('refuses %s: 422 NOTIFY.INVALID_TARGET naming the field', async (_case, body, field) => {
      const response = await admin().post('/admin/notification-channels', body);
      expectApiError(response, 422, 'NOTIFY.INVALID_TARGET');
      expect(response.body.details).toEqual({ field });
    });

    it('refuses an unknown kind and an overlong URL as invalid fields (400)', async () => {
      const kind = await admin().post('/admin/notification-channels', { kind: 'slack', name: 'Bad', webhookUrl: robotUrl });
      expectApiError(kind, 400, 'VALIDATION_FAILED');
      expect(kind.body.details.fields).toEqual([expect.objectContaining({ field: 'kind' })]);
      const long = await admin().post('/admin/notification-channels', { kind: 'dingtalk', name: 'Bad', webhookUrl: `${robotUrl}${'x'.repeat(2000)}` });
      expectApiError(long, 400, 'VALIDATION_FAILED');
      expect(long.body.details.fields).toEqual([expect.objectContaining({ field: 'webhookUrl' })]);
    });

    it('refuses a robot at a private address by default (WEBHOOK.TARGET_NOT_ALLOWED), and an unknown department', async () => {
      const internal = await admin().post('/admin/notification-channels', { kind: 'dingtalk', name: 'Internal', webhookUrl: 'http://10.1.2.3/x' });
      expectApiError(internal, 422, 'WEBHOOK.TARGET_NOT_ALLOWED');
      expect(internal.body.details).toMatchObject({ field: 'webhookUrl', address: '10.1.2.3' });
      const department = await admin().post('/admin/notification-channels', { kind: 'dingtalk', name: 'Nowhere', departmentId: randomUUID(), webhookUrl: robotUrl });
      expectApiError(department, 422, 'DEPARTMENT.UNKNOWN');
      const names = ((await admin().get('/admin/notification-channels')).body.items as Array<{ name: string }>).map((channel) => channel.name);
      expect(names).toEqual(['Facilities group']);
    });

    it('changes a channel: renamed, switched off and on, moved to the whole organisation', async () => {
      const off = await admin().patch(`/admin/notification-channels/${channelId}`, { name: 'Facilities robot', active: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: channelId, name: 'Facilities robot', active: false, departmentId: t.org.departments.facilities });
      const moved = await admin().patch(`/admin/notification-channels/${channelId}`, { active: true, departmentId: null, dailyDigest: false });
      expect(moved.body).toMatchObject({ id: channelId, active: true, departmentId: null, dailyDigest: false });
      const back = await admin().patch(`/admin/notification-channels/${channelId}`, { departmentId: t.org.departments.facilities, dailyDigest: true });
      expect(back.body).toMatchObject({ departmentId: t.org.departments.facilities, dailyDigest: true, target: expect.stringMatching(/\/robot\/send$/) });
      expect(back.text).not.toContain('access_token');
      // an empty change is refused, changing nothing
      const empty = await admin().patch(`/admin/notification-channels/${channelId}`, {});
      expectApiError(empty, 400, 'VALIDATION_FAILED');
      expect(empty.body.details.fields).toEqual([expect.objectContaining({ field: 'body' })]);
      expect((await admin().get('/admin/notification-channels')).body.items).toEqual([back.body]);
    });

    it('refuses a change without a name or of unknown fields, and answers 404 for ids that name no channel', async () => {
      expectApiError(await admin().patch(`/admin/notification-channels/${channelId}`, { name: null }), 400, 'VALIDATION_FAILED');
      expectApiError(await admin().patch(`/admin/notification-channels/${channelId}`, { webhookUrl: robotUrl }), 400, 'VALIDATION_FAILED');
      for (const id of [randomUUID(), 'not-an-id', 'x'.repeat(300)]) {
        expectApiError(await admin().patch(`/admin/notification-channels/${id}`, { name: 'Renamed' }), 404, 'NOTIFY.CHANNEL_NOT_FOUND');
        expectApiError(await admin().post(`/admin/notification-channels/${id}/test`), 404, 'NOTIFY.CHANNEL_NOT_FOUND');
      }
    });
  });

  describe('the test button and the delivery log', () => {
    beforeEach(() => {
      robot.received.length = 0;
    });

    it('sends a signed test message to the robot; delivered, and logged with its attempt', async () => {
      // given
      robot.answer = { errcode: 0, errmsg: 'ok' };

      // when
      const response = await admin().post(`/admin/notification-channels/${channelId}/test`);

      // then
      expect(response.status).toBe(200);
      expect(response.body.result).toMatchObject({ delivered: true, statusCode: 200, vendorCode: '0' });
      expect(response.body.notification).toMatchObject({ channelId, eventType: 'channel.test', status: 'sent', attempts: 1 });
      expect(robot.received).toHaveLength(1);
      const [request] = robot.received;
      expect(request.method).toBe('POST');
      expect(request.url.pathname).toBe('/robot/send');
      expect(request.url.searchParams.get('access_token')).toBe('x');
      const timestamp = request.url.searchParams.get('timestamp')!;
      expect(request.url.searchParams.get('sign')).toBe(createHmac('sha256', ROBOT_SECRET).update(`${timestamp}\n${ROBOT_SECRET}`).digest('base64'));
      expect(request.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.any(String), text: expect.any(String) } });

      const logged = await admin().get(`/admin/notifications/${response.body.notification.id}`);
      expect(logged.status).toBe(200);
      expect(logged.body).toMatchObject({ id: response.body.notification.id, status: 'sent', attempts: 1 });
      expect(logged.body.log).toEqual([
        expect.objectContaining({ notificationId: response.body.notification.id, channelId, delivered: true, statusCode: 200, vendorCode: '0' }),
      ]);
    });

    it('reports what DingTalk refused (310000): not delivered, with the detail, in the answer and the log', async () => {
      // given, a minute after the first test
      t.clock.advance(60_000);
      robot.answer = { errcode: 310000, errmsg: 'sign not match' };

      // when
      const response = await admin().post(`/admin/notification-channels/${channelId}/test`);

      // then
      expect(response.status).toBe(200);
      expect(response.body.result).toMatchObject({ delivered: false, vendorCode: '310000', detail: expect.stringContaining('310000') });
      expect(response.body.result.detail).toMatch(/signature mismatch/);
      expect(response.body.notification).toMatchObject({ status: 'failed', lastError: response.body.result.detail });
      const logged = await admin().get(`/admin/notifications/${response.body.notification.id}`);
      expect(logged.body.log).toEqual([expect.objectContaining({ delivered: false, vendorCode: '310000', detail: response.body.result.detail })]);
      expect(logged.text).not.toContain(ROBOT_SECRET);
    });

    it('lists the log newest first, filtered by channel and status, paged by limit', async () => {
      const all = await admin().get('/admin/notifications', { channelId });
      expect(all.status).toBe(200);
      expect((all.body.items as Array<{ status: string }>).map((item) => item.status)).toEqual(['failed', 'sent']);
      const failed = await admin().get('/admin/notifications', { status: 'failed' });
      expect(failed.body.items).toEqual([expect.objectContaining({ status: 'failed', channelId })]);
      expect((await admin().get('/admin/notifications', { limit: 1 })).body.items).toEqual([all.body.items[0]]);
      expect((await admin().get('/admin/notifications', { channelId: randomUUID() })).body.items).toEqual([]);
      const badQueries: Array<Record<string, string | number>> = [{ limit: 0 }, { limit: 201 }, { status: 'lost' }, { channelId: 'not-a-uuid' }, { unknown: 'x' }];
      for (const query of badQueries) {
        expectApiError(await admin().get('/admin/notifications', query), 400, 'VALIDATION_FAILED');
      }
    });

    it('redelivers a message on the next round, and answers 404 for unknown messages', async () => {
      const failed = (await admin().get('/admin/notifications', { status: 'failed' })).body.items[0] as { id: string };
      const response = await admin().post(`/admin/notifications/${failed.id}/redeliver`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: failed.id, status: 'pending', nextAttemptAt: t.clock.now().toISOString(), lastError: null });
      for (const id of ['n-0000', randomUUID(), 'x'.repeat(300)]) {
        expectApiError(await admin().get(`/admin/notifications/${id}`), 404, 'NOTIFY.NOTIFICATION_NOT_FOUND');
        expectApiError(await admin().post(`/admin/notifications/${id}/redeliver`), 404, 'NOTIFY.NOTIFICATION_NOT_FOUND');
      }
    });

    it('sends a test email to the admin\'s own address only: none set is 422 NOTIFY.NO_EMAIL_ADDRESS', async () => {
      // given an email channel; the admin has no address
      const email = await admin().post('/admin/notification-channels', {
        kind: 'email',
        name: 'Organisation mail',
        smtpUrl: 'smtp://mailer:password-not-shown@127.0.0.1:2525',
        from: '整改平台 <noreply@example.org>',
      });
      expect(email.status).toBe(201);
      expect(email.body).toMatchObject({ kind: 'email', dailyDigest: false, target: 'smtp://127.0.0.1:2525' });
      expect(email.text).not.toContain('password-not-shown');
      expect(await sealedTargetOf(email.body.id as string)).not.toContain('password-not-shown');

      // when
      const response = await admin().post(`/admin/notification-channels/${email.body.id}/test`);

      // then
      expectApiError(response, 422, 'NOTIFY.NO_EMAIL_ADDRESS');
      expect((await admin().get('/admin/notifications', { channelId: email.body.id as string })).body.items).toEqual([]);
    });
  });

  describe('routing', () => {
    it('shows the default table until replaced, then the admin\'s (escalations kept mandatory)', async () => {
      const before = await admin().get('/admin/notifications/routing');
      expect(before.status).toBe(200);
      expect(before.body.isDefault).toBe(true);
      expect(before.body.rules).toHaveLength(DEFAULT_ROUTING.length);

      const replaced = await admin().put('/admin/notifications/routing', {
        rules: [
          { event: 'problem.assigned', audience: 'responsibleMembers', route: 'robot' },
          { event: 'problem.escalated', level: 2, audience: 'escalationRecipients', route: 'email', mandatory: false },
          { event: 'problem.overdue', level: null, audience: 'responsibleHead', route: 'email', mandatory: true },
        ],
      });
      expect(replaced.status).toBe(200);
      const expected = [
        { id: expect.any(String), event: 'problem.assigned', level: null, audience: 'responsibleMembers', route: 'robot', mandatory: false },
        { id: expect.any(String), event: 'problem.escalated', level: 2, audience: 'escalationRecipients', route: 'email', mandatory: true },
        { id: expect.any(String), event: 'problem.overdue', level: null, audience: 'responsibleHead', route: 'email', mandatory: true },
      ];
      expect(replaced.body).toEqual({ isDefault: false, rules: expected });
      expect((await admin().get('/admin/notifications/routing')).body).toEqual({ isDefault: false, rules: expected });
    });

    it.each([
      ['an unknown event', { rules: [{ event: 'problem.vanished', audience: 'filer', route: 'email' }] }],
      ['an unknown audience', { rules: [{ event: 'problem.filed', audience: 'everyone', route: 'email' }] }],
      ['an unknown route', { rules: [{ event: 'problem.filed', audience: 'filer', route: 'sms' }] }],
      ['a level out of 1..10', { rules: [{ event: 'problem.escalated', level: 11, audience: 'escalationRecipients', route: 'email' }] }],
      ['a fractional level', { rules: [{ event: 'problem.escalated', level: 1.5, audience: 'escalationRecipients', route: 'email' }] }],
      ['an unknown field in a rule', { rules: [{ event: 'problem.filed', audience: 'filer', route: 'email', channelId: 'x' }] }],
      ['a rule that is not an object', { rules: ['problem.filed'] }],
      ['no rules field', {}],
      ['more than 200 rules', { rules: Array.from({ length: 201 }, () => ({ event: 'problem.filed', audience: 'filer', route: 'email' })) }],
    ])('refuses %s and keeps the table', async (_case, body) => {
      const before = (await admin().get('/admin/notifications/routing')).body;
      expectApiError(await admin().put('/admin/notifications/routing', body), 400, 'VALIDATION_FAILED');
      expect((await admin().get('/admin/notifications/routing')).body).toEqual(before);
    });
  });

  describe('personal settings', () => {
    it('answers my settings, with the events I cannot opt out of, and keeps what I change', async () => {
      const inspector = as(t.tokens.inspector);
      const initial = await inspector.get('/me/notification-settings');
      expect(initial.status).toBe(200);
      expect(initial.body).toEqual({ email: null, mobile: null, language: 'zh', optOuts: [], mandatory: [...MANDATORY_EVENTS] });

      const changed = await inspector.put('/me/notification-settings', {
        email: 'li.ming@example.org',
        mobile: '+8613800138000',
        language: 'en',
        optOuts: ['problem.filed', 'daily.digest', 'problem.filed'],
      });
      expect(changed.status).toBe(200);
      const expected = { email: 'li.ming@example.org', mobile: '+8613800138000', language: 'en', optOuts: ['daily.digest', 'problem.filed'], mandatory: [...MANDATORY_EVENTS] };
      expect(changed.body).toEqual(expected);
      expect((await inspector.get('/me/notification-settings')).body).toEqual(expected);

      // omitted fields stay, null clears
      const cleared = await inspector.put('/me/notification-settings', { mobile: null });
      expect(cleared.body).toEqual({ ...expected, mobile: null });
      // someone else's settings are their own
      expect((await as(t.tokens.supervisor).get('/me/notification-settings')).body).toMatchObject({ email: null, optOuts: [] });
    });

    it.each([
      ['a bad email', { email: 'not-an-email' }],
      ['an overlong email', { email: `${'a'.repeat(320)}@example.org` }],
      ['a mobile with letters', { mobile: '138-0013-8000' }],
      ['a too short mobile', { mobile: '12345' }],
      ['an unknown language', { language: 'fr' }],
      ['a null language', { language: null }],
      ['an unknown event to opt out of', { optOuts: ['problem.vanished'] }],
      ['opt-outs that are not a list', { optOuts: 'daily.digest' }],
      ['more than 30 opt-outs', { optOuts: Array.from({ length: 31 }, () => 'daily.digest') }],
      ['an unknown field', { name: 'Someone else' }],
    ])('refuses %s (400) and changes nothing', async (_case, body) => {
      const production = as(t.tokens.production);
      const before = (await production.get('/me/notification-settings')).body;
      expectApiError(await production.put('/me/notification-settings', body), 400, 'VALIDATION_FAILED');
      expect((await production.get('/me/notification-settings')).body).toEqual(before);
    });

    it('lets an admin set another user\'s contact (audited), and answers 404 for unknown users', async () => {
      const userId = t.org.users.facilities.actor.userId;
      const response = await admin().put(`/admin/users/${userId}/notification-settings`, { email: 'zhao.lei@example.org', language: 'zh' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ email: 'zhao.lei@example.org', language: 'zh', mandatory: [...MANDATORY_EVENTS] });
      expect((await as(t.tokens.facilities).get('/me/notification-settings')).body).toMatchObject({ email: 'zhao.lei@example.org' });
      const audit = await admin().get('/admin/audit', { limit: 1 });
      expect(audit.body.items[0]).toMatchObject({ action: 'user.notification_settings_changed', targetType: 'user', targetId: userId });

      for (const id of [randomUUID(), 'not-a-user', 'x'.repeat(300)]) {
        expectApiError(await admin().put(`/admin/users/${id}/notification-settings`, { email: 'who@example.org' }), 404, 'USER.NOT_FOUND');
      }
      expectApiError(await admin().put(`/admin/users/${userId}/notification-settings`, { email: 'nope' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('authorization', () => {
    it.each(['inspector', 'supervisor', 'facilities'] as const)('refuses every admin endpoint to the %s (403), changing nothing', async (role) => {
      // given
      const caller = as(t.tokens[role]);
      robot.received.length = 0;
      const auditBefore = (await admin().get('/admin/audit', { limit: 1 })).body.items[0]?.id;
      const routingBefore = (await admin().get('/admin/notifications/routing')).body;
      const channelsBefore = (await admin().get('/admin/notification-channels')).body;

      // when
      const someone = t.org.users.production.actor.userId;
      const responses = [
        await caller.post('/admin/notification-channels', { kind: 'dingtalk', name: `By ${role}`, webhookUrl: robotUrl }),
        await caller.get('/admin/notification-channels'),
        await caller.patch(`/admin/notification-channels/${channelId}`, { name: `By ${role}` }),
        await caller.post(`/admin/notification-channels/${channelId}/test`),
        await caller.get('/admin/notifications/routing'),
        await caller.put('/admin/notifications/routing', { rules: [] }),
        await caller.get('/admin/notifications'),
        await caller.get(`/admin/notifications/${randomUUID()}`),
        await caller.post(`/admin/notifications/${randomUUID()}/redeliver`),
        await caller.put(`/admin/users/${someone}/notification-settings`, { email: 'x@example.org' }),
      ];

      // then
      for (const response of responses) expectApiError(response, 403, 'AUTH.FORBIDDEN');
      expect(robot.received).toHaveLength(0);
      expect((await admin().get('/admin/audit', { limit: 1 })).body.items[0]?.id).toBe(auditBefore);
      expect((await admin().get('/admin/notifications/routing')).body).toEqual(routingBefore);
      expect((await admin().get('/admin/notification-channels')).body).toEqual(channelsBefore);
    });
  });
});
