import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { ProblemsService } from '../../apps/server/src/problems/problems.service.js';
import { OutboxRelay, type ResolvedAddress, WebhookDeliverer, WebhookHostResolver } from '#events';
import { JsonLogger } from '#logging';
import { eventBody, ProblemSteps, uploadEvidence } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The robot's host resolves to a loopback address the test server may not reach: its delivery is refused and logged. */
class RobotResolver extends WebhookHostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    return [{ address: hostname === 'robot.example.test' ? '127.0.0.2' : '127.0.0.1', family: 4 }];
  }
}

interface LogLine {
  time: string;
  level: string;
  msg: string;
  context?: string;
  correlationId?: string;
  actorId?: string;
  problemId?: string;
  [field: string]: unknown;
}

/**
 * Issue 19: the server's logs, at the most verbose level, over a problem's whole life and the admin actions that
 * hand out secrets, are JSON lines tied to their requests, and carry none of the secrets.
 */
describe(JsonLogger.name, () => {
  const captured: string[] = [];
  let t: TestApp;
  let steps: ProblemSteps;
  let receiver: http.Server;
  /** Every value that must never reach the log. */
  const secrets: Record<string, string> = {};
  /** Correlation ids sent, by what the request did. */
  const sent: Record<string, { correlationId: string; response: Response }> = {};
  let problemId: string;

  /** Sends a request with a correlation id of its own, to find its lines afterwards. */
  async function traced(name: string, request: (id: string) => Promise<Response>): Promise<Response> {
    const correlationId = `log-test-${name.replace(/\s/g, '-')}-${randomUUID().slice(0, 8)}`;
    const response = await request(correlationId);
    sent[name] = { correlationId, response };
    return response;
  }

  const lines = (): LogLine[] =>
    captured
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    receiver = http.createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    t = await createTestApp({ log: { sink: { write: (chunk: string) => captured.push(chunk) } }, webhookHostResolver: new RobotResolver() });
    steps = new ProblemSteps(t);
    for (const [role, token] of Object.entries(t.tokens)) secrets[`${role} token`] = token;
    const admin = t.tokens.admin;
    const version = (response: Response) => response.body.version as number;

    // a problem's whole life, with an evidence upload, each request traced
    const filed = await traced('file', (id) => steps.file('inspector').set('x-correlation-id', id));
    expect(filed.status).toBe(201);
    problemId = filed.body.id;
    const event = (name: string, role: keyof TestApp['tokens'], type: string, expectedVersion: number) =>
      traced(name, (id) => steps.sendOnly(role, problemId, { ...eventBody(t, type), expectedVersion }, { 'x-correlation-id': id }));
    const assigned = await event('assign', 'inspector', 'ASSIGN', version(filed));
    const started = await event('start', 'facilities', 'START', version(assigned));
    secrets['evidence content'] = `Evidence file content ${randomUUID()} (photo of the cleared exit)`;
    const uploaded = await traced('upload', (id) =>
      uploadEvidence(t, t.tokens.facilities, problemId, 'rectification', secrets['evidence content'], 'after.txt').set('x-correlation-id', id),
    );
    expect(uploaded.status).toBe(201);
    const submitted = await event('submit', 'facilities', 'SUBMIT', version(started));
    const approved = await event('approve', 'inspector', 'APPROVE', version(submitted));
    const closed = await event('close', 'supervisor', 'CLOSE', version(approved));
    expect(closed.status).toBe(200);
    expect(closed.body.stateDetail).toBe('closed');

    // a user with a first token, and a second token
    const user = await traced('create user', (id) =>
      t.http().post('/admin/users').auth(admin, { type: 'bearer' }).set('x-correlation-id', id).send({ name: 'Li Lei', role: 'inspector' }),
    );
    expect(user.status).toBe(201);
    secrets['new user token'] = user.body.token.token;
    const issued = await t.http().post(`/admin/users/${user.body.user.id}/tokens`).auth(admin, { type: 'bearer' }).send({ label: 'ci' });
    expect(issued.status).toBe(201);
    secrets['issued token'] = issued.body.token;

    // webhooks: one to the receiver, one to a robot whose key sits in the query string and credentials in the URL
    secrets['robot key'] = `robot-key-${randomBytes(12).toString('hex')}`;
    secrets['robot password'] = `robot-pass-${randomBytes(8).toString('hex')}`;
    const webhooks = {
      receiver: `http://127.0.0.1:${port}/hook`,
      robot: `http://bot:${secrets['robot password']}@robot.example.test:${port}/cgi-bin/webhook/send?key=${secrets['robot key']}`,
    };
    for (const [name, url] of Object.entries(webhooks)) {
      const webhook = await t.http().post('/admin/webhooks').auth(admin, { type: 'bearer' }).send({ url });
      expect(webhook.status).toBe(201);
      secrets[`${name} webhook secret`] = webhook.body.secret;
    }
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(WebhookDeliverer).deliverDue();

    // bad tokens: one in the product's format, one not, basic credentials
    secrets['unknown token'] = `rk_${randomBytes(32).toString('base64url')}`;
    secrets['garbage token'] = `not-a-token-${randomUUID()}`;
    secrets['basic credentials'] = Buffer.from(`admin:${randomUUID()}`).toString('base64');
    await traced('unknown token', (id) => t.http().get('/problems').auth(secrets['unknown token'], { type: 'bearer' }).set('x-correlation-id', id));
    await traced('garbage token', (id) => t.http().get('/me').set('Authorization', `Bearer ${secrets['garbage token']}`).set('x-correlation-id', id));
    await traced('basic', (id) => t.http().get('/me').set('Authorization', `Basic ${secrets['basic credentials']}`).set('x-correlation-id', id));
    secrets.cookie = `session-${randomUUID()}`;
    await t.http().get('/me').auth(admin, { type: 'bearer' }).set('Cookie', `sid=${secrets.cookie}`);

    // a body carrying a token (refused: no such field), a 404, a 409/422, and a 500 whose message carries secrets
    await traced('token in body', (id) =>
      steps.file('inspector', { token: t.tokens.production, note: `my token is ${t.tokens.production}` }).set('x-correlation-id', id),
    );
    await traced('not found', (id) => steps.get('supervisor', randomUUID()).set('x-correlation-id', id));
    await traced('invalid transition', (id) => steps.sendOnly('inspector', problemId, { ...eventBody(t, 'APPROVE'), expectedVersion: version(closed) }, { 'x-correlation-id': id }));
    secrets['refused robot key'] = `robot-key-${randomBytes(12).toString('hex')}`;
    await traced('refused target', (id) =>
      t.http().post('/admin/webhooks').auth(admin, { type: 'bearer' }).set('x-correlation-id', id).send({ url: `http://10.20.30.40/send?key=${secrets['refused robot key']}` }),
    );
    const failing = jest
      .spyOn(t.app.get(ProblemsService), 'get')
      .mockRejectedValueOnce(new Error(`driver failed with Authorization: Bearer ${t.tokens.inspector} and ${secrets['receiver webhook secret']}`));
    await traced('internal', (id) => steps.get('supervisor', problemId).set('x-correlation-id', id));
    failing.mockRestore();
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('drove the requests it meant to, with the statuses they should get', () => {
    expect(Object.fromEntries(Object.entries(sent).map(([name, { response }]) => [name, response.status]))).toEqual({
      file: 201,
      assign: 200,
      start: 200,
      upload: 201,
      submit: 200,
      approve: 200,
      close: 200,
      'create user': 201,
      'unknown token': 401,
      'garbage token': 401,
      basic: 401,
      'token in body': 400,
      'not found': 404,
      'invalid transition': 409,
      'refused target': 422,
      internal: 500,
    });
  });

  it('writes every line as one JSON object with time, level, msg and context', () => {
    // then
    const all = lines();
    expect(all.length).toBeGreaterThan(50);
    for (const line of all) {
      expect(line).toEqual(
        expect.objectContaining({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/), msg: expect.any(String) }),
      );
    }
    expect(all.filter((line) => line.context === undefined)).toEqual([]);
    // the framework's own lines come through it too
    expect(all.some((line) => line.context === 'RouterExplorer')).toBe(true);
  });

  it('writes one access line per request, with route template, status, duration, correlation, actor and problem', () => {
    // given
    const access = lines().filter((line) => line.context === 'HTTP');

    // then
    const upload = access.filter((line) => line.correlationId === sent.upload.correlationId);
    expect(upload).toEqual([
      expect.objectContaining({
        level: 'info',
        method: 'POST',
        route: '/problems/:id/evidence',
        status: 201,
        durationMs: expect.any(Number),
        actorId: t.org.users.facilities.actor.userId,
        problemId,
      }),
    ]);
    for (const [name, { correlationId, response }] of Object.entries(sent)) {
      expect({ name, lines: access.filter((line) => line.correlationId === correlationId).map((line) => line.status) }).toEqual({ name, lines: [response.status] });
    }
    const unauthenticated = access.find((line) => line.correlationId === sent['unknown token'].correlationId);
    expect(unauthenticated).toMatchObject({ route: '/problems', status: 401 });
    expect(unauthenticated).not.toHaveProperty('actorId');
  });

  it('ties the lines of a request to the correlation id its response carries', () => {
    // given the request that failed inside the service
    const { correlationId, response } = sent.internal;
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    expect(response.body.correlationId).toBe(correlationId);

    // then both the error and the access line name it, the actor and the problem
    const ofRequest = lines().filter((line) => line.correlationId === correlationId);
    expect(ofRequest.map((line) => [line.level, line.context])).toEqual(expect.arrayContaining([['error', 'Errors'], ['info', 'HTTP']]));
    for (const line of ofRequest) expect(line).toMatchObject({ actorId: t.org.users.supervisor.actor.userId, problemId });
    // and the secrets in the error's message are masked, not dropped with the line
    const error = ofRequest.find((line) => line.level === 'error')!;
    expect(error.msg).toContain('Bearer [REDACTED]');
    expect(error.msg).toContain('whsec_[REDACTED]');
  });

  it('writes none of the tokens, webhook secrets, credentials, cookies or evidence contents', () => {
    // given
    const log = captured.join('');
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(15);

    // then
    const found = Object.entries(secrets)
      .filter(([, secret]) => log.includes(secret))
      .map(([what]) => what);
    expect(found).toEqual([]);
    expect(log).not.toMatch(/\brk_[A-Za-z0-9_-]{16,}/);
    expect(log).not.toMatch(/whsec_[0-9a-f]{8,}/);
    expect(log).not.toMatch(/Bearer (?!\[REDACTED\])/);
  });
});
