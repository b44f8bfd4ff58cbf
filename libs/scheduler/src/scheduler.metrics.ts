/** One sweep's figures, as the scheduler reports them (its SweepResult). */
export interface SweepFigures {
  fired: number;
  stale: number;
  failed: number;
}

/**
 * Port: what the deadline scheduler reports for monitoring after each sweep (bound by the server's metrics;
 * unbound, nothing is counted). Whether timers are late is read from the database at scrape time instead, so it
 * holds whichever process runs the scheduler.
 */
export abstract class SchedulerMetrics {
  abstract swept(figures: SweepFigures, at: Date): void;
}
