import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { EngineModule } from '#engine';
import { EventsModule } from '#events';
import { DEFAULT_NOTIFY_OPTIONS, NotifyModule } from '#notify';
import { PersistenceModule } from '#persistence';
import { SchedulerModule } from '#scheduler';
import { KeepAlive } from './keep-alive.js';

/**
 * The worker: the deadline scheduler, the outbox relay / webhook delivery and notifications, without HTTP. Run any number
 * beside the servers on PostgreSQL (start the servers with SCHEDULER_INTERVAL_MS=0 and EVENT_RELAY_INTERVAL_MS=0
 * to leave this work to the workers); leases and SKIP LOCKED share it out.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: Pick<AppConfig, 'database' | 'events' | 'scheduler' | 'businessCalendar' | 'businessTimeZone'> &
      Partial<Pick<AppConfig, 'repeatWindowDays' | 'notify'>>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        // No evidence settings: a worker never reads or writes evidence content, so it takes the store the database
        // records and is not checked (nor does it record its host's directory for the servers).
        PersistenceModule.forRoot(config.database),
        EngineModule.forRoot(config),
        EventsModule.forRoot(config.events),
        SchedulerModule.forRoot(config.scheduler),
        NotifyModule.forRoot(config.notify ?? DEFAULT_NOTIFY_OPTIONS),
      ],
      providers: [KeepAlive],
    };
  }
}
