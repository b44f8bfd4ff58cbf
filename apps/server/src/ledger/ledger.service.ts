import { Injectable } from '@nestjs/common';
import { addDays, instantAt, localDateAt } from '#calendar';
import { type Actor, Clock, type RankingThresholds } from '#domain';
import { CalendarProvider, DeadlinePolicyProvider, NoticeRepository, type ProblemFilter, type ProblemRecord, ProblemRepository } from '#engine';
import { AccessPolicy, scopeOf, type ProblemScope } from '#access';
import { IdentityRepository } from '#identity';
import {
  DashboardAccumulator,
  type DashboardFigures,
  type LedgerRow,
  type LedgerSummaryGroup,
  measureProblem,
  RankingAccumulator,
  type RankingRow,
  SummaryAccumulator,
  WorkingDayCounter,
} from '#ledger';
import { defaultStepName, isSuspended, TRAFFIC_LIGHTS, type TrafficLight } from '#rectification';
import { inspectionFilter } from '../problems/problems.service.js';
import type { LedgerFilters } from './dto/ledger.query.dto.js';
import { commaList } from '../problems/dto/list-problems.query.dto.js';

/** Rows read per query when walking the whole ledger (exports, summary): memory stays flat at any size. */
export const LEDGER_BATCH_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 500;

export interface LedgerPage {
  items: LedgerRow[];
  nextCursor: string | null;
}

export interface LedgerSummaryView {
  /** How `onTimeRate` is counted, stated with the figures. */
  onTimeRateDefinition: string;
  all: LedgerSummaryGroup;
  byDepartment: LedgerSummaryGroup[];
  byInspection: LedgerSummaryGroup[];
}

export interface RankingView {
  /** How the figures are counted, stated with them. */
  definition: string;
  /** The thresholds of the lists, from the deadline policy in force. */
  thresholds: RankingThresholds;
  policy: { id: string; version: number; name: string };
  /** The period of found dates ranked (inclusive local dates); null: from the first, up to now. */
  from: string | null;
  to: string | null;
  departments: RankingRow[];
}

export const RANKING_DEFINITION =
  'Per responsible department, the problems found in the period as they stand now. On-time rate (original deadline) = closed by the deadline first given / closed, ' +
  'so extensions cannot hide lateness; the rate with extensions counts those closed by the extended deadline too. Escalated: reached an escalation step (by its supervision notices). ' +
  'Ranked by the rate against the original deadline (none last), then fewer overdue, fewer escalated, fewer working days to close. Problems not assigned yet are not ranked.';

export interface DashboardView extends DashboardFigures<TrafficLight> {
  /** How the figures are counted, stated with them. */
  definition: string;
  /** The zone the weeks are in (the business calendar's), and today there. */
  timeZone: string;
  today: string;
  /** The deadline policy version whose ladder names the steps. */
  policy: { id: string; version: number; name: string };
}

export const DASHBOARD_DEFINITION =
  'Over the problems in scope matching the filters, as they stand now. Lights: open problems per responsible department per traffic light (none while not assigned, ' +
  'with the verifier, suspended, finished). Ladder: problems whose deadline state is escalated, per step they stand at, named as the deadline policy in force names it. ' +
  "Trend: per week (Monday to Sunday in the business calendar's time zone), problems found in it and problems closed out in it (a reopened problem is not closed).";

/** What one walk over the ledger needs once: the caller's scope, the filter, department names, calendar and now. */
interface LedgerReading {
  scope: ProblemScope;
  filter: ProblemFilter;
  departmentNames: Map<string, string>;
  workingDays: WorkingDayCounter;
  now: Date;
}

export const ON_TIME_RATE_DEFINITION =
  '(on time + on time after extension) / closed, where closed = on time + on time after extension + late; cancelled and open problems are not in it';

const UNASSIGNED = { zh: '未分派', en: 'unassigned' } as const;

