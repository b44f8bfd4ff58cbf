import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type BusinessCalendar, chinaCalendar } from '../../calendar/src/index.js';
import { Clock, SystemClock } from '../../domain/src/index.js';
import { AccessPolicy } from './access-policy.js';
import { CalendarAdministration } from './calendar-administration.js';
import { CalendarProvider, SEED_CALENDAR } from './calendar.provider.js';
import { RectificationEngine } from './rectification.engine.js';
import { StoredCalendarProvider } from './stored-calendar.provider.js';

/**
 * The engine, the clock it reads and the organisation's business calendar (stored versions, seeded from the
 * national one); tests swap the clock with overrideProvider(Clock).
 */
@Global()
@Module({})
export class EngineModule {
  static forRoot(options: { calendar?: BusinessCalendar } = {}): DynamicModule {
    return {
      module: EngineModule,
      providers: [
        { provide: Clock, useClass: SystemClock },
        { provide: SEED_CALENDAR, useFactory: () => options.calendar ?? chinaCalendar() },
        StoredCalendarProvider,
        { provide: CalendarProvider, useExisting: StoredCalendarProvider },
        AccessPolicy,
        RectificationEngine,
        CalendarAdministration,
      ],
      exports: [Clock, CalendarProvider, StoredCalendarProvider, AccessPolicy, RectificationEngine, CalendarAdministration],
    };
  }
}
