import type { HistoryRecord, OutboxRecord, ProblemRecord } from '#engine';
import type { ProblemState, Severity } from '#domain';
import { CURRENT_WORKFLOW_VERSION, type DeadlineState, deadlineState, normalisedPlace, type TrafficLight, upgradeSnapshot } from '#rectification';

/** What repeat problems are matched on (see workflows/rectification/repeat.policy.ts). */
export function placeKey(category: string, location: string): string {
  return `${normalisedPlace(category)}|${normalisedPlace(location)}`.slice(0, 310);
}
import { OutboxEventEntity, ProblemEntity, ProblemHistoryEntity } from './entities/index.js';

/** Entities are rows, not domain objects: this is the one place that converts between the two. */
export const ProblemMapper = {
  toRecord(row: ProblemEntity): ProblemRecord {
    // A snapshot of an older workflow version is upgraded as it is read, so the engine only ever sees current ones;
    // the problem's next commit stores it upgraded (or `cli migrate-snapshots` does, for all of them).
    const snapshot = upgradeSnapshot(JSON.parse(row.snapshot), row.machineVersion);
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      category: row.category,
      severity: row.severity as Severity,
      location: row.location,
      // Rows are given their inspection by the inspections migration; none is written without one since.
      inspectionId: row.inspectionId ?? '',
      inspectionRef: row.inspectionRef,
      requirement: row.requirement,
      filedBy: row.filedBy,
      filerDepartmentId: row.filerDepartmentId,
      state: row.state as ProblemState,
      stateDetail: row.stateDetail,
      departmentId: row.departmentId,
      responsiblePerson: row.responsiblePerson,
      deadline: row.deadline,
      // Null on rows stored before the deadline region existed: where their upgraded clock stands.
      deadlineState: (row.deadlineState ?? deadlineState(snapshot.value)) as DeadlineState,
      escalationLevel: row.escalationLevel ?? 0,
      light: row.light as TrafficLight | null,
      nextTimer: row.nextTimer === null ? null : JSON.parse(row.nextTimer),
      reworkCount: row.reworkCount,
      version: row.version,
      machineId: row.machineId,
      machineVersion: CURRENT_WORKFLOW_VERSION,
      snapshot,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      closedAt: row.closedAt,
      repeatOf: row.repeatOf ?? null,
      historyHash: row.historyHash ?? null,
    };
  },

  toRow(record: ProblemRecord): ProblemEntity {
    // Every column named once, in one literal: a row of fixed shape (spreading the record and adding the derived
    // columns to it cost about ten times as much, per event).
    return {
      id: record.id,
      title: record.title,
      description: record.description,
      category: record.category,
      severity: record.severity,
      location: record.location,
      inspectionRef: record.inspectionRef,
      inspectionId: record.inspectionId,
      requirement: record.requirement,
      filedBy: record.filedBy,
      filerDepartmentId: record.filerDepartmentId,
      state: record.state,
      stateDetail: record.stateDetail,
      departmentId: record.departmentId,
      responsiblePerson: record.responsiblePerson,
      deadline: record.deadline,
      deadlineState: record.deadlineState,
      escalationLevel: record.escalationLevel,
      light: record.light,
      pendingRequest: record.snapshot.context.pendingRequest?.kind ?? null,
      nextTimerAt: record.nextTimer?.fireAt ?? null,
      nextTimer: record.nextTimer === null ? null : JSON.stringify(record.nextTimer),
      // Writing a new state always releases the lease a scheduler may hold on the old timer.
      timerLeaseUntil: null,
      timerLeaseOwner: null,
      reworkCount: record.reworkCount,
      version: record.version,
      machineId: record.machineId,
      machineVersion: record.machineVersion,
      snapshot: JSON.stringify(record.snapshot),
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      closedAt: record.closedAt,
      repeatOf: record.repeatOf,
      placeKey: placeKey(record.category, record.location),
      historyHash: record.historyHash,
    };
  },

  historyToRow(record: HistoryRecord): ProblemHistoryEntity {
    return Object.assign(new ProblemHistoryEntity(), { ...record, payload: JSON.stringify(record.payload) });
  },

  historyToRecord(row: ProblemHistoryEntity): HistoryRecord {
    return { ...row, payload: JSON.parse(row.payload) };
  },

  outboxToRow(record: OutboxRecord): OutboxEventEntity {
    return Object.assign(new OutboxEventEntity(), {
      ...record,
      payload: JSON.stringify(record.payload),
      publishedAt: null,
    });
  },
};
