import { type BusinessCalendar, workingDaysBetween } from '#calendar';

/**
 * Working days between two instants on one calendar, remembered by their local dates: a ledger counts the same
 * few hundred date pairs over and over, and counting one walks every day between them.
 */
export class WorkingDayCounter {
  private readonly pairs = new Map<string, number>();

  constructor(readonly calendar: BusinessCalendar) {}

  between(a: string, b: string): number {
    // The date part of the cached Intl formatter's output: far cheaper per row than a zoned date-time object.
    const from = localDateTime(a, this.calendar.timeZone).slice(0, 10);
    const to = localDateTime(b, this.calendar.timeZone).slice(0, 10);
    const key = `${from}|${to}`;
    let days = this.pairs.get(key);
    if (days === undefined) {
      days = workingDaysBetween(this.calendar, from, to);
      this.pairs.set(key, days);
    }
    return days;
  }
}

/**
 * How a problem stands in the ledger (台账):
 * - `on time`: closed, the rectification completed by the original deadline;
 * - `on time after extension`: closed, completed after the original deadline but by the current one (as moved by
 *   approved extensions or suspensions);
 * - `late`: closed, completed after the current deadline;
 * - `open and overdue`: not closed, and the current deadline has passed (for work handed in and awaiting
 *   verification or close-out: passed before it was handed in);
 * - `open`: not closed, deadline not passed (or none set yet);
 * - `cancelled`: cancelled (an invalid finding, a duplicate …); counted in no rate.
 */
export const LEDGER_OUTCOMES = ['on time', 'on time after extension', 'late', 'open and overdue', 'open', 'cancelled'] as const;
export type LedgerOutcome = (typeof LEDGER_OUTCOMES)[number];

/** What the ledger needs to know about one problem (the server maps a problem record to it). */
export interface LedgerFacts {
  state: string;
  /** When the problem was filed (found). */
  foundAt: string;
  originalDeadline: string | null;
  deadline: string | null;
  /**
   * When the department's work was handed in for the last time (the SUBMIT that verification accepted, or is
   * looking at now); null while it was not, or after a rejection sent it back.
   */
  submittedAt: string | null;
  closedAt: string | null;
  /** When the clock was suspended, if it is suspended now. */
  suspendedSince: string | null;
}

export interface LedgerMeasures {
  outcome: LedgerOutcome;
  /**
   * When the rectification counts as completed: the last submission before approval (verification time does
   * not count against the department), falling back to the close-out time. Null unless closed.
   */
  completedAt: string | null;
  /** Working days past the current deadline, at completion (closed) or now (open); 0 when not past; null without a deadline. */
  daysOverdue: number | null;
  /** Working days from found to close-out (销号); null unless closed. */
  workingDaysToClose: number | null;
}

/**
 * The time a deadline is held against: completion for closed problems; for open ones the hand-in time while the
 * work awaits verification or close-out, the start of a suspension while the clock stands still, else now.
 */
function referenceTime(facts: LedgerFacts, now: Date): string {
  if (facts.state === 'closed') return facts.submittedAt ?? facts.closedAt ?? now.toISOString();
  if (facts.submittedAt) return facts.submittedAt;
  if (facts.suspendedSince) return facts.suspendedSince;
  return now.toISOString();
}

const after = (a: string, b: string) => Date.parse(a) > Date.parse(b);

