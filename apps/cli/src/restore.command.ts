import { resolve } from 'node:path';
import type { AppConfig } from '#config';
import { restoreBackup } from '#persistence';

/**
 * `restore <dir>`: restores a backup into the configured (empty) database and evidence store, then verifies it.
 * Prints the report as JSON; exit 1 when anything does not match. A refused restore throws (nothing written).
 */
export async function runRestore(config: Pick<AppConfig, 'database' | 'evidence'>, dir: string): Promise<number> {
  const report = await restoreBackup({ from: resolve(dir), database: config.database, evidenceDir: config.evidence.dir });
  console.log(JSON.stringify(report, null, 2));
  if (!report.ok) {
    console.error(`Restored, but ${report.mismatches.length} thing(s) do not match the backup (see mismatches): do not use this copy before finding out why.`);
    return 1;
  }
  const { problems, historyRows, evidenceFiles } = report.restored;
  console.error(`Restored and verified: ${problems} problem(s), ${historyRows} history row(s), ${evidenceFiles} evidence file(s), all matching the manifest.`);
  return 0;
}
