import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type BusinessCalendar, chinaCalendar } from '../../calendar/src/index.js';
import { Clock, SystemClock } from '../../domain/src/index.js';
import { AccessPolicy } from './access-policy.js';
import { CalendarAdministration } from './calendar-administration.js';
import { CalendarProvider, SEED_CALENDAR } from './calendar.provider.js';
import { DEFAULT_EVIDENCE_OPTIONS, EVIDENCE_OPTIONS, type EvidenceOptions } from './evidence.options.js';
import { EvidenceService } from './evidence.service.js';
import { DEFAULT_REPEAT_POLICY, type RepeatPolicy } from '../../../workflows/rectification/index.js';
import { REPEAT_POLICY } from './engine.tokens.js';
import { RectificationEngine } from './rectification.engine.js';
import { StoredCalendarProvider } from './stored-calendar.provider.js';

/**
 * The engine, the clock it reads and the organisation's business calendar (stored versions, seeded from the
 * national one); tests swap the clock with overrideProvider(Clock).
 */
@Global()
@Module({})
export class EngineModule {
  static forRoot(options: { calendar?: BusinessCalendar; repeatPolicy?: RepeatPolicy; evidence?: EvidenceOptions } = {}): DynamicModule {
    return {
      module: EngineModule,
      providers: [
        { provide: Clock, useClass: SystemClock },
        { provide: SEED_CALENDAR, useFactory: () => options.calendar ?? chinaCalendar() },
        { provide: REPEAT_POLICY, useValue: options.repeatPolicy ?? DEFAULT_REPEAT_POLICY },
        StoredCalendarProvider,
        { provide: CalendarProvider, useExisting: StoredCalendarProvider },
        AccessPolicy,
        RectificationEngine,
        CalendarAdministration,
        { provide: EVIDENCE_OPTIONS, useValue: options.evidence ?? DEFAULT_EVIDENCE_OPTIONS },
        EvidenceService,
      ],
      exports: [
        Clock,
        CalendarProvider,
        StoredCalendarProvider,
        AccessPolicy,
        RectificationEngine,
        CalendarAdministration,
        EVIDENCE_OPTIONS,
        EvidenceService,
      ],
    };
  }
}
