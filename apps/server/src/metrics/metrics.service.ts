import { Inject, Injectable } from '@nestjs/common';
import type { MetricsOptions } from '#config';
import { Clock } from '#domain';
import { Database } from '#persistence';
import { DatabaseFigureReader } from './database-figures.js';
import { METRICS_OPTIONS } from './metrics-access.guard.js';
import { type PoolFigures, PrometheusMetrics } from './prometheus.metrics.js';

/** pg.Pool's counters, as TypeORM's PostgreSQL driver holds the pool (`driver.master`). */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/** One scrape: the database figures (cached for METRICS_CACHE_MS), the pool's use at this moment, then the text. */
@Injectable()
export class MetricsService {
  private readonly figures: DatabaseFigureReader;

  constructor(
    private readonly metrics: PrometheusMetrics,
    private readonly db: Database,
    clock: Clock,
    @Inject(METRICS_OPTIONS) options: MetricsOptions,
  ) {
    this.figures = new DatabaseFigureReader(db, clock, options);
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    const reading = await this.figures.read();
    return { contentType: this.metrics.contentType, body: await this.metrics.exposition(reading, this.pool()) };
  }

  private pool(): PoolFigures | null {
    if (this.db.isSqlite) return null;
    const pool = (this.db.dataSource.driver as unknown as { master?: PgPoolCounters }).master;
    if (!pool) return null;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
  }
}
