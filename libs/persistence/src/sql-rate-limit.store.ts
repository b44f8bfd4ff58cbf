import { RateLimitStore, type RateLimitWindow, windowStartOf } from '#identity';
import type { Database } from './database.js';

const SWEEP_EVERY_MS = 60_000;
const HIT =
  'INSERT INTO rate_limits (subject, window_start, ends_at, hits) VALUES (?, ?, ?, 1) ' +
  'ON CONFLICT (subject, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits';

/**
 * Counts in the rate_limits table, shared by every server on the database: one upsert per hit, whose row lock
 * makes concurrent hits on one key count one after the other. Each process deletes, at most once a minute, the
 * windows that ended over a minute ago (not at once: a server whose clock is a little behind may still count
 * in the last one).
 */
export class SqlRateLimitStore extends RateLimitStore {
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Database) {
    super();
  }

  async hit(key: string, now: Date, windowMs: number): Promise<RateLimitWindow> {
    const startsAt = windowStartOf(now, windowMs);
    const resetsAt = new Date(startsAt + windowMs);
    if (now.getTime() - this.sweptAt >= SWEEP_EVERY_MS) await this.sweep(now);
    // One statement committed by itself: atomic without a transaction around it, which would cost a BEGIN and
    // a COMMIT round trip on every request.
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ hits: number | string }>(HIT, [key, new Date(startsAt).toISOString(), resetsAt.toISOString()]),
    );
    return { count: Number(row.hits), resetsAt };
  }

  private async sweep(now: Date): Promise<void> {
    this.sweptAt = now.getTime();
    const endedBefore = new Date(now.getTime() - SWEEP_EVERY_MS).toISOString();
    await this.db.sqlRead((sql) => sql.run('DELETE FROM rate_limits WHERE ends_at < ?', [endedBefore]));
  }
}
