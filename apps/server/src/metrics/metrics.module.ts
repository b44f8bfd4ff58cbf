import { type DynamicModule, Module } from '@nestjs/common';
import type { MetricsOptions } from '../../../../libs/config/src/index.js';
import { EventDeliveryMetrics } from '../../../../libs/events/src/index.js';
import { IdentityModule } from '../../../../libs/identity/src/index.js';
import { Database } from '../../../../libs/persistence/src/index.js';
import { SchedulerMetrics } from '../../../../libs/scheduler/src/index.js';
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
