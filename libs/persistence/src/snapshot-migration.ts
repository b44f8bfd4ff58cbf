import {
  CURRENT_WORKFLOW_VERSION,
  deadlineState,
  upgradeSnapshot,
  WorkflowVersionError,
} from '#rectification';
import type { Database } from './database.js';

/** A problem whose stored snapshot is of another workflow version than the current one, as read for upgrading. */
export interface OutdatedSnapshot {
  id: string;
  version: number;
  machineVersion: string;
  snapshot: string;
}

/** What upgrading some stored snapshots did. */
export interface SnapshotUpgrade {
  upgraded: number;
  /** Upgraded rows by the version they were stored under. */
  fromVersions: Record<string, number>;
  /** Rows an engine commit moved on after they were read: that commit wins (it stored them upgraded, on loading). */
  overtaken: number;
  /** Rows of a version no upgrade step knows, or newer than this code: left as they are. */
  refused: Array<{ id: string; machineVersion: string; reason: string }>;
}

/**
 * `cli migrate-snapshots`: brings every stored snapshot to the current workflow version, in batches of one
 * transaction each, so an interrupted run leaves each batch either done or untouched and a rerun finishes the
 * rest. Only the snapshot and its version change: the problem's version, history and timestamps do not. Loading
 * upgrades a snapshot anyway (ProblemMapper); this spares every later load the work.
 */
export class SnapshotMigration {
  constructor(private readonly db: Database) {}

  async countOutdated(): Promise<number> {
    const [row] = await this.db.sqlRead((sql) =>
      sql.all<{ count: string | number }>('SELECT COUNT(*) AS count FROM problems WHERE machine_version <> ?', [CURRENT_WORKFLOW_VERSION]),
    );
    return Number(row.count);
  }

  /** The next `limit` outdated snapshots after the problem `afterId`, in id order. */
  outdated(afterId: string, limit: number): Promise<OutdatedSnapshot[]> {
    return this.db.sqlRead((sql) =>
      sql.all<OutdatedSnapshot>(
        'SELECT id, version, machine_version AS "machineVersion", snapshot FROM problems WHERE machine_version <> ? AND id > ? ORDER BY id LIMIT ?',
        [CURRENT_WORKFLOW_VERSION, afterId, limit],
      ),
    );
  }

  /**
   * Upgrades `rows` and writes them in one transaction, each only where the problem is still at the version read
   * (a concurrent engine commit wins). A row stored before the deadline region existed also gets the region's state.
   */
  async upgrade(rows: readonly OutdatedSnapshot[]): Promise<SnapshotUpgrade> {
    const result: SnapshotUpgrade = { upgraded: 0, fromVersions: {}, overtaken: 0, refused: [] };
    const writes: Array<{ row: OutdatedSnapshot; values: unknown[] }> = [];
    for (const row of rows) {
      try {
        const snapshot = upgradeSnapshot(JSON.parse(row.snapshot), row.machineVersion);
        writes.push({ row, values: [JSON.stringify(snapshot), CURRENT_WORKFLOW_VERSION, deadlineState(snapshot.value), row.id, Number(row.version)] });
      } catch (error) {
        if (!(error instanceof WorkflowVersionError)) throw error;
        result.refused.push({ id: row.id, machineVersion: row.machineVersion, reason: error.message });
      }
    }
    if (writes.length === 0) return result;
    await this.db.sqlWrite(async (sql) => {
      for (const { row, values } of writes) {
        const changed = await sql.run(
          'UPDATE problems SET snapshot = ?, machine_version = ?, deadline_state = COALESCE(deadline_state, ?) WHERE id = ? AND version = ?',
          values,
        );
        if (changed === 1) {
          result.upgraded += 1;
          result.fromVersions[row.machineVersion] = (result.fromVersions[row.machineVersion] ?? 0) + 1;
        } else {
          result.overtaken += 1;
        }
      }
    });
    return result;
  }

  /** Every outdated snapshot, `batchSize` at a time; `onBatch` hears of each batch once it has committed. */
  async upgradeAll(batchSize: number, onBatch: (batch: SnapshotUpgrade) => void = () => undefined): Promise<SnapshotUpgrade> {
    const total: SnapshotUpgrade = { upgraded: 0, fromVersions: {}, overtaken: 0, refused: [] };
    // A refused row stays outdated: the cursor moves past it rather than reading it again.
    let after = '';
    for (;;) {
      const rows = await this.outdated(after, batchSize);
      if (rows.length === 0) return total;
      const batch = await this.upgrade(rows);
      total.upgraded += batch.upgraded;
      total.overtaken += batch.overtaken;
      total.refused.push(...batch.refused);
      for (const [version, count] of Object.entries(batch.fromVersions)) total.fromVersions[version] = (total.fromVersions[version] ?? 0) + count;
      onBatch(batch);
      after = rows[rows.length - 1].id;
    }
  }
}
