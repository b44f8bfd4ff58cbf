import type { INestApplicationContext } from '@nestjs/common';
import { Database, SnapshotMigration, type SnapshotUpgrade } from '#persistence';
import { CURRENT_WORKFLOW_VERSION, UPGRADE_STEPS } from '#rectification';

export const DEFAULT_SNAPSHOT_BATCH = 500;
/** Snapshots held in memory per transaction at most. */
const MAX_SNAPSHOT_BATCH = 10_000;

const USAGE = `Usage: npm run cli -- migrate-snapshots [--batch N]   (N from 1 to ${MAX_SNAPSHOT_BATCH.toLocaleString('en')}, default ${DEFAULT_SNAPSHOT_BATCH})`;

/** The batch size `args` ask for, or null when they are not `[--batch N]`. */
export function snapshotBatchSize(args: readonly string[]): number | null {
  if (args.length === 0) return DEFAULT_SNAPSHOT_BATCH;
  if (args.length !== 2 || args[0] !== '--batch' || !/^[1-9]\d{0,4}$/.test(args[1])) return null;
  const size = Number(args[1]);
  return size <= MAX_SNAPSHOT_BATCH ? size : null;
}

function byVersion(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([version, count]) => `${count.toLocaleString('en')} from ${version}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/**
 * Upgrades every stored snapshot of an older workflow version to the current one, a batch per transaction; prints
 * progress to stderr and a summary. Exits 0 when every snapshot is current (or was moved on by the engine
 * meanwhile), 1 when some are of a version this code cannot upgrade (listed), 2 on bad arguments.
 */
export async function runMigrateSnapshots(context: INestApplicationContext, args: readonly string[]): Promise<number> {
  const batchSize = snapshotBatchSize(args);
  if (batchSize === null) {
    console.error(USAGE);
    return 2;
  }
  const migration = new SnapshotMigration(context.get(Database));
  const outdated = await migration.countOutdated();
  console.error(`${outdated.toLocaleString('en')} stored snapshot(s) not of workflow version ${CURRENT_WORKFLOW_VERSION}; batches of ${batchSize}.`);
  if (outdated > 0) for (const step of UPGRADE_STEPS) console.error(`  ${step.from} → ${step.to}: ${step.change}`);
  let done = 0;
  const total: SnapshotUpgrade = await migration.upgradeAll(batchSize, (batch) => {
    done += batch.upgraded + batch.overtaken + batch.refused.length;
    console.error(`… ${done.toLocaleString('en')} of ${outdated.toLocaleString('en')}`);
  });
  for (const { id, reason } of total.refused) console.error(`Problem ${id}: ${reason}`);
  console.log(
    `Snapshots: ${total.upgraded.toLocaleString('en')} upgraded to ${CURRENT_WORKFLOW_VERSION}${byVersion(total.fromVersions)}, ` +
      `${total.overtaken.toLocaleString('en')} moved on by the engine meanwhile, ${total.refused.length.toLocaleString('en')} refused.`,
  );
  return total.refused.length === 0 ? 0 : 1;
}
