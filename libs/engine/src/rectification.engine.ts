import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  Clock,
  InvalidTransitionError,
  type ProblemFiling,
  ProblemNotFoundError,
  UnknownDepartmentError,
  VersionConflictError,
} from '#domain';
import { AccessPolicy, type Caller, type EscalationTarget, OrganisationDirectory, permissionFactsFor, scopeOf } from '#access';
import {
  acceptedEvents,
  evidenceHandedInWith,
  fireTimer,
  type HumanEvent,
  type NoticeIntent,
  type StepEnvironment,
  type SubmittedEvidence,
  takeEvent,
  type TakenStep,
  type TimerEvent,
  type WorkflowPolicies,
} from '#rectification';
import { CalendarProvider } from './calendar.provider.js';
import { DeadlinePolicyProvider } from './deadline-policies.js';
import { WORKFLOW_POLICIES } from './engine.tokens.js';
import { EvidenceRepository } from './evidence.repository.js';
import type { InspectionSelector } from './inspection.service.js';
import { changeFor } from './problem-changes.js';
import { type BatchFiled, type BatchFiling, ProblemFiler } from './problem-filing.js';
import type { ProblemRecord } from './problem.records.js';
import { ProblemRepository } from './problem.repository.js';
import { allowedEventsFor } from './problem.view.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a caller sends it; the engine stamps time and actor before the machine sees it. */
export type RectificationCommand = DistributiveOmit<HumanEvent, 'at' | 'actorId'>;

/** Timer events are performed by the system itself, recorded as such in the history. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', name: 'System (scheduler)', role: 'system', departmentId: null };

/**
 * The only place that writes problem state. For each event: load the problem, let the workflow decide the step
 * (workflows/rectification/rectification.step.ts: permission, deadlines, transition, rules, timer, effects), then
 * commit snapshot + history + outbox + notices in one transaction guarded by the version (optimistic concurrency).
 * A person's event and a due timer share that commit. No actor is kept in memory per problem.
 */
@Injectable()
export class RectificationEngine {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly organisation: OrganisationDirectory,
    private readonly access: AccessPolicy,
    private readonly calendars: CalendarProvider,
    private readonly deadlinePolicies: DeadlinePolicyProvider,
    private readonly clock: Clock,
    private readonly evidence: EvidenceRepository,
    private readonly filer: ProblemFiler,
    @Inject(WORKFLOW_POLICIES) private readonly policies: WorkflowPolicies,
  ) {}

  /** Files a problem as `who` (an actor, or a caller already resolved by AccessPolicy). */
  file(who: Actor | Caller, filing: ProblemFiling): Promise<ProblemRecord> {
    return this.filer.file(who, filing);
  }

  /** Files many problems in one transaction (bulk import); see ProblemFiler.fileBatch. */
  fileBatch(actor: Actor, inspection: InspectionSelector, filings: BatchFiling[]): Promise<BatchFiled[]> {
    return this.filer.fileBatch(actor, inspection, filings);
  }

  /** Sends one event as `who` (an actor, or a caller already resolved by AccessPolicy). */
  async send(who: Actor | Caller, problemId: string, command: RectificationCommand, expectedVersion?: number): Promise<ProblemRecord> {
    const caller = 'actor' in who ? who : await this.access.callerFor(who);
    const { actor } = caller;
    // Outside the caller's scope is indistinguishable from not existing.
    const current = await this.problems.findVisible(problemId, scopeOf(caller));
    if (!current) throw new ProblemNotFoundError(problemId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new VersionConflictError(expectedVersion, current.version);
    }
    await this.deadlinePolicies.ensure(current.snapshot.context.deadlineBasis);
    const env = this.environment();
    const at = env.now.toISOString();
    const event = { ...command, at, actorId: actor.userId } as HumanEvent;
    const handedIn = await this.handedIn(event, current);
    const step = takeEvent(current, event, actor, permissionFactsFor(caller, current), handedIn, env);
    if (!step.taken) {
      if ('refusal' in step) throw step.refusal;
      throw new InvalidTransitionError(command.type, current.stateDetail, acceptedEvents(current.snapshot), allowedEventsFor(caller, current));
    }
    const assigned = step.effects.assignedDepartmentId;
    if (assigned !== undefined && !(await this.organisation.isActiveDepartment(assigned))) {
      throw new UnknownDepartmentError(assigned, 'departmentId');
    }
    const committed = await this.commit(current, step, actor, at);
    if (!committed) {
      const latest = await this.problems.findById(problemId);
      throw new VersionConflictError(expectedVersion, latest?.version ?? current.version);
    }
    return committed;
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
    if (Date.parse(timer.fireAt) > this.clock.now().getTime()) return 'notDue';
    await this.deadlinePolicies.ensure(current.snapshot.context.deadlineBasis);
    const env = this.environment();
    const at = env.now.toISOString();
    const event = { ...timer.event, at, actorId: SYSTEM_ACTOR.userId } as TimerEvent;
    return (await this.commit(current, fireTimer(current, event, env), SYSTEM_ACTOR, at)) ? 'fired' : 'stale';
  }

  /**
   * The one commit path: the step's rows, with its notices addressed along the department tree, written only if the
   * problem is still at the version the step was decided on. The new record, or null when another change won.
   */
  private async commit(current: ProblemRecord, step: TakenStep, actor: Actor, at: string): Promise<ProblemRecord | null> {
    const recipients = new Map<NoticeIntent, EscalationTarget>();
    for (const intent of step.effects.notices) {
      const target = await this.organisation.escalationTarget(intent.from, intent.recipients);
      if (target) recipients.set(intent, target);
    }
    const sheet = step.effects.sheet ? await this.organisation.supervisingParties(step.effects.sheet.departmentId) : null;
    const change = changeFor(current, step, actor, at, { recipients, sheet, calendar: this.calendars.current() });
    return (await this.problems.commitTransition(change, current.version)) ? change.problem : null;
  }

  /** The evidence the event hands in (SUBMIT: the rectification files uploaded since the last submission). */
  private async handedIn(event: HumanEvent, current: ProblemRecord): Promise<SubmittedEvidence[]> {
    const kind = evidenceHandedInWith(event.type);
    if (kind === null) return [];
    const files = await this.evidence.unsubmitted(current.id, kind);
    return files.map((file) => ({ id: file.id, sha256: file.sha256, name: file.originalName }));
  }

  private environment(): StepEnvironment {
    return { calendar: this.calendars.current(), now: this.clock.now(), policies: this.policies, deadlinePolicies: this.deadlinePolicies };
  }
}
