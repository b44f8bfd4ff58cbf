import type { TrafficLight } from '#rectification';
import type { ProblemState } from '#domain';
import type { ProblemScope } from '#access';
import type { HistoryRecord, ProblemChange, ProblemFilter, ProblemRecord } from './problem.records.js';

/** A filed problem of a bulk import and the key that keeps it from being imported twice. */
export interface FiledBatchItem {
  change: ProblemChange;
  importKey?: string;
}

/** Port: where problems live. Each write method is exactly one database transaction. */
export abstract class ProblemRepository {
  abstract findById(id: string): Promise<ProblemRecord | null>;

  /** The problem if it lies within the scope, else null (the caller answers 404 either way). */
  abstract findVisible(id: string, scope: ProblemScope): Promise<ProblemRecord | null>;

  /** Inserts a newly filed problem with its first history row and outbox event. */
  abstract insertFiled(change: ProblemChange): Promise<void>;

  /**
   * Inserts many newly filed problems in one transaction. An item with an import key first claims it for its
   * inspection (unique); when the key is already taken the item is skipped. Returns the ids of the skipped.
   */
  abstract insertFiledBatch(items: FiledBatchItem[]): Promise<Set<string>>;

  /** Which of these import keys the inspection already holds (a read ahead of filing; the insert decides). */
  abstract takenImportKeys(inspectionId: string, keys: string[]): Promise<Set<string>>;

  /**
   * Writes the new snapshot only if the stored version is still `expectedVersion`, together with the history
   * row, the outbox event and, on (re)assignment, the department's link to the problem. Returns false, writing
   * nothing, when another change got there first.
   */
  abstract commitTransition(change: ProblemChange, expectedVersion: number): Promise<boolean>;

  abstract list(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]>;

  /**
   * The ledger's paging: problems in scope matching the filter, oldest first (by id), after the id `filter.after`
   * (exclusive). Reading in id order keeps every page stable while problems are filed meanwhile.
   */
  abstract listOldestFirst(filter: ProblemFilter, scope: ProblemScope): Promise<ProblemRecord[]>;

  /** How many problems match the filter (cursor and limit ignored), per top-level state and traffic light. */
  abstract countByStateAndLight(filter: ProblemFilter, scope: ProblemScope): Promise<Array<{ state: ProblemState; light: TrafficLight | null; count: number }>>;

  abstract history(problemId: string): Promise<HistoryRecord[]>;

  /**
   * Leases up to `limit` problems whose next timer is due at `now` to `owner` until `leaseUntil`, skipping rows
   * another scheduler holds; returns them as leased, in the order their timers fall due.
   */
  abstract claimDueTimers(now: string, limit: number, owner: string, leaseUntil: string): Promise<ProblemRecord[]>;

  /**
   * The most recently closed problem of the same category at the same location (normalised) closed at or
   * after `closedSince`, of an inspection of the same organisation: what a new filing repeats, if anything.
   */
  abstract findRepeatCandidate(
    category: string,
    location: string,
    closedSince: string,
    organisationId: string | null,
  ): Promise<{ id: string; closedAt: string } | null>;

  /** Which of these problems lie within the scope (to name linked problems only to those who may see them). */
  abstract visibleIds(ids: string[], scope: ProblemScope): Promise<Set<string>>;

  /** Problems linked to this one: the one it repeats and those that repeat it. */
  abstract links(problemId: string): Promise<Array<{ linkedProblemId: string; kind: 'repeat_of' | 'repeated_by' }>>;
}
