/** One key's fixed window after a hit: how many hits it holds, this one included, and when it ends. */
export interface RateLimitWindow {
  count: number;
  resetsAt: Date;
}

/**
 * Where request limits are counted. Windows are aligned to the clock (a minute window runs from :00 to :60), so
 * every process sharing a store agrees which window a hit falls in without asking anyone.
 */
export abstract class RateLimitStore {
  /** Adds one hit to `key`'s window holding `now`, atomically across everyone sharing the store. */
  abstract hit(key: string, now: Date, windowMs: number): Promise<RateLimitWindow>;
}

/** The start of the window of `windowMs` that holds `now`. */
export function windowStartOf(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs) * windowMs;
}
