/**
 * The lists a supervising office publishes of its departments (红黄黑榜): the red list commends (红榜表扬), the
 * yellow list warns (黄榜警示), the black list names and shames (黑榜通报).
 */
export const RANKING_LISTS = ['red', 'yellow', 'black'] as const;
export type RankingList = (typeof RANKING_LISTS)[number];

/**
 * What puts a department on a list, part of the deadline policy an admin publishes. Rates are of problems closed,
 * on time against the ORIGINAL deadline, so that extensions cannot hide lateness. Black is worse than yellow, which
 * is worse than red: a department is on the worst list it qualifies for, or on none.
 */
export interface RankingThresholds {
  /** Red list: at least this on-time rate (0–1), with nothing open and overdue and nothing escalated. */
  redFromOnTimeRate: number;
  /** Yellow list: an on-time rate below this (0–1), or at least `yellowFromOverdue` problems open and overdue. */
  yellowBelowOnTimeRate: number;
  yellowFromOverdue: number;
  /** Black list: an on-time rate below this (0–1), or at least `blackFromEscalated` problems escalated (null: never by escalations). */
  blackBelowOnTimeRate: number;
  blackFromEscalated: number | null;
}

export const DEFAULT_RANKING_THRESHOLDS: RankingThresholds = {
  redFromOnTimeRate: 0.95,
  yellowBelowOnTimeRate: 0.8,
  yellowFromOverdue: 1,
  blackBelowOnTimeRate: 0.6,
  blackFromEscalated: 3,
};
