import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProblemRepository } from '#engine';
import { OutboxRelay, WebhookDeliverer } from '#events';
import { DeadlineScheduler } from '#scheduler';
import { expectApiError, ProblemSteps } from '../support/problem-steps.js';
import { type MetricFamily, parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { testDatabaseKind } from '../support/test-database.js';

const SCRAPE_TOKEN = 'scrape-token-for-the-tests-0123456789';

/** A loopback receiver answering 500 on /failing and 200 everywhere else. */
class Receiver {
  private readonly server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.statusCode = request.url === '/failing' ? 500 : 200;
      response.end('ok');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('GET /metrics', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  let receiver: Receiver;

  beforeAll(async () => {
    // One failure disables a subscription, so a single failed attempt shows as a disabled subscription too.
    t = await createTestApp({ metrics: { token: SCRAPE_TOKEN }, events: { webhookMaxFailures: 1 } });
    steps = new ProblemSteps(t);
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  /** Scrapes with the scrape token and parses the answer strictly (a malformed exposition fails the test). */
  async function scrape(): Promise<Map<string, MetricFamily>> {
    const response = await t.http().get('/metrics').auth(SCRAPE_TOKEN, { type: 'bearer' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parsePrometheusText(response.text);
  }
  async function figure(name: string, labels: Record<string, string> = {}): Promise<number> {
    const value = sampleValue(await scrape(), name, labels);
    if (value === undefined) throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
    return value;
  }
  async function relayAll(): Promise<void> {
    await t.app.get(OutboxRelay).relayOnce();
  }

  it('answers in the Prometheus text format: every family prefixed, with its help and type, process metrics included', async () => {
    // when
    const families = await scrape();

    // then
    expect(families.size).toBeGreaterThan(20);
    for (const family of families.values()) {
      expect({ name: family.name, prefixed: family.name.startsWith('rectification_') }).toEqual({ name: family.name, prefixed: true });
      expect({ name: family.name, help: typeof family.help, type: family.type }).toEqual({ name: family.name, help: 'string', type: expect.not.stringMatching(/^untyped$/) });
    }
    expect(families.get('rectification_process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.get('rectification_http_request_duration_seconds')?.type).toBe('histogram');
    expect(sampleValue(families, 'rectification_database_up')).toBe(1);
  });

  it('counts problems by state and open problems by deadline state as they change', async () => {
    // given a fresh database
    expect(await figure('rectification_problems', { state: 'assigned' })).toBe(0);
    expect(await figure('rectification_problems', { state: 'found' })).toBe(0);

    // when a problem is filed and assigned
    const { id } = await steps.inStage('assigned');

    // then
    const families = await scrape();
    expect(sampleValue(families, 'rectification_problems', { state: 'assigned' })).toBe(1);
    expect(sampleValue(families, 'rectification_problems', { state: 'found' })).toBe(0);
    const deadlineState = (await steps.get('supervisor', id)).body.deadlineState as string;
    expect(sampleValue(families, 'rectification_open_problems', { deadline_state: deadlineState })).toBe(1);
    const open = families.get('rectification_open_problems')!.samples.reduce((sum, sample) => sum + sample.value, 0);
    expect(open).toBe(1);
  });

  it('shows the outbox backlog and the age of its oldest event until the relay publishes, and counts what it published by type', async () => {
    // given an empty outbox
    await relayAll();
    const assignedBefore = await figure('rectification_events_published_total', { type: 'problem.assigned' });
    const filedBefore = await figure('rectification_events_published_total', { type: 'problem.filed' });
    expect(await figure('rectification_outbox_unpublished_events')).toBe(0);

    // when a problem is filed and assigned, and 90 s pass without a relay
    await steps.inStage('assigned');
    t.clock.advance(90_000);

    // then the two events wait, the oldest for 90 s at least
    let families = await scrape();
    expect(sampleValue(families, 'rectification_outbox_unpublished_events')).toBe(2);
    expect(sampleValue(families, 'rectification_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(90);

    // when the relay runs
    await relayAll();

    // then the backlog is gone and the events are counted by type
    families = await scrape();
    expect(sampleValue(families, 'rectification_outbox_unpublished_events')).toBe(0);
    expect(sampleValue(families, 'rectification_outbox_oldest_unpublished_age_seconds')).toBe(0);
    expect(sampleValue(families, 'rectification_events_published_total', { type: 'problem.assigned' })).toBe(assignedBefore + 1);
    expect(sampleValue(families, 'rectification_events_published_total', { type: 'problem.filed' })).toBe(filedBefore + 1);
  });

  it('shows timers as due, then late once a minute has passed without a sweep, and neither after the sweep', async () => {
    // given an assigned problem whose next timer (its first reminder) is known
    const { id } = await steps.inStage('assigned');
    const timerAt = Date.parse((await t.app.get(ProblemRepository).findById(id))!.nextTimer!.fireAt);
    const firedBefore = await figure('rectification_timers_fired_total');

    // when the clock reaches it and 30 s more, without a sweep
    t.clock.set(new Date(timerAt + 30_000));

    // then it is due, not yet late
    let families = await scrape();
    expect(sampleValue(families, 'rectification_timers_due')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'rectification_timers_late')).toBe(0);

    // when two minutes pass still without a sweep
    t.clock.set(new Date(timerAt + 120_000));

    // then it is late, and the earliest due timer has waited two minutes at least
    families = await scrape();
    expect(sampleValue(families, 'rectification_timers_late')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'rectification_timers_oldest_due_age_seconds')).toBeGreaterThanOrEqual(120);

    // when the scheduler sweeps
    const swept = await t.app.get(DeadlineScheduler).sweep();

    // then nothing is due or late, and the fired timers are counted
    families = await scrape();
    expect(swept.fired).toBeGreaterThanOrEqual(1);
    expect(sampleValue(families, 'rectification_timers_due')).toBe(0);
    expect(sampleValue(families, 'rectification_timers_late')).toBe(0);
    expect(sampleValue(families, 'rectification_timers_oldest_due_age_seconds')).toBe(0);
    expect(sampleValue(families, 'rectification_timers_fired_total')).toBe(firedBefore + swept.fired);
    expect(sampleValue(families, 'rectification_scheduler_last_sweep_timestamp_seconds')).toBe(t.clock.now().getTime() / 1000);
  });

  it('counts webhook attempts by outcome, the deliveries still pending and the subscriptions disabled', async () => {
    // given a receiver that takes events and one that fails, both subscribed to assignments
    await relayAll();
    const admin = (path: string, body: Record<string, unknown>) => t.http().post(path).auth(t.adminToken, { type: 'bearer' }).send(body);
    expect((await admin('/admin/webhooks', { url: receiver.url('/taking'), eventTypes: ['problem.assigned'] })).status).toBe(201);
    expect((await admin('/admin/webhooks', { url: receiver.url('/failing'), eventTypes: ['problem.assigned'] })).status).toBe(201);
    const delivered = await figure('rectification_webhook_attempts_total', { outcome: 'delivered' });
    const failed = await figure('rectification_webhook_attempts_total', { outcome: 'failed' });
    expect(await figure('rectification_webhook_subscriptions', { state: 'active' })).toBe(2);
    expect(await figure('rectification_webhook_subscriptions', { state: 'disabled' })).toBe(0);

    // when an assignment is relayed
    await steps.inStage('assigned');
    await relayAll();

    // then two deliveries are pending
    expect(await figure('rectification_webhook_deliveries_pending')).toBe(2);

    // when they are attempted
    await t.app.get(WebhookDeliverer).deliverDue();

    // then one was delivered, one failed (and stays pending), and the failing subscription was disabled
    const families = await scrape();
    expect(sampleValue(families, 'rectification_webhook_attempts_total', { outcome: 'delivered' })).toBe(delivered + 1);
    expect(sampleValue(families, 'rectification_webhook_attempts_total', { outcome: 'failed' })).toBe(failed + 1);
    expect(sampleValue(families, 'rectification_webhook_deliveries_pending')).toBe(1);
    expect(sampleValue(families, 'rectification_webhook_subscriptions', { state: 'active' })).toBe(1);
    expect(sampleValue(families, 'rectification_webhook_subscriptions', { state: 'disabled' })).toBe(1);
  });

  it('counts requests by route template and status, never by the raw path', async () => {
    // given
    const { id } = await steps.inStage('assigned');
    const route = { method: 'GET', route: '/problems/:id' };
    const before = await scrape();
    const ok = sampleValue(before, 'rectification_http_requests_total', { ...route, status: '200' }) ?? 0;
    const notFound = sampleValue(before, 'rectification_http_requests_total', { ...route, status: '404' }) ?? 0;
    const unmatched = sampleValue(before, 'rectification_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }) ?? 0;
    const timed = sampleValue(before, 'rectification_http_request_duration_seconds_count', { ...route, status_class: '2xx' }) ?? 0;

    // when a problem is read twice, an unknown one once, and a path no route has
    expect((await steps.get('supervisor', id)).status).toBe(200);
    expect((await steps.get('facilities', id)).status).toBe(200);
    expect((await steps.get('supervisor', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).status).toBe(404);
    expect((await t.http().get(`/no-such-path/${id}`)).status).toBe(404);

    // then
    const after = await scrape();
    expect(sampleValue(after, 'rectification_http_requests_total', { ...route, status: '200' })).toBe(ok + 2);
    expect(sampleValue(after, 'rectification_http_requests_total', { ...route, status: '404' })).toBe(notFound + 1);
    expect(sampleValue(after, 'rectification_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(unmatched + 1);
    expect(sampleValue(after, 'rectification_http_request_duration_seconds_count', { ...route, status_class: '2xx' })).toBe(timed + 2);
    const routes = after.get('rectification_http_requests_total')!.samples.map((sample) => sample.labels.route);
    expect(routes.filter((label) => label.includes(id))).toEqual([]);
    expect(routes).toContain('/metrics');
  });

  it('reports the PostgreSQL pool\'s use, and nothing of a pool on SQLite', async () => {
    const families = await scrape();
    if (testDatabaseKind() === 'postgres') {
      expect(sampleValue(families, 'rectification_database_pool_max_connections')).toBe(20);
      const idle = sampleValue(families, 'rectification_database_pool_connections', { state: 'idle' })!;
      const busy = sampleValue(families, 'rectification_database_pool_connections', { state: 'busy' })!;
      expect(idle + busy).toBeGreaterThanOrEqual(1);
      expect(sampleValue(families, 'rectification_database_pool_waiting_requests')).toBe(0);
    } else {
      expect(families.has('rectification_database_pool_connections')).toBe(false);
    }
  });

  it('refuses a scrape without a token, with a wrong one, and with a user\'s that is not an admin\'s; takes an admin\'s', async () => {
    expectApiError(await t.http().get('/metrics'), 401, 'AUTH.MISSING_TOKEN');
    expectApiError(await t.http().get('/metrics').auth(`${SCRAPE_TOKEN}x`, { type: 'bearer' }), 401, 'AUTH.INVALID_TOKEN');
    expectApiError(await t.http().get('/metrics').auth(t.tokens.inspector, { type: 'bearer' }), 403, 'AUTH.FORBIDDEN');
    const byAdmin = await t.http().get('/metrics').auth(t.adminToken, { type: 'bearer' });
    expect(byAdmin.status).toBe(200);
    expect(sampleValue(parsePrometheusText(byAdmin.text), 'rectification_database_up')).toBe(1);
  });

  it('the scrape token opens nothing but /metrics', async () => {
    expectApiError(await t.http().get('/problems').auth(SCRAPE_TOKEN, { type: 'bearer' }), 401, 'AUTH.INVALID_TOKEN');
  });

  it('is left out of the API document', async () => {
    const document = await t.http().get('/docs-json');
    expect(Object.keys(document.body.paths as Record<string, unknown>)).not.toContain('/metrics');
  });
});

describe('GET /metrics with METRICS_PROBLEM_COUNTS_MS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ metrics: { cacheMs: 0, problemCountsMs: 3_600_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reuses the problem counts (they visit every problem) while reading the queues afresh at every scrape', async () => {
    // given a first scrape
    const scrape = async () => parsePrometheusText((await t.http().get('/metrics').auth(t.adminToken, { type: 'bearer' })).text);
    const first = await scrape();

    // when a problem is filed
    await new ProblemSteps(t).inStage('found');

    // then the outbox shows its event at once, while the counts are the ones read first
    const second = await scrape();
    expect(sampleValue(first, 'rectification_outbox_unpublished_events')).toBe(0);
    expect(sampleValue(second, 'rectification_outbox_unpublished_events')).toBe(1);
    expect(sampleValue(second, 'rectification_problems', { state: 'found' })).toBe(0);
  });
});

describe('GET /metrics with METRICS_ENABLED=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ metrics: { enabled: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404, as for a path that does not exist', async () => {
    expectApiError(await t.http().get('/metrics').auth(t.adminToken, { type: 'bearer' }), 404, 'ROUTE.NOT_FOUND');
  });
});

describe(parsePrometheusText.name, () => {
  it.each([
    ['a missing final line feed', '# TYPE a counter\na 1'],
    ['a bad metric name', '1a 1\n'],
    ['an unquoted label value', 'a{b=c} 1\n'],
    ['a bad escape in a label value', 'a{b="\\t"} 1\n'],
    ['a bad value', 'a 1,5\n'],
    ['a duplicate series', 'a{b="1"} 1\na{b="1"} 2\n'],
    ['a second TYPE', '# TYPE a gauge\n# TYPE a gauge\na 1\n'],
    ['a TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['a family split in two', '# TYPE a gauge\na{x="1"} 1\n# TYPE b gauge\nb 1\na{x="2"} 1\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['a histogram whose buckets decrease', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['a negative counter', '# TYPE c counter\nc -1\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });

  it('reads labels with escapes, special values and timestamps', () => {
    const families = parsePrometheusText('# HELP a Some \\\\ help\n# TYPE a gauge\na{b="x\\"y\\nz",c="2",} +Inf 1700000000000\na NaN\n');
    expect(families.get('a')).toMatchObject({ type: 'gauge', help: 'Some \\ help' });
    expect(sampleValue(families, 'a', { b: 'x"y\nz', c: '2' })).toBe(Number.POSITIVE_INFINITY);
    expect(sampleValue(families, 'a')).toBeNaN();
  });
});