export function measureProblem(facts: LedgerFacts, workingDays: WorkingDayCounter, now: Date): LedgerMeasures {
  if (facts.state === 'cancelled') return { outcome: 'cancelled', completedAt: null, daysOverdue: null, workingDaysToClose: null };
  const reference = referenceTime(facts, now);
  const deadline = facts.deadline;
  const daysOverdue = deadline === null ? null : after(reference, deadline) ? Math.max(0, workingDays.between(deadline, reference)) : 0;
  if (facts.state !== 'closed') {
    const overdue = deadline !== null && after(reference, deadline);
    return { outcome: overdue ? 'open and overdue' : 'open', completedAt: null, daysOverdue, workingDaysToClose: null };
  }
  const original = facts.originalDeadline ?? deadline;
  // A problem closed without ever having a deadline was late against nothing.
  const outcome: LedgerOutcome =
    original === null || !after(reference, original) ? 'on time' : deadline === null || !after(reference, deadline) ? 'on time after extension' : 'late';
  const closedAt = facts.closedAt ?? reference;
  return {
    outcome,
    completedAt: reference,
    daysOverdue,
    workingDaysToClose: Math.max(0, workingDays.between(facts.foundAt, closedAt)),
  };
}

/** The figures of one group of ledger rows (a department, an inspection, or all). */
export interface LedgerSummary {
  total: number;
  closed: number;
  open: number;
  /** Open and past the current deadline (outcome `open and overdue`); included in `open`. */
  overdue: number;
  cancelled: number;
  onTime: number;
  onTimeAfterExtension: number;
  late: number;
  /**
   * (on time + on time after extension) / closed, where closed = on time + on time after extension + late:
   * a problem completed by its extended deadline counts as on time. Null while nothing is closed.
   */
  onTimeRate: number | null;
  /** The denominator of `onTimeRate`: the closed problems. */
  onTimeRateDenominator: number;
  /** Mean working days from found to close-out over the closed problems; null while nothing is closed. */
  averageWorkingDaysToClose: number | null;
  /** Approved extensions, summed. */
  extensions: number;
  /** Rework rounds (verification sent the work back), summed. */
  reworkRounds: number;
}

export interface SummaryInput {
  outcome: LedgerOutcome;
  workingDaysToClose: number | null;
  extensions: number;
  reworkRounds: number;
}

/** A figure to `places` decimals, as the ledger reports rates and averages. */
export const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Adds rows one at a time, so a summary over 100k problems holds one accumulator per group, not the rows. */
export class SummaryAccumulator {
  private counts = { total: 0, closed: 0, open: 0, overdue: 0, cancelled: 0, onTime: 0, onTimeAfterExtension: 0, late: 0 };
  private daysToClose = 0;
  private extensions = 0;
  private reworkRounds = 0;

  add(row: SummaryInput): void {
    const c = this.counts;
    c.total += 1;
    this.extensions += row.extensions;
    this.reworkRounds += row.reworkRounds;
    switch (row.outcome) {
      case 'on time':
        c.onTime += 1;
        break;
      case 'on time after extension':
        c.onTimeAfterExtension += 1;
        break;
      case 'late':
        c.late += 1;
        break;
      case 'open and overdue':
        c.open += 1;
        c.overdue += 1;
        return;
      case 'open':
        c.open += 1;
        return;
      case 'cancelled':
        c.cancelled += 1;
        return;
    }
    c.closed += 1;
    this.daysToClose += row.workingDaysToClose ?? 0;
  }

  result(): LedgerSummary {
    const c = this.counts;
    return {
      ...c,
      onTimeRate: c.closed === 0 ? null : round((c.onTime + c.onTimeAfterExtension) / c.closed, 4),
      onTimeRateDenominator: c.closed,
      averageWorkingDaysToClose: c.closed === 0 ? null : round(this.daysToClose / c.closed, 2),
      extensions: this.extensions,
      reworkRounds: this.reworkRounds,
    };
  }
}

const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** An instant as the organisation reads it: `YYYY-MM-DD HH:mm` in the calendar's time zone. */
export function localDateTime(at: string | null, timeZone: string): string {
  if (at === null) return '';
  let format = FORMATS.get(timeZone);
  if (!format) {
    // sv-SE writes ISO-like dates ("2026-03-20 18:00"); one formatter per zone, as exports format many rows.
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    FORMATS.set(timeZone, format);
  }
  return format.format(new Date(at));
}
