import type { RankingList, RankingThresholds } from '#domain';
import { type LedgerSummary, round, SummaryAccumulator, type SummaryInput } from './ledger.definitions.js';

/** Why a department is on its list: the rate against the original deadline, problems open and overdue, escalations. */
export const LIST_REASONS = ['onTimeRate', 'overdue', 'escalated'] as const;
export type ListReason = (typeof LIST_REASONS)[number];

/** One department in the ranking (排名) for a period. */
export interface RankingRow {
  departmentId: string;
  department: string;
  /** 1 for the best; departments equal on every key share a rank (1, 2, 2, 4). */
  rank: number;
  /** The list it is on (红黄黑榜), or null. */
  list: RankingList | null;
  listReasons: ListReason[];
  /** Problems the department received (assigned to it, found in the period), cancelled ones included. */
  received: number;
  closed: number;
  open: number;
  /** Closed, completed by the original deadline. */
  onTimeOriginal: number;
  /** Closed, completed after the original deadline but by the extended one. */
  onTimeAfterExtension: number;
  late: number;
  /** Open and past the current deadline. */
  overdue: number;
  /** Escalated at least once (an extension or a reopening since does not undo it). */
  escalated: number;
  cancelled: number;
  /** onTimeOriginal / closed: extensions cannot hide lateness. Null while nothing is closed. */
  onTimeRateOriginal: number | null;
  /** (onTimeOriginal + onTimeAfterExtension) / closed, the ledger's on-time rate. Null while nothing is closed. */
  onTimeRateWithExtensions: number | null;
  averageWorkingDaysToClose: number | null;
  reworkRounds: number;
  extensions: number;
}

export interface RankingInput extends SummaryInput {
  departmentId: string;
  department: string;
  escalated: boolean;
}

/** Adds the ledger rows of departments one at a time, then ranks and lists them. */
export class RankingAccumulator {
  private readonly departments = new Map<string, { name: string; sums: SummaryAccumulator; escalated: number }>();

  add(row: RankingInput): void {
    let department = this.departments.get(row.departmentId);
    if (!department) {
      department = { name: row.department, sums: new SummaryAccumulator(), escalated: 0 };
      this.departments.set(row.departmentId, department);
    }
    department.sums.add(row);
    if (row.escalated) department.escalated += 1;
  }

  result(thresholds: RankingThresholds): RankingRow[] {
    const rows = [...this.departments.entries()].map(([departmentId, { name, sums, escalated }]) =>
      rankingRowOf(departmentId, name, sums.result(), escalated, thresholds),
    );
    rows.sort((a, b) => byStanding(a, b) || a.department.localeCompare(b.department) || a.departmentId.localeCompare(b.departmentId));
    rows.forEach((row, index) => {
      row.rank = index > 0 && byStanding(rows[index - 1], row) === 0 ? rows[index - 1].rank : index + 1;
    });
    return rows;
  }
}

function rankingRowOf(departmentId: string, department: string, summary: LedgerSummary, escalated: number, thresholds: RankingThresholds): RankingRow {
  const onTimeRateOriginal = summary.closed === 0 ? null : round(summary.onTime / summary.closed, 4);
  const figures = { onTimeRateOriginal, overdue: summary.overdue, escalated };
  const { list, reasons } = listOf(figures, thresholds);
  return {
    departmentId,
    department,
    rank: 0,
    list,
    listReasons: reasons,
    received: summary.total,
    closed: summary.closed,
    open: summary.open,
    onTimeOriginal: summary.onTime,
    onTimeAfterExtension: summary.onTimeAfterExtension,
    late: summary.late,
    overdue: summary.overdue,
    escalated,
    cancelled: summary.cancelled,
    onTimeRateOriginal,
    onTimeRateWithExtensions: summary.onTimeRate,
    averageWorkingDaysToClose: summary.averageWorkingDaysToClose,
    reworkRounds: summary.reworkRounds,
    extensions: summary.extensions,
  };
}

/**
 * The list a department's figures put it on, and why: black, else yellow, else red, else none. A department that
 * closed nothing has no rate: only its overdue and escalated problems can list it (never on the red list). Pure.
 */
export function listOf(
  figures: { onTimeRateOriginal: number | null; overdue: number; escalated: number },
  thresholds: RankingThresholds,
): { list: RankingList | null; reasons: ListReason[] } {
  const rate = figures.onTimeRateOriginal;
  const black: ListReason[] = [];
  if (rate !== null && rate < thresholds.blackBelowOnTimeRate) black.push('onTimeRate');
  if (thresholds.blackFromEscalated !== null && figures.escalated >= thresholds.blackFromEscalated) black.push('escalated');
  if (black.length > 0) return { list: 'black', reasons: black };
  const yellow: ListReason[] = [];
  if (rate !== null && rate < thresholds.yellowBelowOnTimeRate) yellow.push('onTimeRate');
  if (figures.overdue >= thresholds.yellowFromOverdue) yellow.push('overdue');
  if (yellow.length > 0) return { list: 'yellow', reasons: yellow };
  if (rate !== null && rate >= thresholds.redFromOnTimeRate && figures.overdue === 0 && figures.escalated === 0) {
    return { list: 'red', reasons: ['onTimeRate'] };
  }
  return { list: null, reasons: [] };
}

/**
 * Best first: the higher on-time rate against the original deadline (none last), then fewer overdue, fewer
 * escalated, fewer working days to close (none last). Zero: they stand equal (and share a rank).
 */
function byStanding(a: RankingRow, b: RankingRow): number {
  return (
    ascending(b.onTimeRateOriginal ?? -1, a.onTimeRateOriginal ?? -1) ||
    ascending(a.overdue, b.overdue) ||
    ascending(a.escalated, b.escalated) ||
    ascending(a.averageWorkingDaysToClose ?? Infinity, b.averageWorkingDaysToClose ?? Infinity)
  );
}

const ascending = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);
