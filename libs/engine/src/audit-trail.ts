import { Injectable } from '@nestjs/common';
import { type ChainVerification, Clock, dayAnchor, GENESIS_HASH, verifyHistoryChain } from '#domain';
import type { HistoryRecord, ProblemRecord } from './problem.records.js';
import { ProblemRepository } from './problem.repository.js';

/** One completed UTC day of history (all problems), chained to the day before. */
export interface HistoryAnchor {
  day: string;
  rows: number;
  rowsHash: string;
  previousAnchor: string;
  anchor: string;
  createdAt: string;
}

/** Port: the audit trail's reads and the anchors' table. */
export abstract class AuditTrailStore {
  /** Problem ids in id order after `after` (exclusive), for verifying every chain page by page. */
  abstract problemIdsAfter(after: string | null, limit: number): Promise<Array<{ id: string; historyHash: string | null }>>;
  /** The earliest UTC day (YYYY-MM-DD) with history on or after `fromDay`, or null. */
  abstract firstHistoryDayFrom(fromDay: string): Promise<string | null>;
  /** Hashes of the day's history rows (occurred that UTC day), in id order. */
  abstract rowHashesOfDay(day: string): Promise<string[]>;
  abstract anchors(): Promise<HistoryAnchor[]>;
  abstract lastAnchor(): Promise<HistoryAnchor | null>;
  /** False when the day is anchored already (another scheduler was first). */
  abstract insertAnchor(anchor: HistoryAnchor): Promise<boolean>;
}

export interface ProblemChainReport extends ChainVerification {
  problemId: string;
  /** The hash of the latest row as the problem row records it. */
  head: string | null;
}

export interface AuditTrailReport {
  intact: boolean;
  problems: number;
  rows: number;
  broken: ProblemChainReport[];
  anchors: { checked: number; broken: Array<{ day: string; message: string }> };
}

/** A day is anchored this long after it ends, so a transaction committing across midnight is in it. */
const ANCHOR_GRACE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * Verifies the tamper-evident history (each problem's hash chain, and the daily anchors over all problems) and
 * writes the anchors of completed days. See libs/domain history-chain.ts for what is hashed.
 */
@Injectable()
export class AuditTrail {
  /** Every day completed before this one is anchored: the sweeps ask the database again only once a day is over. */
  private anchoredBefore: string | null = null;

  constructor(
    private readonly problems: ProblemRepository,
    private readonly store: AuditTrailStore,
    private readonly clock: Clock,
  ) {}

  /** One problem's chain, against the head its row keeps. */
  async verifyProblem(problem: ProblemRecord): Promise<ProblemChainReport> {
    return this.chainReport(problem.id, problem.historyHash, await this.problems.history(problem.id));
  }

  /** Every problem's chain and every anchor; `progress` hears how many problems are done. */
  async verifyAll(progress?: (problems: number) => void): Promise<AuditTrailReport> {
    const broken: ProblemChainReport[] = [];
    let problems = 0;
    let rows = 0;
    let after: string | null = null;
    for (;;) {
      const page = await this.store.problemIdsAfter(after, 500);
      if (page.length === 0) break;
      for (const { id, historyHash } of page) {
        const report = this.chainReport(id, historyHash, await this.problems.history(id));
        problems += 1;
        rows += report.rows;
        if (!report.intact) broken.push(report);
      }
      after = page[page.length - 1].id;
      progress?.(problems);
    }
    const anchors = await this.verifyAnchors();
    return { intact: broken.length === 0 && anchors.broken.length === 0, problems, rows, broken, anchors };
  }

  /** Recomputes each stored anchor from the rows of its day and the anchor before it. */
  async verifyAnchors(): Promise<AuditTrailReport['anchors']> {
    const broken: Array<{ day: string; message: string }> = [];
    let previous = GENESIS_HASH;
    const anchors = await this.store.anchors();
    for (const anchor of anchors) {
      const hashes = await this.store.rowHashesOfDay(anchor.day);
      const expected = dayAnchor(previous, anchor.day, hashes);
      if (anchor.previousAnchor !== previous) {
        broken.push({ day: anchor.day, message: `The anchor of ${anchor.day} does not follow the anchor before it: anchors were changed or removed.` });
      } else if (expected.rowsHash !== anchor.rowsHash || hashes.length !== anchor.rows) {
        broken.push({
          day: anchor.day,
          message: `The history of ${anchor.day} no longer matches its anchor (${anchor.rows} rows anchored, ${hashes.length} now): rows of that day were changed, added or removed.`,
        });
      } else if (expected.anchor !== anchor.anchor) {
        broken.push({ day: anchor.day, message: `The anchor of ${anchor.day} was changed.` });
      }
      previous = anchor.anchor;
    }
    return { checked: anchors.length, broken };
  }

  /**
   * Anchors every completed day with history not anchored yet, oldest first (the schedulers call this each sweep;
   * when several race, the first insert of a day wins and the others find it). Returns the days anchored.
   */
  async anchorCompletedDays(): Promise<string[]> {
    const completedBefore = new Date(this.clock.now().getTime() - ANCHOR_GRACE_MS).toISOString().slice(0, 10);
    if (completedBefore === this.anchoredBefore) return [];
    const anchored: string[] = [];
    let last = await this.store.lastAnchor();
    for (;;) {
      const day = await this.store.firstHistoryDayFrom(last ? nextDay(last.day) : '0000-01-01');
      if (day === null || day >= completedBefore) {
        this.anchoredBefore = completedBefore;
        return anchored;
      }
      const hashes = await this.store.rowHashesOfDay(day);
      const previousAnchor = last?.anchor ?? GENESIS_HASH;
      const { rowsHash, anchor } = dayAnchor(previousAnchor, day, hashes);
      const record: HistoryAnchor = { day, rows: hashes.length, rowsHash, previousAnchor, anchor, createdAt: this.clock.now().toISOString() };
      if (!(await this.store.insertAnchor(record))) return anchored;
      anchored.push(day);
      last = record;
    }
  }

  private chainReport(problemId: string, head: string | null, history: HistoryRecord[]): ProblemChainReport {
    return { problemId, head, ...verifyHistoryChain(history, head) };
  }
}