@Injectable()
export class LedgerService {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly access: AccessPolicy,
    private readonly calendars: CalendarProvider,
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
    private readonly policies: DeadlinePolicyProvider,
    private readonly notices: NoticeRepository,
  ) {}

  async page(actor: Actor, query: LedgerFilters & { cursor?: string; limit?: number }): Promise<LedgerPage> {
    const reading = await this.reading(actor, query);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    // One row more than asked tells whether another page exists.
    const records = await this.problems.listOldestFirst({ ...reading.filter, after: query.cursor, limit: limit + 1 }, reading.scope);
    const items = await this.rowsOf(records.slice(0, limit), reading);
    return { items, nextCursor: records.length > limit ? items[items.length - 1].id : null };
  }

  /** Every row in scope matching the filters, a batch at a time, in id order. */
  async *rows(actor: Actor, query: LedgerFilters): AsyncGenerator<LedgerRow[]> {
    const reading = await this.reading(actor, query);
    let after: string | undefined;
    for (;;) {
      const records = await this.problems.listOldestFirst({ ...reading.filter, after, limit: LEDGER_BATCH_SIZE }, reading.scope);
      if (records.length === 0) return;
      yield await this.rowsOf(records, reading);
      if (records.length < LEDGER_BATCH_SIZE) return;
      after = records[records.length - 1].id;
    }
  }

  async summary(actor: Actor, query: LedgerFilters, lang: 'zh' | 'en' = 'en'): Promise<LedgerSummaryView> {
    const all = new SummaryAccumulator();
    const departments = new Map<string | null, { name: string; sums: SummaryAccumulator }>();
    const inspections = new Map<string, SummaryAccumulator>();
    for await (const batch of this.rows(actor, query)) {
      for (const row of batch) {
        const input = { outcome: row.outcome, workingDaysToClose: row.workingDaysToClose, extensions: row.extensions, reworkRounds: row.reworkRounds };
        all.add(input);
        let department = departments.get(row.departmentId);
        if (!department) {
          department = { name: row.department ?? UNASSIGNED[lang], sums: new SummaryAccumulator() };
          departments.set(row.departmentId, department);
        }
        department.sums.add(input);
        let inspection = inspections.get(row.inspection);
        if (!inspection) inspections.set(row.inspection, (inspection = new SummaryAccumulator()));
        inspection.add(input);
      }
    }
    const byName = (a: LedgerSummaryGroup, b: LedgerSummaryGroup) => a.name.localeCompare(b.name) || (a.key ?? '').localeCompare(b.key ?? '');
    return {
      onTimeRateDefinition: ON_TIME_RATE_DEFINITION,
      all: { groupBy: 'all', key: null, name: lang === 'zh' ? '合计' : 'all', ...all.result() },
      byDepartment: [...departments.entries()]
        .map(([key, { name, sums }]): LedgerSummaryGroup => ({ groupBy: 'department', key, name, ...sums.result() }))
        .sort(byName),
      byInspection: [...inspections.entries()]
        .map(([key, sums]): LedgerSummaryGroup => ({ groupBy: 'inspection', key, name: key, ...sums.result() }))
        .sort(byName),
    };
  }

  /**
   * The departments ranked (部门排名) over the period, each on its list (红黄黑榜) by the thresholds of the deadline
   * policy in force: the ledger's rows in the caller's scope, summed per responsible department.
   */
  async ranking(actor: Actor, query: LedgerFilters): Promise<RankingView> {
    const ranking = new RankingAccumulator();
    for await (const batch of this.rows(actor, query)) {
      for (const row of batch) {
        if (row.departmentId === null) continue;
        ranking.add({
          departmentId: row.departmentId,
          department: row.department ?? row.departmentId,
          outcome: row.outcome,
          workingDaysToClose: row.workingDaysToClose,
          extensions: row.extensions,
          reworkRounds: row.reworkRounds,
          escalated: row.highestEscalationLevel > 0,
        });
      }
    }
    const policy = this.policies.current();
    return {
      definition: RANKING_DEFINITION,
      thresholds: policy.ranking,
      policy: { id: policy.id, version: policy.version, name: policy.name },
      from: query.from ?? null,
      to: query.to ?? null,
      departments: ranking.result(policy.ranking),
    };
  }

  /**
   * The supervision dashboard (督办驾驶舱): the lights per department, the ladder's open steps and found against
   * closed per week, over every problem in scope matching the filters (as the summary reads them: one walk).
   */
  async dashboard(actor: Actor, query: Omit<LedgerFilters, 'from' | 'to'>, weeks: number): Promise<DashboardView> {
    const reading = await this.reading(actor, query);
    const zone = this.calendars.current().timeZone;
    const today = localDateAt(reading.now, zone);
    const dashboard = new DashboardAccumulator(TRAFFIC_LIGHTS, today, weeks);
    let after: string | undefined;
    for (;;) {
      const records = await this.problems.listOldestFirst({ ...reading.filter, after, limit: LEDGER_BATCH_SIZE }, reading.scope);
      for (const record of records) {
        dashboard.add({
          departmentId: record.departmentId,
          department: record.departmentId === null ? null : (reading.departmentNames.get(record.departmentId) ?? null),
          light: record.light,
          escalatedLevel: record.deadlineState === 'escalated' ? record.escalationLevel : null,
          foundOn: localDateAt(record.createdAt, zone),
          closedOn: record.closedAt === null ? null : localDateAt(record.closedAt, zone),
        });
      }
      if (records.length < LEDGER_BATCH_SIZE) break;
      after = records[records.length - 1].id;
    }
    const policy = this.policies.current();
    return {
      definition: DASHBOARD_DEFINITION,
      timeZone: zone,
      today,
      policy: { id: policy.id, version: policy.version, name: policy.name },
      ...dashboard.result(policy.escalation, defaultStepName),
    };
  }

  /** The business calendar's time zone, in which exports write dates. */
  timeZone(): string {
    return this.calendars.current().timeZone;
  }

  private async reading(actor: Actor, query: LedgerFilters): Promise<LedgerReading> {
    const caller = await this.access.callerFor(actor);
    // Days overdue and days to close are counted on the organisation's current calendar (not the version each
    // deadline was stamped with): one calendar for the whole ledger, so its figures add up.
    const calendar = this.calendars.current();
    const departments = await this.identities.listDepartments();
    return {
      scope: scopeOf(caller),
      filter: {
        state: query.state,
        departmentId: query.department,
        severity: query.severity,
        ...inspectionFilter(query.inspection),
        text: query.text,
        lights: commaList<TrafficLight>(query.light),
        // The period is of found dates, whole local days in the calendar's zone: [from 00:00, the day after `to` 00:00).
        filedFrom: query.from ? instantAt(query.from, '00:00', calendar.timeZone).toISOString() : undefined,
        filedBefore: query.to ? instantAt(addDays(query.to, 1), '00:00', calendar.timeZone).toISOString() : undefined,
        limit: LEDGER_BATCH_SIZE,
      },
      departmentNames: new Map(departments.map((department) => [department.id, department.name])),
      workingDays: new WorkingDayCounter(calendar),
      now: this.clock.now(),
    };
  }

  /** The rows of a batch of problems, with the highest escalation level their notices record (one query). */
  private async rowsOf(records: ProblemRecord[], reading: LedgerReading): Promise<LedgerRow[]> {
    const levels = await this.notices.highestEscalationLevels(records.map((record) => record.id));
    return records.map((record) => this.rowOf(record, reading, levels.get(record.id) ?? 0));
  }

  private rowOf(record: ProblemRecord, reading: LedgerReading, noticedLevel: number): LedgerRow {
    const context = record.snapshot.context;
    const suspensions = context.suspensions ?? [];
    const measures = measureProblem(
      {
        state: record.state,
        foundAt: record.createdAt,
        originalDeadline: context.originalDeadline ?? null,
        deadline: record.deadline,
        submittedAt: context.submission?.at ?? null,
        closedAt: record.closedAt,
        suspendedSince: isSuspended(context) ? suspensions[suspensions.length - 1].from : null,
      },
      reading.workingDays,
      reading.now,
    );
    return {
      id: record.id,
      inspection: record.inspectionRef,
      title: record.title,
      location: record.location,
      category: record.category,
      severity: record.severity,
      departmentId: record.departmentId,
      department: record.departmentId === null ? null : (reading.departmentNames.get(record.departmentId) ?? null),
      responsiblePerson: context.plan?.responsiblePerson ?? record.responsiblePerson,
      plannedCompletionDate: context.plan?.plannedCompletionDate ?? null,
      latestProgress: context.latestProgress ?? null,
      foundAt: record.createdAt,
      originalDeadline: context.originalDeadline ?? null,
      deadline: record.deadline,
      extensions: context.extensionCount ?? 0,
      state: record.state,
      stateDetail: record.stateDetail,
      light: record.light,
      daysOverdue: measures.daysOverdue,
      highestEscalationLevel: Math.max(noticedLevel, context.escalationLevel, ...context.extensions.map((extension) => extension.clockBefore.escalationLevel)),
      reworkRounds: record.reworkCount,
      closedAt: record.closedAt,
      completedAt: measures.completedAt,
      outcome: measures.outcome,
      repeatOf: record.repeatOf ?? null,
      workingDaysToClose: measures.workingDaysToClose,
    };
  }
}
