import { type Actor, GENESIS_HASH, historyEntryHash, newId } from '#domain';
import type { EscalationTarget, SupervisingParties } from '#access';
import type { BusinessCalendar } from '#calendar';
import {
  deadlineState,
  type EventEffects,
  type NoticeIntent,
  RECTIFICATION_MACHINE_ID,
  RECTIFICATION_MACHINE_VERSION,
  stateDetail,
  type TakenStep,
  topLevelState,
  type TrafficLight,
} from '#rectification';
import type { HistoryRecord, NoticeRecord, OutboxRecord, ProblemChange, ProblemRecord } from './problem.records.js';
import { sheetRecord } from './supervision-sheet.js';

/** What the caller resolved along the department tree for the step: its notices' recipients, its sheet's parties. */
export interface ResolvedAddressees {
  recipients: ReadonlyMap<NoticeIntent, EscalationTarget>;
  sheet: SupervisingParties | null;
  /** The calendar in force: a sheet's year is read in its zone, its response counted on its working days. */
  calendar: BusinessCalendar;
}

/**
 * The rows one accepted event writes, built from the step the workflow decided: the problem's new record, its
 * history row chained to the one before, the outbox event, the notices and the sheet. Pure: no clock (the time is
 * given), no database (notice recipients and sheet parties are resolved by the caller).
 */
export function changeFor(
  current: ProblemRecord,
  step: TakenStep,
  actor: Actor,
  at: string,
  addressees: ResolvedAddressees,
): ProblemChange {
  const advanced = advancedRecord(current, step, at);
  const history = historyRow(advanced, step.event.type, { ...step.event }, actor, current.stateDetail, at, current.historyHash);
  const problem = { ...advanced, historyHash: history.hash };
  // A light that changed is part of the event that changed it: its consumers need not compare states.
  const lightChanged = current.light === problem.light ? undefined : { from: current.light, to: problem.light };
  return {
    problem,
    history,
    outbox: outboxRecord(problem, step.effects.outbox, actor, at, lightChanged),
    notices: noticeRecords(problem, step.effects.notices, addressees.recipients, at),
    ...(step.effects.sheet && addressees.sheet
      ? { sheet: sheetRecord(problem, history.hash, step.effects.sheet, addressees.sheet, at, addressees.calendar) }
      : {}),
    ...(step.effects.assignedDepartmentId === undefined ? {} : { assignedDepartmentId: step.effects.assignedDepartmentId }),
    ...(step.effects.submittedEvidenceIds === undefined ? {} : { submittedEvidenceIds: step.effects.submittedEvidenceIds }),
  };
}

/** The record after a transition: denormalised columns, version + 1, the next timer the step planned. */
function advancedRecord(current: ProblemRecord, step: TakenStep, at: string): ProblemRecord {
  const { next } = step;
  const { context } = next;
  return {
    ...current,
    state: topLevelState(next.value),
    stateDetail: stateDetail(next.value),
    departmentId: context.departmentId,
    responsiblePerson: context.responsiblePerson,
    deadline: context.deadline,
    deadlineState: deadlineState(next.value),
    escalationLevel: context.escalationLevel,
    light: step.light,
    nextTimer: step.nextTimer,
    reworkCount: context.reworkCount,
    version: current.version + 1,
    machineId: RECTIFICATION_MACHINE_ID,
    machineVersion: RECTIFICATION_MACHINE_VERSION,
    snapshot: next,
    updatedAt: at,
    closedAt: context.closedAt,
  };
}

/** A history row of the problem (as it is after the event), chained to `previousHash`. */
export function historyRow(
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
  return { ...entry, machineVersion: problem.machineVersion, hash: historyEntryHash(previousHash ?? GENESIS_HASH, entry) };
}

/** The outbox row of a domain event: the problem as it now stands, who did it, and the event's data. */
export function outboxRecord(
  problem: ProblemRecord,
  event: EventEffects['outbox'],
  actor: Actor,
  at: string,
  lightChanged?: { from: TrafficLight | null; to: TrafficLight | null },
): OutboxRecord {
  const id = newId();
  const { type, data } = event;
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
        light: problem.light,
      },
      actor: { id: actor.userId, name: actor.name, role: actor.role },
      data,
      ...(lightChanged ? { lightChanged } : {}),
    },
  };
}

/** The notices the step's intents became, for those whose recipients were found. */
function noticeRecords(
  problem: ProblemRecord,
  intents: readonly NoticeIntent[],
  recipients: ReadonlyMap<NoticeIntent, EscalationTarget>,
  at: string,
): NoticeRecord[] {
  return intents.flatMap((intent) => {
    const target = recipients.get(intent);
    if (!target) return [];
    return [
      {
        id: newId(),
        problemId: problem.id,
        problemVersion: problem.version,
        kind: intent.kind,
        level: intent.level,
        recipientDepartmentId: target.departmentId,
        recipientUserId: target.headUserId,
        createdAt: at,
      },
    ];
  });
}
