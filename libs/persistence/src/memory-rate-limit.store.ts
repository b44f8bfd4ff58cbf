import { RateLimitStore, type RateLimitWindow, windowStartOf } from '#identity';

/** Counts in this process's memory: right for one process (SQLite), and the fallback while a shared store fails. */
export class MemoryRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<string, { startsAt: number; count: number }>();

  async hit(key: string, now: Date, windowMs: number): Promise<RateLimitWindow> {
    const startsAt = windowStartOf(now, windowMs);
    let window = this.windows.get(key);
    if (!window || window.startsAt !== startsAt) {
      if (this.windows.size >= 10_000) this.forgetOlderThan(startsAt);
      window = { startsAt, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetsAt: new Date(startsAt + windowMs) };
  }

  private forgetOlderThan(startsAt: number): void {
    for (const [key, window] of this.windows) {
      if (window.startsAt < startsAt) this.windows.delete(key);
    }
  }
}
