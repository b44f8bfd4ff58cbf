import { type DynamicModule, Global, Module } from '@nestjs/common';
import { calendarFromSetting } from '#calendar';
import { Clock, SystemClock } from '#domain';
import { AccessPolicy } from '#access';
import { AuditTrail } from './audit-trail.js';
import { CalendarAdministration } from './calendar-administration.js';
import { CalendarProvider, SEED_CALENDAR } from './calendar.provider.js';
import { DeadlinePolicyAdministration, DeadlinePolicyProvider } from './deadline-policies.js';
import { DEFAULT_EVIDENCE_OPTIONS, EVIDENCE_OPTIONS, type EvidenceOptions } from './evidence.options.js';
import { EvidenceService } from './evidence.service.js';
import { InspectionService } from './inspection.service.js';
import {
  DEFAULT_DEADLINE_HORIZON_YEARS,
  DEFAULT_EVIDENCE_POLICY,
  OPTIONAL_EVIDENCE_POLICY,
  repeatPolicyFrom,
  type WorkflowPolicies,
} from '#rectification';
import { DEADLINE_HORIZON_YEARS, WORKFLOW_POLICIES } from './engine.tokens.js';
import { ProblemDeadlines } from './problem-deadlines.js';
import { ProblemFiler } from './problem-filing.js';
import { RectificationEngine } from './rectification.engine.js';
import { StoredCalendarProvider } from './stored-calendar.provider.js';

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

/**
 * The engine, the clock it reads and the organisation's business calendar (stored versions, seeded from the
 * national one); tests swap the clock with overrideProvider(Clock).
 */
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
        { provide: WORKFLOW_POLICIES, useValue: workflowPolicies(settings) },
        { provide: DEADLINE_HORIZON_YEARS, useValue: workflowPolicies(settings).deadlineHorizonYears },
        StoredCalendarProvider,
        { provide: CalendarProvider, useExisting: StoredCalendarProvider },
        DeadlinePolicyProvider,
        DeadlinePolicyAdministration,
        AccessPolicy,
        ProblemFiler,
        RectificationEngine,
        ProblemDeadlines,
        CalendarAdministration,
        { provide: EVIDENCE_OPTIONS, useValue: settings.evidence ?? DEFAULT_EVIDENCE_OPTIONS },
        EvidenceService,
        AuditTrail,
        InspectionService,
      ],
      exports: [
        Clock,
        DEADLINE_HORIZON_YEARS,
        WORKFLOW_POLICIES,
        CalendarProvider,
        StoredCalendarProvider,
        DeadlinePolicyProvider,
        DeadlinePolicyAdministration,
        AccessPolicy,
        RectificationEngine,
        ProblemDeadlines,
        CalendarAdministration,
        EVIDENCE_OPTIONS,
        EvidenceService,
        AuditTrail,
        InspectionService,
      ],
    };
  }
}

/** The policies the workflow runs under, from the settings: one object, injected wherever a step is decided. */
function workflowPolicies(settings: EngineSettings): WorkflowPolicies {
  const requiredForSubmit = (settings.evidence ?? DEFAULT_EVIDENCE_OPTIONS).requiredForSubmit;
  return {
    evidence: requiredForSubmit ? DEFAULT_EVIDENCE_POLICY : OPTIONAL_EVIDENCE_POLICY,
    repeat: repeatPolicyFrom(settings.repeatWindowDays),
    deadlineHorizonYears: settings.deadlineHorizonYears ?? DEFAULT_DEADLINE_HORIZON_YEARS,
  };
}
