import { createHash } from 'node:crypto';

/**
 * The tamper-evident audit trail. Each history row carries a SHA-256 over its own content and the hash of the row
 * before it (of the same problem), so editing, deleting or inserting a row anywhere breaks every hash after it; the
 * problem row keeps the hash of its latest history row, so dropping the last rows shows too. Once a day is over,
 * an anchor hashes every row of that day (all problems) chained to the previous day's anchor: a row rewritten with
 * a recomputed chain still changes the day's anchor, which can be kept outside the database.
 */

/** The `previous hash` of a problem's first history row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a history row's hash covers: everything it records. */
export interface ChainedHistoryEntry {
  id: string;
  problemId: string;
  version: number;
  eventType: string;
  payload: unknown;
  actorId: string;
  actorName: string;
  actorRole: string;
  fromState: string | null;
  toState: string;
  occurredAt: string;
}

/** JSON with object keys sorted at every level, so the same content always hashes the same (as stored and read back). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function historyEntryHash(previousHash: string, entry: ChainedHistoryEntry): string {
  const content = canonicalJson([
    entry.id,
    entry.problemId,
    entry.version,
    entry.eventType,
    entry.payload,
    entry.actorId,
    entry.actorName,
    entry.actorRole,
    entry.fromState,
    entry.toState,
    entry.occurredAt,
  ]);
  return createHash('sha256').update(previousHash).update('\n').update(content).digest('hex');
}

export interface ChainBreak {
  version: number;
  historyId: string | null;
  reason: 'hashMismatch' | 'versionGap' | 'missingRows' | 'headMismatch';
  message: string;
}

export interface ChainVerification {
  intact: boolean;
  rows: number;
  /** The first row whose hash does not follow (or where a row is missing), else null. */
  firstBroken: ChainBreak | null;
}

/**
 * Recomputes a problem's chain from its rows (in version order) and compares each stored hash, then the problem
 * row's head. Names the first row where it breaks.
 */
export function verifyHistoryChain(rows: ReadonlyArray<ChainedHistoryEntry & { hash: string }>, head: string | null): ChainVerification {
  let previous = GENESIS_HASH;
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    if (row.version !== index + 1) {
      return broken(rows.length, {
        version: index + 1,
        historyId: null,
        reason: 'versionGap',
        message: `History version ${index + 1} is missing (the next row found is version ${row.version}): a row was deleted.`,
      });
    }
    const expected = historyEntryHash(previous, row);
    if (row.hash !== expected) {
      return broken(rows.length, {
        version: row.version,
        historyId: row.id,
        reason: 'hashMismatch',
        message: `History row ${row.id} (version ${row.version}, ${row.eventType}) does not match its hash: it, or the chain before it, was changed.`,
      });
    }
    previous = row.hash;
  }
  if (rows.length === 0) {
    return broken(0, { version: 1, historyId: null, reason: 'missingRows', message: 'The problem has no history rows: they were deleted.' });
  }
  if (head !== null && head !== previous) {
    return broken(rows.length, {
      version: rows.length + 1,
      historyId: null,
      reason: 'headMismatch',
      message: `The problem's latest history hash is not that of version ${rows.length}: later rows were deleted or the problem row was changed.`,
    });
  }
  return { intact: true, rows: rows.length, firstBroken: null };
}

function broken(rows: number, firstBroken: ChainBreak): ChainVerification {
  return { intact: false, rows, firstBroken };
}

/** The anchor of one UTC day: every history row hash of that day (in id order), chained to the day before's anchor. */
export function dayAnchor(previousAnchor: string, day: string, rowHashes: readonly string[]): { rowsHash: string; anchor: string } {
  const rows = createHash('sha256');
  for (const hash of rowHashes) rows.update(hash).update('\n');
  const rowsHash = rows.digest('hex');
  const anchor = createHash('sha256').update(previousAnchor).update('\n').update(day).update('\n').update(rowsHash).digest('hex');
  return { rowsHash, anchor };
}
