import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { type AppConfig, DEFAULT_IMPORT_OPTIONS, DEFAULT_METRICS_OPTIONS } from '#config';
import { EngineModule } from '#engine';
import { EventsModule } from '#events';
import { DEFAULT_SIGN_IN_OPTIONS, IdentityModule, SignInOptionsModule } from '#identity';
import { DEFAULT_NOTIFY_OPTIONS, NotifyModule } from '#notify';
import { defaultRateLimitStore, PersistenceModule, RateLimitStoreModule } from '#persistence';
import { SchedulerModule } from '#scheduler';
import { AdminModule } from './admin/admin.module.js';
import { AuthController } from './auth/auth.controller.js';
import { BearerAuthGuard } from './common/auth.js';
import { GlobalExceptionFilter } from './common/global-exception.filter.js';
import { AddressRateLimitGuard, RATE_LIMIT_PER_MINUTE, TokenRateLimitGuard } from './common/rate-limit.guard.js';
import { createValidationPipe } from './common/validation.js';
import { EventsController } from './events/events.controller.js';
import { HealthController } from './health/health.controller.js';
import { MeController } from './me/me.controller.js';
import { DepartmentsDirectoryController } from './me/departments-directory.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { SheetsModule } from './sheets/sheets.module.js';
import { ProblemsModule } from './problems/problems.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';

/** Registered as APP_* providers (not in main.ts) so tests built from this module behave like the server. */
@Module({})
export class AppModule {
  static forRoot(
    config: Pick<AppConfig, 'database' | 'rateLimitPerMinute' | 'events' | 'scheduler'> &
      Partial<Pick<AppConfig, 'businessCalendar' | 'businessTimeZone' | 'rateLimitStore' | 'repeatWindowDays' | 'deadlineHorizonYears' | 'imports' | 'evidence' | 'metrics' | 'signIn' | 'notify'>>,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The server names its evidence store, checked against the database's other servers at start-up (without
        // evidence settings, as in the benches, it takes the one the database records and writes no marker).
        PersistenceModule.forRoot(config.database, config.evidence ? { evidenceStore: config.evidence.store, evidenceDir: config.evidence.dir } : {}),
        // Counted per process on SQLite, in the database (or Redis) the servers share on PostgreSQL.
        RateLimitStoreModule.forRoot(config.rateLimitStore ?? defaultRateLimitStore(config.database)),
        EngineModule.forRoot(config),
        SignInOptionsModule.forRoot(config.signIn ?? DEFAULT_SIGN_IN_OPTIONS),
        IdentityModule,
        EventsModule.forRoot(config.events),
        // The server runs the scheduler in-process by default (SCHEDULER_INTERVAL_MS=0 leaves it to workers).
        SchedulerModule.forRoot(config.scheduler),
        // Planning and sending notifications run in-process by default too (NOTIFY_INTERVAL_MS=0: left to workers).
        NotifyModule.forRoot(config.notify ?? DEFAULT_NOTIFY_OPTIONS),
        ProblemsModule.forRoot(config.imports ?? DEFAULT_IMPORT_OPTIONS),
        EvidenceModule,
        AdminModule,
        NotificationsModule,
        LedgerModule,
        SheetsModule,
        MetricsModule.forRoot(config.metrics ?? DEFAULT_METRICS_OPTIONS),
      ],
      controllers: [HealthController, MeController, DepartmentsDirectoryController, EventsController, AuthController],
      providers: [
        { provide: RATE_LIMIT_PER_MINUTE, useValue: config.rateLimitPerMinute },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        // Guards run in this order: a coarse limit per address (so a flood of made-up tokens is throttled
        // too), authentication, then the limit per token.
        { provide: APP_GUARD, useClass: AddressRateLimitGuard },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: TokenRateLimitGuard },
      ],
    };
  }
}
