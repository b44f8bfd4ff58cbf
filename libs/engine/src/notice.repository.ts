import type { NoticeRecord } from './problem.records.js';

export interface NoticeView extends NoticeRecord {
  /** The title of the problem it is about, so a recipient can tell one notice from the next. */
  problemTitle: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** Port: supervision notices (督办单) as their recipients read and acknowledge them. */
export abstract class NoticeRepository {
  /** Notices addressed to the department or to the user, unacknowledged first, newest first within each. */
  abstract inbox(userId: string, departmentId: string | null, limit: number): Promise<NoticeView[]>;

  /** Records who acknowledged it and when; false if it is not theirs or was already acknowledged. */
  abstract acknowledge(id: string, userId: string, departmentId: string | null, at: string): Promise<NoticeView | null>;

  abstract forProblem(problemId: string): Promise<NoticeView[]>;
  /**
   * The highest escalation level each of these problems was ever noticed at (its escalation notices outlive the
   * clock's own level, which an extension or a rework round resets); problems never escalated are not in the map.
   */
  abstract highestEscalationLevels(problemIds: readonly string[]): Promise<Map<string, number>>;
}
