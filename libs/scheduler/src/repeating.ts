/**
 * Runs a piece of work every `intervalMs` (never when it is 0), one round at a time: the next round is planned when
 * the last has ended, so a slow round never overlaps the next. The timer does not keep the process alive; stop()
 * waits for a round in progress. A round that fails is the work's to log (it is caught here so the loop goes on).
 */
export class Repeating {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly round: () => Promise<unknown>,
    private readonly failed: (error: unknown) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    if (this.intervalMs > 0) this.next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private next(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch(this.failed)
        .finally(() => this.next());
    }, this.intervalMs);
    this.timer.unref();
  }
}
