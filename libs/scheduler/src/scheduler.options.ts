/** Settings of the deadline scheduler (SCHEDULER_INTERVAL_MS, SCHEDULER_BATCH_SIZE, SCHEDULER_LEASE_MS). */
export interface SchedulerOptions {
  /** How often the scheduler sweeps for due timers; 0: never (tests and the CLI sweep by hand). */
  intervalMs: number;
  /** Timers leased per claim. */
  batchSize: number;
  /** How long a claimed timer stays with one scheduler; a crashed scheduler's timers are picked up after it. */
  leaseMs: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { intervalMs: 1000, batchSize: 200, leaseMs: 60_000 };

export const SCHEDULER_OPTIONS = Symbol('SCHEDULER_OPTIONS');
