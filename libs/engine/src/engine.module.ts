import { type DynamicModule, Global, Module } from '@nestjs/common';
import { calendarFromSetting } from '../../calendar/src/index.js';
import { Clock, SystemClock } from '../../domain/src/index.js';
import { AccessPolicy } from './access-policy.js';
import { AuditTrail } from './audit-trail.js';
import { CalendarAdministration } from './calendar-administration.js';
import { CalendarProvider, SEED_CALENDAR } from './calendar.provider.js';
import { DEFAULT_EVIDENCE_OPTIONS, EVIDENCE_OPTIONS, type EvidenceOptions } from './evidence.options.js';
import { EvidenceService } from './evidence.service.js';
import { InspectionService } from './inspection.service.js';
import { DEFAULT_DEADLINE_HORIZON_YEARS, repeatPolicyFrom } from '../../../workflows/rectification/index.js';
import { DEADLINE_HORIZON_YEARS, REPEAT_POLICY } from './engine.tokens.js';
import { RectificationEngine } from './rectification.engine.js';
import { StoredCalendarProvider } from './stored-calendar.provider.js';

/**
 * The engine, the clock it reads and the organisation's business calendar (stored versions, seeded from the
 * national one); tests swap the clock with overrideProvider(Clock).
 */
/** The settings the engine takes from the environment (AppConfig), the same for server, worker and CLI. */
export interface EngineSettings {
  /** BUSINESS_CALENDAR: `CN` (the default) or another ISO country code. */
  businessCalendar?: string;
  businessTimeZone?: string;
  repeatWindowDays?: number;
  /** DEADLINE_HORIZON_YEARS: how many years ahead a deadline may lie. */
  deadlineHorizonYears?: number;
  evidence?: EvidenceOptions;
}

@Global()
@Module({})
export class EngineModule {
  static forRoot(settings: EngineSettings = {}): DynamicModule {
    return {
      module: EngineModule,
      providers: [
        { provide: Clock, useClass: SystemClock },
        {
          provide: SEED_CALENDAR,
          useFactory: () => calendarFromSetting(settings.businessCalendar ?? 'CN', new Date(), settings.businessTimeZone),
        },
        { provide: REPEAT_POLICY, useValue: repeatPolicyFrom(settings.repeatWindowDays) },
        { provide: DEADLINE_HORIZON_YEARS, useValue: settings.deadlineHorizonYears ?? DEFAULT_DEADLINE_HORIZON_YEARS },
        StoredCalendarProvider,
        { provide: CalendarProvider, useExisting: StoredCalendarProvider },
        AccessPolicy,
        RectificationEngine,
        CalendarAdministration,
        { provide: EVIDENCE_OPTIONS, useValue: settings.evidence ?? DEFAULT_EVIDENCE_OPTIONS },
        EvidenceService,
        AuditTrail,
        InspectionService,
      ],
      exports: [
        Clock,
        DEADLINE_HORIZON_YEARS,
        CalendarProvider,
        StoredCalendarProvider,
        AccessPolicy,
        RectificationEngine,
        CalendarAdministration,
        EVIDENCE_OPTIONS,
        EvidenceService,
        AuditTrail,
        InspectionService,
      ],
    };
  }
}
