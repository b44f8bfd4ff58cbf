import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  Clock,
  type Inspection,
  DomainError,
  GENESIS_HASH,
  historyEntryHash,
  InvalidTransitionError,
  newId,
  type ProblemFiling,
  type Severity,
  ProblemNotFoundError,
  VersionConflictError,
} from '../../domain/src/index.js';
import {
  acceptedEvents,
  applyEvent,
  raisedSeverity,
  type RepeatPolicy,
  DEFAULT_DEADLINE_POLICY,
  DEFAULT_EVIDENCE_POLICY,
  deadlineOutOfRange,
  evidenceRequirementFor,
  evidenceShortfall,
  OPTIONAL_EVIDENCE_POLICY,
  DOMAIN_EVENT_NAMES,
  ENGINE_SET_FIELDS,
  FILE_EVENT,
  mayFile,
  permissionError,
  RECTIFICATION_MACHINE_ID,
  RECTIFICATION_MACHINE_VERSION,
  type HumanEvent,
  type RectificationEvent,
  type RectificationEventType,
  type TimerEventType,
  ruleViolation,
  startRectification,
  stateDetail,
  deadlineState,
  isSuspended,
  type StoredSnapshot,
  type TimerEvent,
  topLevelState,
} from '../../../workflows/rectification/index.js';
import { addWorkingDays, computeDeadline, recomputeDeadline, workingDaysBetween } from '../../calendar/src/index.js';
import { AccessPolicy, type Caller, permissionFactsFor, scopeOf } from './access-policy.js';
import { CalendarProvider } from './calendar.provider.js';
import { EVIDENCE_OPTIONS, type EvidenceOptions } from './evidence.options.js';
import { EvidenceRepository } from './evidence.repository.js';
import { type InspectionSelector, InspectionService } from './inspection.service.js';
import { DEADLINE_HORIZON_YEARS, REPEAT_POLICY } from './engine.tokens.js';
import type { HistoryRecord, NoticeRecord, OutboxRecord, ProblemChange, ProblemRecord } from './problem.records.js';
import { planNextTimer } from './timer-plan.js';
import { type EscalationTarget, type FiledBatchItem, OrganisationDirectory, ProblemRepository } from './problem.repository.js';
import { allowedEventsFor } from './problem.view.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a caller sends it; the engine stamps time and actor before the machine sees it. */
export type RectificationCommand = DistributiveOmit<HumanEvent, 'at' | 'actorId'>;

/** One filing of a bulk import, with the key that makes importing it again a no-op. */
export interface BatchFiling {
  filing: ProblemFiling;
  importKey?: string;
}

/** A filing of the batch as it came out: the problem filed, or none and `duplicate` when its import key was taken. */
export type BatchFiled = { problem: ProblemRecord; duplicate: false } | { problem: null; duplicate: true };

/**
 * The only place that writes problem state. For each event: load the snapshot, check version and permission,
 * compute the next snapshot with XState's pure transition(), then commit snapshot + history + outbox in one
 * transaction guarded by the version (optimistic concurrency). No actor is kept in memory per problem.
 */
