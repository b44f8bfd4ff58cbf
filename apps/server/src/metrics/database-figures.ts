import { performance } from 'node:perf_hooks';
import { Clock, PROBLEM_STATES } from '#domain';
import { Database } from '#persistence';

/** A timer due longer ago than this and still not fired counts as late: the scheduler sweeps every second or so. */
export const TIMER_LATE_AFTER_MS = 60_000;

const OPEN_STATES = PROBLEM_STATES.filter((state) => state !== 'closed' && state !== 'cancelled');

/** What /metrics reads from the database about work waiting: the same on every server, whoever does the work. */
export interface QueueFigures {
  timersDue: number;
  timersLate: number;
  /** How long the earliest due, unfired timer has been due (0 when none is). */
  oldestDueTimerAgeSeconds: number;
  outboxBacklog: number;
  /** How long the oldest unpublished event has waited (0 when none waits). */
  oldestUnpublishedAgeSeconds: number;
  webhookDeliveriesPending: number;
  webhookSubscriptions: { active: number; disabled: number };
}

/** Problems by state, and open ones by deadline state (a closed or cancelled problem's clock is stopped for good). */
export interface ProblemCounts {
  byState: Map<string, number>;
  openByDeadlineState: Map<string, number>;
}

export type FiguresReading = { databaseUp: true; queues: QueueFigures; problems: ProblemCounts } | { databaseUp: false };

/** How long readings are reused: METRICS_CACHE_MS for the queues, METRICS_PROBLEM_COUNTS_MS for the counts. */
export interface FigureTiming {
  cacheMs: number;
  problemCountsMs: number;
}

/**
 * Reads the figures for a scrape, in two parts that cost very differently:
 * - the queues (due and late timers, the outbox, pending deliveries) are range scans on ix_problems_next_timer,
 *   ix_outbox_events_unpublished and ix_webhook_deliveries_due, proportional to what waits: well under a
 *   millisecond with a million problems. They are what alerts watch, so they are read afresh (within cacheMs);
 * - the problem counts must visit every problem (ix_problems_state; the open ones' rows for their deadline state):
 *   about half a second with a million on SQLite, where it holds up writes meanwhile. They feed dashboards, so
 *   they are read at most every problemCountsMs.
 * Concurrent scrapes share one reading of each.
 */
export class DatabaseFigureReader {
  private readonly queues: CachedReading<QueueFigures>;
  private readonly problems: CachedReading<ProblemCounts>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    timing: FigureTiming,
  ) {
    this.queues = new CachedReading(() => this.readQueues(), timing.cacheMs);
    this.problems = new CachedReading(() => this.readProblemCounts(), timing.problemCountsMs);
  }

  async read(): Promise<FiguresReading> {
    try {
      const [queues, problems] = await Promise.all([this.queues.get(), this.problems.get()]);
      return { databaseUp: true, queues, problems };
    } catch {
      return { databaseUp: false };
    }
  }

  private async readQueues(): Promise<QueueFigures> {
    const now = this.clock.now();
    const lateIso = new Date(now.getTime() - TIMER_LATE_AFTER_MS).toISOString();
    return this.db.sqlRead(async (sql) => {
      const [timers] = await sql.all<{ due: number | string; late: number | string | null; oldest: string | null }>(
        'SELECT COUNT(*) AS due, SUM(CASE WHEN next_timer_at <= ? THEN 1 ELSE 0 END) AS late, MIN(next_timer_at) AS oldest ' +
          'FROM problems WHERE next_timer_at <= ?',
        [lateIso, now.toISOString()],
      );
      const [backlog] = await sql.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL');
      // The relay publishes in id order (time-ordered ids), so the first unpublished id is the oldest waiting.
      const [oldestEvent] = await sql.all<{ occurredAt: string }>(
        'SELECT occurred_at AS "occurredAt" FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT 1',
      );
      const [pending] = await sql.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'");
      const subscriptions = await sql.all<{ active: boolean | number; n: number | string }>(
        'SELECT active, COUNT(*) AS n FROM webhook_subscriptions GROUP BY active',
      );
      const withActive = (active: boolean) =>
        subscriptions.filter((row) => Boolean(row.active) === active).reduce((sum, row) => sum + Number(row.n), 0);
      return {
        timersDue: Number(timers?.due ?? 0),
        timersLate: Number(timers?.late ?? 0),
        oldestDueTimerAgeSeconds: ageSeconds(now, timers?.oldest ?? null),
        outboxBacklog: Number(backlog?.n ?? 0),
        oldestUnpublishedAgeSeconds: ageSeconds(now, oldestEvent?.occurredAt ?? null),
        webhookDeliveriesPending: Number(pending?.n ?? 0),
        webhookSubscriptions: { active: withActive(true), disabled: withActive(false) },
      };
    });
  }

  private async readProblemCounts(): Promise<ProblemCounts> {
    // Two reads, not one: on SQLite, writes waiting in the queue get their turn in between.
    const byState = await this.db.sqlRead((sql) => sql.all<{ state: string; n: number | string }>('SELECT state, COUNT(*) AS n FROM problems GROUP BY state'));
    const byDeadline = await this.db.sqlRead((sql) =>
      sql.all<{ deadlineState: string | null; n: number | string }>(
        `SELECT deadline_state AS "deadlineState", COUNT(*) AS n FROM problems WHERE state IN (${OPEN_STATES.map(() => '?').join(', ')}) GROUP BY deadline_state`,
        OPEN_STATES,
      ),
    );
    const openByDeadlineState = new Map<string, number>();
    for (const row of byDeadline) {
      // Rows written before the deadline region existed have none: read as notSet, as the API does.
      const key = row.deadlineState ?? 'notSet';
      openByDeadlineState.set(key, (openByDeadlineState.get(key) ?? 0) + Number(row.n));
    }
    return { byState: new Map(byState.map((row) => [row.state, Number(row.n)])), openByDeadlineState };
  }
}

/** A reading reused for `ttlMs` (monotonic time, not the business clock) and shared by concurrent callers; failures are not kept. */
class CachedReading<T> {
  private cached: { at: number; value: T } | null = null;
  private inFlight: Promise<T> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<T> {
    if (this.cached && performance.now() - this.cached.at < this.ttlMs) return Promise.resolve(this.cached.value);
    this.inFlight ??= this.read()
      .then((value) => {
        this.cached = { at: performance.now(), value };
        return value;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}

function ageSeconds(now: Date, since: string | null): number {
  return since === null ? 0 : Math.max(0, (now.getTime() - Date.parse(since)) / 1000);
}
