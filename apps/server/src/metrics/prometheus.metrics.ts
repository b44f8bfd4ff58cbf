import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DEADLINE_STATES, DOMAIN_EVENT_NAMES } from '#rectification';
import { PROBLEM_STATES } from '#domain';
import type { EventDeliveryMetrics, WebhookAttemptOutcome } from '#events';
import type { SchedulerMetrics, SweepFigures } from '#scheduler';
import type { FiguresReading } from './database-figures.js';

/** Every metric's name starts so; units are in the names (Prometheus conventions: seconds, `_total` for counters). */
export const METRIC_PREFIX = 'rectification_';

/** What a PostgreSQL pool (pg.Pool, under TypeORM's driver) says about its connections. */
export interface PoolFigures {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

const WEBHOOK_OUTCOMES: readonly WebhookAttemptOutcome[] = ['delivered', 'failed'];

/**
 * The server's metrics, in a registry of its own (not prom-client's global one, so several apps in one process,
 * as in the tests, do not collide). Counters move as the work happens in this process; gauges of what is in the
 * database are set from one reading just before each scrape. Binds the event-delivery and scheduler ports, so
 * those libraries report without knowing about Prometheus.
 */
export class PrometheusMetrics implements EventDeliveryMetrics, SchedulerMetrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route template (e.g. /problems/:id; "unmatched" before routing) and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, route template and status class (2xx, 4xx, 5xx).',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly publishedEvents = new Counter({
    name: `${METRIC_PREFIX}events_published_total`,
    help: 'Domain events the outbox relay of this process published, by type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: `${METRIC_PREFIX}webhook_attempts_total`,
    help: 'Webhook delivery attempts of this process, by outcome: delivered (2xx) or failed (retried with backoff).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly leaseRenewals = new Counter({
    name: `${METRIC_PREFIX}webhook_lease_renewals_total`,
    help: 'Leases of webhook deliveries in flight this process renewed (every third of WEBHOOK_LEASE_MS while an attempt runs).',
    registers: [this.registry],
  });
  private readonly leasesLost = new Counter({
    name: `${METRIC_PREFIX}webhook_leases_lost_total`,
    help: 'Webhook deliveries in flight whose lease this process lost (it ran out and another deliverer claimed them, or an admin redelivered): they may be sent twice.',
    registers: [this.registry],
  });
  private readonly recordRetries = new Counter({
    name: `${METRIC_PREFIX}webhook_record_retries_total`,
    help: 'Tries to record a webhook attempt that met the database out of reach and were made again after a pause.',
    registers: [this.registry],
  });
  private readonly timersFired = new Counter({
    name: `${METRIC_PREFIX}timers_fired_total`,
    help: 'Deadline timers (reminders, overdue, escalations) the scheduler of this process fired.',
    registers: [this.registry],
  });
  private readonly timerFailures = new Counter({
    name: `${METRIC_PREFIX}timer_failures_total`,
    help: 'Deadline timers whose firing failed in this process (retried once their lease runs out).',
    registers: [this.registry],
  });
  private readonly lastSweep = new Gauge({
    name: `${METRIC_PREFIX}scheduler_last_sweep_timestamp_seconds`,
    help: 'When the scheduler of this process last finished a sweep (Unix time); absent where no scheduler sweeps.',
    registers: [this.registry],
  });
  private readonly problems = new Gauge({
    name: `${METRIC_PREFIX}problems`,
    help: 'Problems by state (read at most every METRICS_PROBLEM_COUNTS_MS).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly openProblems = new Gauge({
    name: `${METRIC_PREFIX}open_problems`,
    help: 'Open problems (not closed or cancelled) by deadline state: onTrack, dueSoon, overdue, escalated, ... (read at most every METRICS_PROBLEM_COUNTS_MS).',
    labelNames: ['deadline_state'] as const,
    registers: [this.registry],
  });
  private readonly timersDue = new Gauge({
    name: `${METRIC_PREFIX}timers_due`,
    help: 'Deadline timers due now and not yet fired.',
    registers: [this.registry],
  });
  private readonly timersLate = new Gauge({
    name: `${METRIC_PREFIX}timers_late`,
    help: 'Deadline timers due more than 60 s ago and not yet fired: the scheduler is behind or not running.',
    registers: [this.registry],
  });
  private readonly oldestDueTimer = new Gauge({
    name: `${METRIC_PREFIX}timers_oldest_due_age_seconds`,
    help: 'How long the earliest unfired due timer has been due (0 when none is).',
    registers: [this.registry],
  });
  private readonly outboxBacklog = new Gauge({
    name: `${METRIC_PREFIX}outbox_unpublished_events`,
    help: 'Events in the outbox not yet published by a relay.',
    registers: [this.registry],
  });
  private readonly outboxAge = new Gauge({
    name: `${METRIC_PREFIX}outbox_oldest_unpublished_age_seconds`,
    help: 'How long the oldest unpublished event has waited in the outbox (0 when none waits).',
    registers: [this.registry],
  });
  private readonly deliveriesPending = new Gauge({
    name: `${METRIC_PREFIX}webhook_deliveries_pending`,
    help: 'Webhook deliveries not yet delivered (waiting, retrying, or held by a disabled subscription).',
    registers: [this.registry],
  });
  private readonly subscriptions = new Gauge({
    name: `${METRIC_PREFIX}webhook_subscriptions`,
    help: 'Webhook subscriptions by state: active, or disabled (after too many failures in a row, or by an admin).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly databaseUp = new Gauge({
    name: `${METRIC_PREFIX}database_up`,
    help: '1 when the database answered the last reading of these figures, 0 when it did not (they then keep their last values).',
    registers: [this.registry],
  });
  private readonly pool: { connections: Gauge<'state'>; max: Gauge; waiting: Gauge } | null;

  constructor(options: { postgresPool: boolean; defaultMetrics: boolean }) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    this.pool = options.postgresPool
      ? {
          connections: new Gauge({
            name: `${METRIC_PREFIX}database_pool_connections`,
            help: 'Open connections of the PostgreSQL pool, by state (idle, busy).',
            labelNames: ['state'] as const,
            registers: [this.registry],
          }),
          max: new Gauge({ name: `${METRIC_PREFIX}database_pool_max_connections`, help: 'Size of the PostgreSQL pool (DATABASE_POOL_SIZE).', registers: [this.registry] }),
          waiting: new Gauge({
            name: `${METRIC_PREFIX}database_pool_waiting_requests`,
            help: 'Units of work waiting for a pooled PostgreSQL connection: above 0 for long, the pool is saturated.',
            registers: [this.registry],
          }),
        }
      : null;
    // Known label values start at 0, so a first occurrence shows as an increase (rate() needs two points).
    for (const type of new Set(Object.values(DOMAIN_EVENT_NAMES))) this.publishedEvents.inc({ type }, 0);
    for (const outcome of WEBHOOK_OUTCOMES) this.attempts.inc({ outcome }, 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  requestAnswered(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, seconds);
  }

  eventsPublished(types: readonly string[]): void {
    for (const type of types) this.publishedEvents.inc({ type });
  }

  webhookAttempted(outcome: WebhookAttemptOutcome): void {
    this.attempts.inc({ outcome });
  }

  webhookLeasesRenewed(count: number): void {
    this.leaseRenewals.inc(count);
  }

  webhookLeaseLost(): void {
    this.leasesLost.inc();
  }

  webhookRecordRetried(): void {
    this.recordRetries.inc();
  }

  swept(figures: SweepFigures, at: Date): void {
    this.timersFired.inc(figures.fired);
    this.timerFailures.inc(figures.failed);
    this.lastSweep.set(at.getTime() / 1000);
  }

  /** The text exposition of every metric, the database figures and pool use set from the readings given. */
  async exposition(reading: FiguresReading, pool: PoolFigures | null): Promise<string> {
    this.databaseUp.set(reading.databaseUp ? 1 : 0);
    if (reading.databaseUp) {
      const { queues, problems: counts } = reading;
      // Every state is reported, 0 included, so a series does not vanish when its last problem moves on.
      for (const state of PROBLEM_STATES) this.problems.set({ state }, counts.byState.get(state) ?? 0);
      for (const state of DEADLINE_STATES) this.openProblems.set({ deadline_state: state }, counts.openByDeadlineState.get(state) ?? 0);
      this.timersDue.set(queues.timersDue);
      this.timersLate.set(queues.timersLate);
      this.oldestDueTimer.set(queues.oldestDueTimerAgeSeconds);
      this.outboxBacklog.set(queues.outboxBacklog);
      this.outboxAge.set(queues.oldestUnpublishedAgeSeconds);
      this.deliveriesPending.set(queues.webhookDeliveriesPending);
      this.subscriptions.set({ state: 'active' }, queues.webhookSubscriptions.active);
      this.subscriptions.set({ state: 'disabled' }, queues.webhookSubscriptions.disabled);
    }
    if (this.pool && pool) {
      this.pool.connections.set({ state: 'idle' }, pool.idle);
      this.pool.connections.set({ state: 'busy' }, pool.total - pool.idle);
      this.pool.max.set(pool.max);
      this.pool.waiting.set(pool.waiting);
    }
    return this.registry.metrics();
  }
}