@Injectable()
export class RectificationEngine {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly organisation: OrganisationDirectory,
    private readonly access: AccessPolicy,
    private readonly calendars: CalendarProvider,
    private readonly clock: Clock,
    @Inject(REPEAT_POLICY) private readonly repeatPolicy: RepeatPolicy,
    private readonly evidence: EvidenceRepository,
    @Inject(EVIDENCE_OPTIONS) private readonly evidenceOptions: Pick<EvidenceOptions, 'requiredForSubmit'>,
    private readonly inspections: InspectionService,
    @Inject(DEADLINE_HORIZON_YEARS) private readonly deadlineHorizonYears: number,
  ) {}

  /** Files a problem as `who` (an actor, or a caller already resolved by AccessPolicy, as for send). */
  async file(who: Actor | Caller, filing: ProblemFiling): Promise<ProblemRecord> {
    const caller = 'actor' in who ? who : await this.access.callerFor(who);
    const { actor } = caller;
    assertMayFile(actor);
    const now = this.clock.now();
    // Refused before anything is written: naming a new inspection creates it.
    const deadline = filingDeadline(filing, now, this.deadlineHorizonYears);
    const inspection = await this.inspections.forFiling(caller, filing);
    const change = await this.filedChange(actor, filing, deadline, inspection, now);
    await this.problems.insertFiled(change);
    return change.problem;
  }

  /**
   * Files many problems in one go (bulk import): each is built exactly as file() builds it, and all are written
   * in one transaction. A filing whose import key its inspection already holds is skipped, never filed twice
   * (the key is claimed in the same transaction, under a unique constraint).
   */
  async fileBatch(actor: Actor, inspectionSelector: InspectionSelector, filings: BatchFiling[]): Promise<BatchFiled[]> {
    assertMayFile(actor);
    const now = this.clock.now();
    const deadlines = filings.map(({ filing }) => filingDeadline(filing, now, this.deadlineHorizonYears));
    const inspection = await this.inspections.forFiling(await this.access.callerFor(actor), inspectionSelector);
    // Keys imported before are known without building their problems (re-importing a file is cheap).
    const keys = filings.flatMap(({ importKey }) => (importKey !== undefined ? [importKey] : []));
    const taken = keys.length > 0 ? await this.problems.takenImportKeys(inspection.id, keys) : new Set<string>();
    const items: Array<FiledBatchItem | null> = [];
    for (const [index, { filing, importKey }] of filings.entries()) {
      if (importKey !== undefined && taken.has(importKey)) items.push(null);
      else items.push({ change: await this.filedChange(actor, filing, deadlines[index], inspection, now), ...(importKey === undefined ? {} : { importKey }) });
    }
    const toFile = items.filter((item): item is FiledBatchItem => item !== null);
    const duplicates = toFile.length > 0 ? await this.problems.insertFiledBatch(toFile) : new Set<string>();
    return items.map((item) =>
      item === null || duplicates.has(item.change.problem.id) ? { problem: null, duplicate: true } : { problem: item.change.problem, duplicate: false },
    );
  }

  /** A new problem as filed: snapshot, first history row and outbox event (one builder for file and fileBatch). */
  /** `deadline`: the filing's deadline as checked by filingDeadline, before anything was written. */
  private async filedChange(
    actor: Actor,
    filing: ProblemFiling,
    deadline: string | undefined,
    inspection: Inspection,
    now: Date,
  ): Promise<ProblemChange> {
    const at = now.toISOString();
    const repeat = await this.repeatOf(filing, inspection, now);
    const severity = repeat?.severity ?? filing.severity;
    const id = newId(now.getTime());
    const snapshot = startRectification({
      problemId: id,
      severity,
      filedBy: actor.userId,
      filedAt: at,
      ...(deadline === undefined ? {} : { deadline }),
    });
    const problem: ProblemRecord = {
      id,
      title: filing.title,
      description: filing.description,
      category: filing.category,
      severity,
      location: filing.location,
      inspectionId: inspection.id,
      inspectionRef: inspection.reference,
      requirement: filing.requirement,
      filedBy: actor.userId,
      filerDepartmentId: actor.departmentId,
      state: topLevelState(snapshot.value),
      stateDetail: stateDetail(snapshot.value),
      departmentId: null,
      responsiblePerson: null,
      deadline: deadline ?? null,
      deadlineState: deadlineState(snapshot.value),
      escalationLevel: 0,
      nextTimer: null,
      reworkCount: 0,
      version: 1,
      machineId: RECTIFICATION_MACHINE_ID,
      machineVersion: RECTIFICATION_MACHINE_VERSION,
      snapshot,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      repeatOf: repeat?.id ?? null,
      historyHash: null,
    };
    // The payload carries the severity the machine started with, so replay reproduces it; a repeat also
    // records what was reported and what it repeats.
    const payload = {
      ...filing,
      inspectionId: inspection.id,
      inspectionRef: inspection.reference,
      severity,
      ...(deadline === undefined ? {} : { deadline }),
      ...(repeat ? { repeatOf: repeat.id, reportedSeverity: filing.severity } : {}),
    };
    const history = this.historyRow(problem, FILE_EVENT, payload, actor, null, at, GENESIS_HASH);
    return {
      problem: { ...problem, historyHash: history.hash },
      history,
      outbox: this.outboxEvent(problem, FILE_EVENT, payload, actor, at),
    };
  }

  /** Sends one event as `who` (an actor, or a caller already resolved by AccessPolicy). */
  async send(
    who: Actor | Caller,
    problemId: string,
    command: RectificationCommand,
    expectedVersion?: number,
  ): Promise<ProblemRecord> {
    const caller = 'actor' in who ? who : await this.access.callerFor(who);
    const { actor } = caller;
    // Outside the caller's scope is indistinguishable from not existing.
    const current = await this.problems.findVisible(problemId, scopeOf(caller));
    if (!current) throw new ProblemNotFoundError(problemId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new VersionConflictError(expectedVersion, current.version);
    }
    const denied = permissionError(actor, command.type, permissionFactsFor(caller, current));
    if (denied) throw denied;

    const now = this.clock.now();
    const at = now.toISOString();
    const event = await this.withEvidence(
      this.withDeadline(normaliseEvent({ ...command, at, actorId: actor.userId } as HumanEvent), current, now),
      current,
    );
    const next = applyEvent(current.snapshot, event);
    if (!next) {
      throw new InvalidTransitionError(
        command.type,
        current.stateDetail,
        acceptedEvents(current.snapshot),
        allowedEventsFor(caller, current),
      );
    }
    const violation = ruleViolation(current.snapshot.context, event, now, this.deadlineHorizonYears);
    if (violation) throw violation;
    const evidencePolicy = this.evidenceOptions.requiredForSubmit ? DEFAULT_EVIDENCE_POLICY : OPTIONAL_EVIDENCE_POLICY;
    const shortfall = evidenceShortfall(
      evidenceRequirementFor(evidencePolicy, event.type, current.severity),
      event.type === 'SUBMIT' ? (event.evidence?.length ?? 0) : 0,
      current.severity,
    );
    if (shortfall) throw shortfall;
    const submittedEvidenceIds = event.type === 'SUBMIT' ? (event.evidence ?? []).map((file) => file.id) : [];
    const assignedDepartmentId = event.type === 'ASSIGN' || event.type === 'REASSIGN' ? event.departmentId : undefined;
    if (assignedDepartmentId !== undefined && !(await this.organisation.isActiveDepartment(assignedDepartmentId))) {
      throw new DomainError(
        'DEPARTMENT.UNKNOWN',
        `No active department with id ${assignedDepartmentId}; choose one of the organisation's departments.`,
        { field: 'departmentId' },
      );
    }

    const { problem, history } = this.transitioned(current, next, event, actor, at);
    const { at: _at, actorId: _actorId, ...payload } = event;
    const committed = await this.problems.commitTransition(
      {
        problem,
        history,
        outbox: this.outboxEvent(problem, event.type, payload, actor, at),
        ...(assignedDepartmentId === undefined ? {} : { assignedDepartmentId }),
        ...(submittedEvidenceIds.length === 0 ? {} : { submittedEvidenceIds }),
      },
      current.version,
    );
    if (!committed) {
      const latest = await this.problems.findById(problemId);
      throw new VersionConflictError(expectedVersion, latest?.version ?? current.version);
    }
    return problem;
  }

  /**
   * 屡查屡犯: a problem at the same location and of the same category as one closed within the policy's window is
   * a repeat; the consequence (by default) raises its severity one level.
   */
  private async repeatOf(filing: ProblemFiling, inspection: Inspection, now: Date): Promise<{ id: string; severity: Severity } | null> {
    const policy = this.repeatPolicy;
    if (policy.windowDays <= 0) return null;
    const since = new Date(now.getTime() - policy.windowDays * 86_400_000).toISOString();
    // Within the organisation the inspection belongs to: another organisation's problems are not looked at.
    const earlier = await this.problems.findRepeatCandidate(filing.category, filing.location, since, inspection.organisationId);
    if (!earlier) return null;
    return { id: earlier.id, severity: policy.consequence === 'raiseSeverity' ? raisedSeverity(filing.severity) : filing.severity };
  }

  /**
   * Fires a problem's due timer through the machine, as the system. Idempotent: it fires only if the problem
   * still waits for exactly this timer (same id, hence same version) and it is due; otherwise it does nothing
   * and says why. A concurrent change or a second scheduler loses the version race and fires nothing.
   */
  async fireTimer(problemId: string, timerId: string): Promise<'fired' | 'stale' | 'notDue'> {
    const current = await this.problems.findById(problemId);
    if (!current || current.nextTimer?.id !== timerId) return 'stale';
    return this.fireNextTimer(current);
  }

  /**
   * Fires the timer of a row a scheduler has just leased (claimDueTimers), without reading it again: a copy gone
   * stale meanwhile only loses the version race, as in fireTimer.
   */
  fireLeasedTimer(leased: ProblemRecord): Promise<'fired' | 'stale' | 'notDue'> {
    return this.fireNextTimer(leased);
  }

  private async fireNextTimer(current: ProblemRecord): Promise<'fired' | 'stale' | 'notDue'> {
    const timer = current.nextTimer;
    if (timer === null) return 'stale';
    const now = this.clock.now();
    if (Date.parse(timer.fireAt) > now.getTime()) return 'notDue';
    const at = now.toISOString();
    const event = { ...timer.event, at, actorId: SYSTEM_ACTOR.userId } as TimerEvent;
    const next = applyEvent(current.snapshot, event);
    if (!next) throw new Error(`Timer ${timer.id} planned an event the machine refuses in ${current.stateDetail}`);
    const { problem, history } = this.transitioned(current, next, event, SYSTEM_ACTOR, at);
    const { at: _at, actorId: _actorId, ...payload } = event;
    const committed = await this.problems.commitTransition(
      {
        problem,
        history,
        outbox: this.outboxEvent(problem, event.type, { ...payload, late: Date.parse(at) - Date.parse(event.scheduledFor) > LATE_AFTER_MS }, SYSTEM_ACTOR, at),
        notices: await this.noticesFor(problem, event, at),
      },
      current.version,
    );
    return committed ? 'fired' : 'stale';
  }

  /** The problem after an accepted event and the history row recording it, chained to the row before. */
  private transitioned(
    current: ProblemRecord,
    next: StoredSnapshot,
    event: RectificationEvent,
    actor: Actor,
    at: string,
  ): { problem: ProblemRecord; history: HistoryRecord } {
    const advanced = this.advance(current, next, at);
    const history = this.historyRow(advanced, event.type, event, actor, current.stateDetail, at, current.historyHash);
    return { problem: { ...advanced, historyHash: history.hash }, history };
  }

  /** The record after a transition: denormalised columns, version + 1, and the next timer planned from it. */
  private advance(current: ProblemRecord, next: StoredSnapshot, at: string): ProblemRecord {
    const { context } = next;
    const version = current.version + 1;
    return {
      ...current,
      state: topLevelState(next.value),
      stateDetail: stateDetail(next.value),
      departmentId: context.departmentId,
      responsiblePerson: context.responsiblePerson,
      deadline: context.deadline,
      deadlineState: deadlineState(next.value),
      escalationLevel: context.escalationLevel,
      nextTimer: planNextTimer(current.id, version, next, DEFAULT_DEADLINE_POLICY, this.calendars.current()),
      reworkCount: context.reworkCount,
      version,
      machineId: RECTIFICATION_MACHINE_ID,
      machineVersion: RECTIFICATION_MACHINE_VERSION,
      snapshot: next,
      updatedAt: at,
      closedAt: context.closedAt,
    };
  }

  /**
   * An escalation creates a supervision notice (督办单) for the level's recipients, up the department tree; an
   * overdue verification, one for the office of whoever filed the problem.
   */
  private async noticesFor(problem: ProblemRecord, event: TimerEvent, at: string): Promise<NoticeRecord[]> {
    let target: EscalationTarget | null = null;
    let level = 0;
    if (event.type === 'ESCALATE' && problem.departmentId) {
      const step = DEFAULT_DEADLINE_POLICY.escalation.find((candidate) => candidate.level === event.level);
      if (step) target = await this.organisation.escalationTarget(problem.departmentId, step.recipients);
      level = event.level;
    } else if (event.type === 'VERIFICATION_OVERDUE' && problem.filerDepartmentId) {
      target = await this.organisation.escalationTarget(problem.filerDepartmentId, 'departmentHead');
    }
    if (!target) return [];
    return [
      {
        id: newId(),
        problemId: problem.id,
        problemVersion: problem.version,
        kind: event.type === 'ESCALATE' ? 'escalation' : 'verification',
        level,
        recipientDepartmentId: target.departmentId,
        recipientUserId: target.headUserId,
        createdAt: at,
      },
    ];
  }

  /**
   * ASSIGN settles the deadline before the machine sees it, so that replay needs no calendar: an explicit one is
   * kept as given; without one (and none from filing) the policy's working days for the severity are counted on
   * the organisation's calendar, and the event records the calendar version used.
   */
  private withDeadline(event: HumanEvent, current: ProblemRecord, now: Date): HumanEvent {
    const { context } = current.snapshot;
    if (event.type === 'APPROVE_EXTENSION') {
      // Approving without a date grants the date asked for.
      const pending = context.pendingRequest;
      if (event.deadline !== undefined || pending?.kind !== 'extension') return event;
      return { ...event, deadline: pending.proposedDeadline };
    }
    if (event.type === 'RESUME') return this.withSuspensionCounted(event, current, now);
    if (event.type === 'RECOUNT_DEADLINE') return this.withDeadlineRecounted(event, current);
    if (event.type !== 'ASSIGN' && event.type !== 'REOPEN') return event;
    if (event.deadline !== undefined) return { ...event, deadlineBasis: { kind: 'explicit', setAt: event.at } };
    // ASSIGN keeps a deadline given at filing; a reopened problem always gets a new one.
    if (event.type === 'ASSIGN' && current.snapshot.context.deadline !== null) return event;
    const policy = DEFAULT_DEADLINE_POLICY;
    const workingDays = policy.rectificationWorkingDays[current.severity];
    const deadline = computeDeadline(this.calendars.current(), now, workingDays);
    return {
      ...event,
      deadline: deadline.dueAt,
      deadlineBasis: {
        kind: 'policy',
        policyId: policy.id,
        policyVersion: policy.version,
        calendarId: deadline.calendarId,
        calendarVersion: deadline.calendarVersion,
        from: deadline.from,
        workingDays,
        provisional: deadline.provisional,
      },
    };
  }

  /**
   * RECOUNT_DEADLINE: a deadline the policy counted is counted again on the calendar version in force now, from the
   * same start and with the same number of working days, and the event carries the new deadline and its basis (new
   * calendar version), so replay needs no calendar. An explicit deadline, or one already counted on the current
   * version, is left as it is: the rules refuse those (after the state check, so a wrong state stays a 409).
   */
  private withDeadlineRecounted(event: HumanEvent & { type: 'RECOUNT_DEADLINE' }, current: ProblemRecord): HumanEvent {
    const { deadline, deadlineBasis: basis } = current.snapshot.context;
    const calendar = this.calendars.current();
    if (basis?.kind !== 'policy' || deadline === null) return event;
    if (basis.calendarId === calendar.id && basis.calendarVersion === calendar.version) return event;
    const recounted = recomputeDeadline(
      {
        calendarId: basis.calendarId,
        calendarVersion: basis.calendarVersion,
        from: basis.from,
        workingDays: basis.workingDays,
        dueAt: deadline,
        provisional: basis.provisional,
      },
      calendar,
    );
    return {
      ...event,
      deadline: recounted.dueAt,
      deadlineBasis: {
        ...basis,
        calendarId: recounted.calendarId,
        calendarVersion: recounted.calendarVersion,
        from: recounted.from,
        workingDays: recounted.workingDays,
        provisional: recounted.provisional,
      },
    };
  }

  /**
   * SUBMIT carries the rectification evidence uploaded since the last submission (ids, SHA-256, names), listed in
   * the event before the machine sees it, so the history and the outbox say which files were handed in; the same
   * transaction links those rows to the submission's version.
   */
  private async withEvidence(event: HumanEvent, current: ProblemRecord): Promise<HumanEvent> {
    if (event.type !== 'SUBMIT') return event;
    const files = await this.evidence.unsubmitted(current.id, 'rectification');
    if (files.length === 0) return event;
    return { ...event, evidence: files.map((file) => ({ id: file.id, sha256: file.sha256, name: file.originalName })) };
  }

  /**
   * RESUME: the working days the suspension covered (from its approval to now, the start's own day not counted,
   * as for any deadline) are counted on the organisation's calendar and the deadline moved by as many, so the
   * suspended time is excluded. Done before the machine sees the event, which carries the result, so replay needs
   * no calendar.
   */
  private withSuspensionCounted(event: HumanEvent & { type: 'RESUME' }, current: ProblemRecord, now: Date): HumanEvent {
    const { context } = current.snapshot;
    if (!isSuspended(context)) return event;
    const open = context.suspensions[context.suspensions.length - 1];
    const calendar = this.calendars.current();
    const suspendedWorkingDays = Math.max(0, workingDaysBetween(calendar, open.from, now));
    const deadline =
      context.deadline === null || suspendedWorkingDays === 0
        ? context.deadline
        : addWorkingDays(calendar, context.deadline, suspendedWorkingDays).toISOString();
    return {
      ...event,
      suspendedWorkingDays,
      ...(deadline === null ? {} : { deadline }),
      calendarId: calendar.id,
      calendarVersion: calendar.version,
    };
  }

  private historyRow(
    problem: ProblemRecord,
    eventType: string,
    payload: object,
    actor: Actor,
    fromState: string | null,
    at: string,
    previousHash: string | null,
  ): HistoryRecord {
    const entry = {
      id: newId(),
      problemId: problem.id,
      version: problem.version,
      eventType,
      payload: payload as Record<string, unknown>,
      actorId: actor.userId,
      actorName: actor.name,
      actorRole: actor.role,
      fromState,
      toState: problem.stateDetail,
      occurredAt: at,
    };
    // A problem from before the chain existed (never migrated) starts its chain here.
    return { ...entry, hash: historyEntryHash(previousHash ?? GENESIS_HASH, entry) };
  }

  private outboxEvent(
    problem: ProblemRecord,
    eventType: RectificationEventType | TimerEventType | typeof FILE_EVENT,
    data: object,
    actor: Actor,
    at: string,
  ): OutboxRecord {
    const id = newId();
    const type = DOMAIN_EVENT_NAMES[eventType];
    return {
      id,
      type,
      problemId: problem.id,
      problemVersion: problem.version,
      occurredAt: at,
      payload: {
        id,
        type,
        occurredAt: at,
        problem: {
          id: problem.id,
          version: problem.version,
          state: problem.state,
          stateDetail: problem.stateDetail,
          severity: problem.severity,
          departmentId: problem.departmentId,
          deadline: problem.deadline,
        },
        actor: { id: actor.userId, name: actor.name, role: actor.role },
        data,
      },
    };
  }
}

