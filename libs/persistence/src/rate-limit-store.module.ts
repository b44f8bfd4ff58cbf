import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimitStore } from '#identity';
import type { DatabaseOptions } from './data-source.js';
import { Database } from './database.js';
import { FallbackRateLimitStore } from './fallback-rate-limit.store.js';
import { MemoryRateLimitStore } from './memory-rate-limit.store.js';
import { connectRedis, RedisRateLimitStore } from './redis-rate-limit.store.js';
import { SqlRateLimitStore } from './sql-rate-limit.store.js';

export const RATE_LIMIT_STORE_KINDS = ['memory', 'database', 'redis'] as const;

/** RATE_LIMIT_STORE: where the servers count requests (memory: each process its own). */
export type RateLimitStoreOptions = { kind: 'memory' } | { kind: 'database' } | { kind: 'redis'; url: string };

/** One process on SQLite counts in memory; servers sharing PostgreSQL count in it. */
export function defaultRateLimitStore(database: DatabaseOptions): RateLimitStoreOptions {
  return database.kind === 'postgres' ? { kind: 'database' } : { kind: 'memory' };
}

const REDIS = Symbol('RATE_LIMIT_REDIS');

/** Binds RateLimitStore to the configured adapter; a shared one falls back to memory while it fails. */
@Module({})
export class RateLimitStoreModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  static forRoot(options: RateLimitStoreOptions): DynamicModule {
    const logger = new Logger('RateLimits');
    return {
      module: RateLimitStoreModule,
      providers: [
        {
          provide: REDIS,
          // Every reconnection attempt reports an error: kept to debug, the fallback warns once per outage.
          useFactory: () => (options.kind === 'redis' ? connectRedis(options.url, (error) => logger.debug(`Redis: ${error.message}`)) : null),
        },
        {
          provide: RateLimitStore,
          inject: [Database, REDIS],
          useFactory: (db: Database, redis: Redis | null): RateLimitStore => {
            if (options.kind === 'memory') return new MemoryRateLimitStore();
            if (options.kind === 'database') return new FallbackRateLimitStore(new SqlRateLimitStore(db), 'the database');
            return new FallbackRateLimitStore(new RedisRateLimitStore(redis!), 'Redis');
          },
        },
      ],
      exports: [RateLimitStore],
    };
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
