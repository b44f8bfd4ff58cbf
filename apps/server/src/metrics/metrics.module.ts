import { type DynamicModule, Module } from '@nestjs/common';
import type { MetricsOptions } from '#config';
import { EventDeliveryMetrics } from '#events';
import { IdentityModule } from '#identity';
import { Database } from '#persistence';
import { SchedulerMetrics } from '#scheduler';
import { METRICS_OPTIONS, MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { PrometheusMetrics } from './prometheus.metrics.js';

/**
 * GET /metrics (unless METRICS_ENABLED=false) and the registry behind it. Global, so the relay, the webhook
 * deliverer and the scheduler find their metrics ports bound here.
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      imports: [IdentityModule],
      controllers: options.enabled ? [MetricsController] : [],
      providers: [
        { provide: METRICS_OPTIONS, useValue: options },
        {
          provide: PrometheusMetrics,
          useFactory: (db: Database) => new PrometheusMetrics({ postgresPool: !db.isSqlite, defaultMetrics: options.enabled }),
          inject: [Database],
        },
        { provide: EventDeliveryMetrics, useExisting: PrometheusMetrics },
        { provide: SchedulerMetrics, useExisting: PrometheusMetrics },
        MetricsService,
        MetricsAccessGuard,
      ],
      exports: [PrometheusMetrics, EventDeliveryMetrics, SchedulerMetrics],
    };
  }
}
