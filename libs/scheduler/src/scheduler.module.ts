import { type DynamicModule, Module } from '@nestjs/common';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { HistorySealer } from './history-sealer.js';
import { DEFAULT_SCHEDULER_OPTIONS, SCHEDULER_OPTIONS, type SchedulerOptions } from './scheduler.options.js';

@Module({})
export class SchedulerModule {
  static forRoot(options: Partial<SchedulerOptions> = {}): DynamicModule {
    return {
      module: SchedulerModule,
      providers: [{ provide: SCHEDULER_OPTIONS, useValue: { ...DEFAULT_SCHEDULER_OPTIONS, ...options } }, DeadlineScheduler, HistorySealer],
      exports: [DeadlineScheduler, HistorySealer],
    };
  }
}
