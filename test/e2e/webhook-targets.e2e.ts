import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboxRelay, type ResolvedAddress, WebhookDeliverer, WebhookHostResolver } from '#events';
import { expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Answers every name under `.example.test` with 127.0.0.1, as a DNS name an attacker controls (or rebinds) would. */
class RebindingResolver extends WebhookHostResolver {
  readonly asked: string[] = [];

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    this.asked.push(hostname);
    if (hostname.endsWith('.example.test')) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
}

/** A loopback receiver that counts what reaches it. */
class Receiver {
  readonly paths: string[] = [];
  private readonly server = http.createServer((request, response) => {
    this.paths.push(request.url ?? '/');
    request.resume();
    request.on('end', () => response.writeHead(204).end());
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

/** Literal targets refused by default: loopback, private, link-local, multicast, unspecified, broadcast, CGNAT, mapped. */
const REFUSED = [
  ['loopback (Redis)', 'http://127.0.0.1:6379/'],
  ['IPv6 loopback (ssh)', 'http://[::1]:22/'],
  ['unspecified', 'http://0.0.0.0/'],
  ['IPv6 unspecified', 'http://[::]/'],
  ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data/'],
  ['IPv6 link-local', 'http://[fe80::1]/'],
  ['private 10/8', 'http://10.0.0.5/hooks'],
  ['private 172.16/12', 'https://172.16.0.1/'],
  ['private 192.168/16', 'http://192.168.1.10:8080/'],
  ['unique local fc00::/7', 'http://[fd12:3456::1]/'],
  ['CGNAT 100.64/10', 'http://100.64.0.1/'],
  ['multicast', 'http://224.0.0.1/'],
  ['broadcast', 'http://255.255.255.255/'],
  ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/'],
  ['IPv4-mapped metadata, hex form', 'http://[::ffff:a9fe:a9fe]/'],
  ['NAT64 of a private address', 'http://[64:ff9b::a00:5]/'],
  ['loopback written in hex', 'http://0x7f000001/'],
  ['localhost', 'http://localhost:8080/'],
  ['a name under localhost', 'http://admin.localhost/'],
] as const;

describe('Webhook targets (SSRF)', () => {
  const resolver = new RebindingResolver();
  let receiver: Receiver;
  let port: number;

  beforeAll(async () => {
    receiver = new Receiver();
    port = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  describe('by default (no WEBHOOK_ALLOWED_TARGETS)', () => {
    let t: TestApp;
    let steps: ProblemSteps;

    beforeAll(async () => {
      t = await createTestApp({ events: { webhookAllowedTargets: [] }, webhookHostResolver: resolver });
      steps = new ProblemSteps(t);
    });
    afterAll(async () => {
      await t.close();
    });

    const post = (body: Record<string, unknown>) => t.http().post('/admin/webhooks').auth(t.adminToken, { type: 'bearer' }).send(body);
    const list = async () => (await t.http().get('/admin/webhooks').auth(t.adminToken, { type: 'bearer' })).body.items as Array<{ id: string; url: string }>;

    it.each(REFUSED)('refuses a subscription to %s (%s) with 422 WEBHOOK.TARGET_NOT_ALLOWED, storing nothing', async (_what, url) => {
      // given
      const before = await list();

      // when
      const response = await post({ url });

      // then
      expectApiError(response, 422, 'WEBHOOK.TARGET_NOT_ALLOWED');
      expect(response.body.message).toContain('WEBHOOK_ALLOWED_TARGETS');
      expect(response.body.details).toMatchObject({ field: 'url', address: expect.any(String) });
      expect(await list()).toEqual(before);
    });

    it('accepts a host name, but refuses to connect when it resolves to a loopback address: the attempt is logged, nothing arrives', async () => {
      // given a name that resolves to 127.0.0.1 (a subscription time check cannot see it)
      const created = await post({ url: `http://hooks.example.test:${port}/rebound`, eventTypes: ['problem.assigned'] });
      expect(created.status).toBe(201);

      // when an event is due for it
      await steps.inStage('assigned');
      await t.app.get(OutboxRelay).relayOnce();
      await t.app.get(WebhookDeliverer).deliverDue();

      // then the name was resolved through the guarded lookup, the attempt failed with the reason, and no request came
      expect(resolver.asked).toContain('hooks.example.test');
      const deliveries = await t.http().get(`/admin/webhooks/${created.body.id}/deliveries`).auth(t.adminToken, { type: 'bearer' });
      expect(deliveries.body.items).toHaveLength(1);
      const delivery = await t.http().get(`/admin/webhook-deliveries/${deliveries.body.items[0].id}`).auth(t.adminToken, { type: 'bearer' });
      expect(delivery.body).toMatchObject({ status: 'pending', attempts: 1 });
      expect(delivery.body.log).toEqual([
        expect.objectContaining({ succeeded: false, statusCode: null, error: expect.stringContaining('target address 127.0.0.1 is not allowed') }),
      ]);
      expect(receiver.paths).not.toContain('/rebound');
    });
  });

  describe('with WEBHOOK_ALLOWED_TARGETS listing loopback', () => {
    let t: TestApp;
    let steps: ProblemSteps;

    beforeAll(async () => {
      t = await createTestApp({ events: { webhookAllowedTargets: ['127.0.0.1/32', '::1/128'] }, webhookHostResolver: resolver });
      steps = new ProblemSteps(t);
    });
    afterAll(async () => {
      await t.close();
    });

    it('accepts the literal, and delivers to a name that resolves to an allowed address', async () => {
      // given
      const literal = await t.http().post('/admin/webhooks').auth(t.adminToken, { type: 'bearer' })
        .send({ url: `http://127.0.0.1:${port}/literal`, eventTypes: ['problem.assigned'] });
      const named = await t.http().post('/admin/webhooks').auth(t.adminToken, { type: 'bearer' })
        .send({ url: `http://hooks.example.test:${port}/named`, eventTypes: ['problem.assigned'] });
      expect([literal.status, named.status]).toEqual([201, 201]);
      // but what the list does not name is still refused
      expectApiError(await t.http().post('/admin/webhooks').auth(t.adminToken, { type: 'bearer' }).send({ url: 'http://10.0.0.5/' }), 422, 'WEBHOOK.TARGET_NOT_ALLOWED');

      // when
      await steps.inStage('assigned');
      await t.app.get(OutboxRelay).relayOnce();
      await t.app.get(WebhookDeliverer).deliverDue();

      // then
      expect(receiver.paths.filter((path) => path === '/literal' || path === '/named').sort()).toEqual(['/literal', '/named']);
    });
  });
});
