import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '#domain';
import { ProblemRepository, RectificationEngine } from '#engine';
import { Repeating } from './repeating.js';
import { SchedulerMetrics } from './scheduler.metrics.js';
import { SCHEDULER_OPTIONS, type SchedulerOptions } from './scheduler.options.js';

export interface SweepResult {
  /** Timers fired through the engine. */
  fired: number;
  /** Claimed timers that had already been fired or replaced (another scheduler or a concurrent change won). */
  stale: number;
  failed: number;
}

/** Rounds of claim-and-fire in one sweep; a catch-up after a long outage may need several per problem. */
const MAX_ROUNDS = 10_000;

/**
 * Fires due deadline timers through the engine. Each problem's next timer is a column written with its state;
 * a sweep leases the due ones in batches (SKIP LOCKED on PostgreSQL, so several schedulers share the work) and
 * fires them in fire-time order. Firing is idempotent (the timer id names the problem version it was planned
 * from), so a timer fires at most once; a lease that expires after a crash lets another scheduler fire it.
 * After downtime every step that fell due fires, in order, each marked late.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineScheduler');
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly repeating: Repeating;

  constructor(
    private readonly problems: ProblemRepository,
    private readonly engine: RectificationEngine,
    private readonly clock: Clock,
    @Inject(SCHEDULER_OPTIONS) private readonly options: SchedulerOptions,
    @Optional() private readonly metrics?: SchedulerMetrics,
  ) {
    this.repeating = new Repeating(options.intervalMs, () => this.sweep(), (error) =>
      this.logger.error(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.repeating.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.repeating.stop();
  }

  /** Fires everything due now, batch after batch, until nothing is due. */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { fired: 0, stale: 0, failed: 0 };
    for (let round = 0; round < MAX_ROUNDS && !this.repeating.isStopped; round += 1) {
      const now = this.clock.now();
      const claimed = await this.problems.claimDueTimers(
        now.toISOString(),
        this.options.batchSize,
        this.owner,
        new Date(now.getTime() + this.options.leaseMs).toISOString(),
      );
      if (claimed.length === 0) break;
      let progressed = false;
      for (const problem of claimed) {
        try {
          const outcome = await this.engine.fireLeasedTimer(problem);
          if (outcome === 'fired') {
            result.fired += 1;
            progressed = true;
          } else {
            result.stale += 1;
          }
        } catch (error) {
          result.failed += 1;
          // Left leased: it is retried when the lease runs out, not hammered in this sweep.
          this.logger.error(`Timer ${problem.nextTimer?.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (!progressed) break;
    }
    this.metrics?.swept(result, this.clock.now());
    return result;
  }
}
