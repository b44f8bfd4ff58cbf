import { Injectable } from '@nestjs/common';
import {
  type Actor,
  Clock,
  DomainError,
  InvalidTransitionError,
  newId,
  type ProblemFiling,
  ProblemNotFoundError,
  VersionConflictError,
} from '../../domain/src/index.js';
import {
  acceptedEvents,
  applyEvent,
  deadlineInPast,
  DOMAIN_EVENT_NAMES,
  FILE_EVENT,
  mayFile,
  permissionError,
  RECTIFICATION_MACHINE_ID,
  RECTIFICATION_MACHINE_VERSION,
  type RectificationEvent,
  type RectificationEventType,
  ruleViolation,
  startRectification,
  stateDetail,
  topLevelState,
} from '../../../workflows/rectification/index.js';
import { AccessPolicy, type Caller, permissionFactsFor, scopeOf } from './access-policy.js';
import type { HistoryRecord, OutboxRecord, ProblemRecord } from './problem.records.js';
import { OrganisationDirectory, ProblemRepository } from './problem.repository.js';
import { allowedEventsFor } from './problem.view.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a caller sends it; the engine stamps time and actor before the machine sees it. */
export type RectificationCommand = DistributiveOmit<RectificationEvent, 'at' | 'actorId'>;

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
    private readonly clock: Clock,
  ) {}

  async file(actor: Actor, filing: ProblemFiling): Promise<ProblemRecord> {
    if (!mayFile(actor)) {
      throw new DomainError('AUTH.FORBIDDEN', `A user with role ${actor.role} may not file problems.`, {
        role: actor.role,
      });
    }
    const now = this.clock.now();
    const at = now.toISOString();
    const deadline = filing.deadline === undefined ? undefined : new Date(filing.deadline).toISOString();
    const pastDeadline = deadlineInPast(deadline, now);
    if (pastDeadline) throw pastDeadline;

    const id = newId(now.getTime());
    const snapshot = startRectification({
      problemId: id,
      severity: filing.severity,
      filedBy: actor.userId,
      filedAt: at,
      ...(deadline === undefined ? {} : { deadline }),
    });
    const problem: ProblemRecord = {
      id,
      title: filing.title,
      description: filing.description,
      category: filing.category,
      severity: filing.severity,
      location: filing.location,
      inspectionRef: filing.inspectionRef,
      requirement: filing.requirement,
      filedBy: actor.userId,
      filerDepartmentId: actor.departmentId,
      state: topLevelState(snapshot.value),
      stateDetail: stateDetail(snapshot.value),
      departmentId: null,
      responsiblePerson: null,
      deadline: deadline ?? null,
      reworkCount: 0,
      version: 1,
      machineId: RECTIFICATION_MACHINE_ID,
      machineVersion: RECTIFICATION_MACHINE_VERSION,
      snapshot,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    const payload = { ...filing, ...(deadline === undefined ? {} : { deadline }) };
    await this.problems.insertFiled({
      problem,
      history: this.historyRow(problem, FILE_EVENT, payload, actor, null, at),
      outbox: this.outboxEvent(problem, FILE_EVENT, payload, actor, at),
    });
    return problem;
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
    const event = normaliseEvent({ ...command, at, actorId: actor.userId } as RectificationEvent);
    const next = applyEvent(current.snapshot, event);
    if (!next) {
      throw new InvalidTransitionError(
        command.type,
        current.stateDetail,
        acceptedEvents(current.snapshot),
        allowedEventsFor(caller, current),
      );
    }
    const violation = ruleViolation(current.snapshot.context, event, now);
    if (violation) throw violation;
    const assignedDepartmentId = event.type === 'ASSIGN' || event.type === 'REASSIGN' ? event.departmentId : undefined;
    if (assignedDepartmentId !== undefined && !(await this.organisation.isActiveDepartment(assignedDepartmentId))) {
      throw new DomainError(
        'DEPARTMENT.UNKNOWN',
        `No active department with id ${assignedDepartmentId}; choose one of the organisation's departments.`,
        { field: 'departmentId' },
      );
    }

    const { context } = next;
    const problem: ProblemRecord = {
      ...current,
      state: topLevelState(next.value),
      stateDetail: stateDetail(next.value),
      departmentId: context.departmentId,
      responsiblePerson: context.responsiblePerson,
      deadline: context.deadline,
      reworkCount: context.reworkCount,
      version: current.version + 1,
      machineId: RECTIFICATION_MACHINE_ID,
      machineVersion: RECTIFICATION_MACHINE_VERSION,
      snapshot: next,
      updatedAt: at,
      closedAt: context.closedAt,
    };
    const { at: _at, actorId: _actorId, ...payload } = event;
    const committed = await this.problems.commitTransition(
      {
        problem,
        history: this.historyRow(problem, event.type, event, actor, current.stateDetail, at),
        outbox: this.outboxEvent(problem, event.type, payload, actor, at),
        ...(assignedDepartmentId === undefined ? {} : { assignedDepartmentId }),
      },
      current.version,
    );
    if (!committed) {
      const latest = await this.problems.findById(problemId);
      throw new VersionConflictError(expectedVersion, latest?.version ?? current.version);
    }
    return problem;
  }

  private historyRow(
    problem: ProblemRecord,
    eventType: string,
    payload: object,
    actor: Actor,
    fromState: string | null,
    at: string,
  ): HistoryRecord {
    return {
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
  }

  private outboxEvent(
    problem: ProblemRecord,
    eventType: RectificationEventType | typeof FILE_EVENT,
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

/** Instants are stored in one canonical form (UTC, milliseconds) so they compare as text. */
function normaliseEvent(event: RectificationEvent): RectificationEvent {
  if (event.type === 'ASSIGN' && event.deadline !== undefined) {
    return { ...event, deadline: new Date(event.deadline).toISOString() };
  }
  return event;
}