/** Timer events are performed by the system itself, recorded as such in the history. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', name: 'System (scheduler)', role: 'system', departmentId: null };

/** A timer fired more than this after it fell due is marked late (after downtime, or a busy scheduler). */
const LATE_AFTER_MS = 60_000;

/** Instants a caller may give, stored in one canonical form (UTC, milliseconds) so they compare as text. */
const CALLER_INSTANTS = ['deadline', 'proposedDeadline'] as const;

/** Drops the fields only the engine fills in (ENGINE_SET_FIELDS) and puts the caller's instants in canonical form. */
function normaliseEvent(event: HumanEvent): HumanEvent {
  const engineSet = new Set(ENGINE_SET_FIELDS[event.type] ?? []);
  const fields = Object.entries(event)
    .filter(([key]) => !engineSet.has(key))
    .map(([key, value]) =>
      (CALLER_INSTANTS as readonly string[]).includes(key) && typeof value === 'string' ? [key, new Date(value).toISOString()] : [key, value],
    );
  return Object.fromEntries(fields) as HumanEvent;
}

function assertMayFile(actor: Actor): void {
  if (!mayFile(actor)) {
    throw new DomainError('AUTH.FORBIDDEN', `A user with role ${actor.role} may not file problems.`, { role: actor.role });
  }
}

/** The filing's deadline as an instant, refused when it is not a deadline one may set now. */
function filingDeadline(filing: ProblemFiling, now: Date, horizonYears: number): string | undefined {
  const deadline = filing.deadline === undefined ? undefined : new Date(filing.deadline).toISOString();
  const outOfRange = deadlineOutOfRange(deadline, now, horizonYears);
  if (outOfRange) throw outOfRange;
  return deadline;
}
