import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { RateLimitStore, type RateLimitWindow } from '#identity';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';

export interface FallbackOptions {
  /** A shared store slower than this counts as failed. */
  timeoutMs: number;
  /** After a failure the shared store is left alone this long before it is tried again. */
  retryAfterMs: number;
}

export const DEFAULT_FALLBACK_OPTIONS: FallbackOptions = { timeoutMs: 1000, retryAfterMs: 5000 };

/**
 * The shared store while it answers; this process's own count while it does not (Redis or the database down or
 * slow). Falling back rather than letting every request through: a limit is wanted most when something is wrong,
 * and a count per process is what a single server always had (with N servers, at most N times the limit).
 * The switch is logged once each way, and the shared store is tried again every `retryAfterMs`.
 */
export class FallbackRateLimitStore extends RateLimitStore {
  private readonly local = new MemoryRateLimitStore();
  private readonly logger = new Logger('RateLimits');
  private failing = false;
  private retryAt = 0;

  constructor(
    private readonly shared: RateLimitStore,
    private readonly name: string,
    private readonly options: FallbackOptions = DEFAULT_FALLBACK_OPTIONS,
  ) {
    super();
  }

  async hit(key: string, now: Date, windowMs: number): Promise<RateLimitWindow> {
    if (this.failing && performance.now() < this.retryAt) return this.local.hit(key, now, windowMs);
    try {
      const window = await withTimeout(this.shared.hit(key, now, windowMs), this.options.timeoutMs);
      if (this.failing) {
        this.failing = false;
        this.logger.log(`Rate limits are counted in ${this.name} again`);
      }
      return window;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(
          `Rate limits cannot be counted in ${this.name} (${(error as Error).message}): counting in this process until it answers again`,
        );
      }
      this.failing = true;
      this.retryAt = performance.now() + this.options.retryAfterMs;
      return this.local.hit(key, now, windowMs);
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
