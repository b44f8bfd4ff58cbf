import type { ChainedHistoryEntry, ProblemState, Severity } from '#domain';
import type { DeadlineState, PlannedTimer, StoredSnapshot, TrafficLight } from '#rectification';

/** A problem as the engine reads and writes it (the persistence mapper turns it into rows). */
export interface ProblemRecord {
  id: string;
  title: string;
  description: string;
  category: string;
  severity: Severity;
  location: string;
  /** The inspection it was found under (its id), and that inspection's reference. */
  inspectionId: string;
  inspectionRef: string;
  requirement: string;
  filedBy: string;
  /** The filer's department when filing; places an unassigned problem under an office. */
  filerDepartmentId: string | null;
  state: ProblemState;
  stateDetail: string;
  departmentId: string | null;
  responsiblePerson: string | null;
  deadline: string | null;
  /** The deadline region: on track, due soon, overdue, escalated, verifying, … */
  deadlineState: DeadlineState;
  escalationLevel: number;
  /** The traffic light (红黄绿灯) under its deadline policy; null while none applies (see trafficLight). */
  light: TrafficLight | null;
  /** The next timer this problem waits for (its row is indexed by fire time). */
  nextTimer: PlannedTimer | null;
  reworkCount: number;
  version: number;
  machineId: string;
  machineVersion: string;
  snapshot: StoredSnapshot;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** The earlier, closed problem this one repeats (屡查屡犯), when filing found one. */
  repeatOf: string | null;
  /** The hash of the latest history row (the head of the tamper-evident chain; see libs/domain history-chain.ts). */
  historyHash: string | null;
}

/** One accepted event as the history keeps it: what the chain hashes, the payload as an object, and the hash. */
export interface HistoryRecord extends ChainedHistoryEntry {
  payload: Record<string, unknown>;
  /** The workflow version whose machine took the event (replay runs the row with it); not hashed, so old chains verify. */
  machineVersion: string;
  /** Chained to the previous row's hash of the same problem. */
  hash: string;
}

export interface OutboxRecord {
  id: string;
  type: string;
  problemId: string;
  problemVersion: number;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/** What one accepted event writes, all in one transaction. */
export interface ProblemChange {
  problem: ProblemRecord;
  history: HistoryRecord;
  outbox: OutboxRecord;
  /** Set on ASSIGN/REASSIGN: the department now responsible, remembered so it keeps seeing the problem. */
  assignedDepartmentId?: string;
  /** On SUBMIT: the evidence rows it carries, linked to the new version in the same transaction. */
  submittedEvidenceIds?: string[];
  /** Supervision notices (督办单) an escalation addresses, written with it. */
  notices?: NoticeRecord[];
  /** ESCALATE: the step's numbered sheet, numbered as it is written. */
  sheet?: SheetRecord;
}

export interface NoticeRecord {
  id: string;
  problemId: string;
  /** The problem version (history row) that raised it. */
  problemVersion: number;
  kind: 'escalation' | 'verification';
  level: number;
  recipientDepartmentId: string;
  recipientUserId: string | null;
  createdAt: string;
}

/** The facts a sheet prints, as they stood when it was issued (a department renamed later does not change it). */
export interface SheetFacts {
  /** The step's name, the sheet's title: 督办通知书, 提醒书, 约谈 … */
  stepName: string;
  level: number;
  problem: {
    id: string;
    title: string;
    description: string;
    category: string;
    severity: string;
    inspectionRef: string;
    foundAt: string;
  };
  /** The deadline it was overdue against (ISO instant), as the clock had it. */
  deadline: string | null;
  responsibleDepartment: { id: string; name: string };
  /** The head of the responsible department (责任领导), when it has one. */
  leader: { id: string; name: string | null } | null;
  /** The office that supervises the responsible department, which issues the sheet. */
  issuingOffice: { id: string; name: string };
  requirement: string;
  /** When the department's written response (书面回复) is due (the end of that working day), or null when none is asked. */
  responseDue: string | null;
}

/** A numbered supervision sheet (督办单), written with the history row that issued it. */
export interface SheetRecord {
  id: string;
  /** The top of the responsible department's tree: numbers count per organisation and year. */
  organisationId: string;
  /** The year of issue in the business time zone; the sequence within it is given as the row is written. */
  year: number;
  problemId: string;
  /** The problem version (history row) that issued it, and that row's hash. */
  problemVersion: number;
  historyHash: string;
  issuedAt: string;
  facts: SheetFacts;
}

export const PENDING_REQUEST_FILTERS = ['extension', 'suspension', 'any'] as const;
export type PendingRequestFilter = (typeof PENDING_REQUEST_FILTERS)[number];

export interface ProblemFilter {
  state?: ProblemState;
  departmentId?: string;
  severity?: Severity;
  inspectionRef?: string;
  inspectionId?: string;
  text?: string;
  /** Filed (found) at or after this instant (ISO UTC). */
  filedFrom?: string;
  /** Filed before this instant (ISO UTC). */
  filedBefore?: string;
  /** Any of these deadline states (`notSet` also matches rows stored before the state was). */
  deadlineStates?: readonly DeadlineState[];
  /** Any of these traffic lights (a problem without a light matches none). */
  lights?: readonly TrafficLight[];
  /** Those with a request of this kind waiting for a supervisor's decision (`any`: of either kind). */
  pendingRequest?: PendingRequestFilter;
  /** Id of the last problem of the previous page (newest first). */
  after?: string;
  /**
   * `list` only: `deadline` orders by deadline ascending, problems without one last, ties by id ascending; `after`
   * is then ignored and `afterDeadline` (the previous page's last deadline and id) continues the order.
   */
  sort?: 'newest' | 'deadline';
  afterDeadline?: { deadline: string | null; id: string };
  limit: number;
}
