import type { HistoryRecord, ProblemChange, ProblemFilter, ProblemRecord } from './problem.records.js';

/** Port: where problems live. Each write method is exactly one database transaction. */
export abstract class ProblemRepository {
  abstract findById(id: string): Promise<ProblemRecord | null>;

  /** Inserts a newly filed problem with its first history row and outbox event. */
  abstract insertFiled(change: ProblemChange): Promise<void>;

  /**
   * Writes the new snapshot only if the stored version is still `expectedVersion`, together with the history
   * row and outbox event. Returns false, writing nothing, when another change got there first.
   */
  abstract commitTransition(change: ProblemChange, expectedVersion: number): Promise<boolean>;

  abstract list(filter: ProblemFilter): Promise<ProblemRecord[]>;

  abstract history(problemId: string): Promise<HistoryRecord[]>;
}

/** Port: the departments a problem may be assigned to. */
export abstract class DepartmentDirectory {
  abstract isActiveDepartment(id: string): Promise<boolean>;
}
