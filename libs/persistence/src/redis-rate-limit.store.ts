import { Redis } from 'ioredis';
import { RateLimitStore, type RateLimitWindow, windowStartOf } from '#identity';

/**
 * Counts in Redis (REDIS_URL), shared by every server using it: INCR and PEXPIRE in one MULTI, a key per window.
 * A key outlives its window by one more, then Redis drops it.
 */
export class RedisRateLimitStore extends RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'rectification:rate-limit:',
  ) {
    super();
  }

  async hit(key: string, now: Date, windowMs: number): Promise<RateLimitWindow> {
    const startsAt = windowStartOf(now, windowMs);
    const resetsAt = startsAt + windowMs;
    const redisKey = `${this.prefix}${key}:${startsAt}`;
    const replies = await this.redis.multi().incr(redisKey).pexpire(redisKey, resetsAt - now.getTime() + windowMs).exec();
    const [failed, count] = replies?.[0] ?? [new Error('Redis discarded the transaction'), null];
    if (failed) throw failed;
    return { count: Number(count), resetsAt: new Date(resetsAt) };
  }
}

/**
 * A client that fails a command at once while it is not connected (no offline queue: a request must not wait
 * for Redis to come back) and reconnects by itself, backing off to 2 s. Its errors go to `onError`.
 */
export function connectRedis(url: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    // How long a shutdown waits for the socket to close; its timer outlives a socket that was already lost.
    disconnectTimeout: 200,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  redis.on('error', onError);
  // A failed first connection is retried like a lost one; until then commands fail (and are counted elsewhere).
  redis.connect().catch(onError);
  return redis;
}
