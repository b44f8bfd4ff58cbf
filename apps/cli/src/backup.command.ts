import { resolve } from 'node:path';
import type { AppConfig } from '#config';
import { SystemClock } from '#domain';
import { backupDatabase } from '#persistence';

/**
 * `backup <dir>`: an online backup of the configured database and evidence store into a new or empty folder.
 * Prints a summary as JSON; exit 1 when evidence the database references could not be copied.
 */
export async function runBackup(config: Pick<AppConfig, 'database' | 'evidence'>, dir: string): Promise<number> {
  const { manifest, problems } = await backupDatabase({ database: config.database, evidenceDir: config.evidence.dir, into: resolve(dir), clock: new SystemClock() });
  console.log(
    JSON.stringify(
      {
        dir: resolve(dir),
        createdAt: manifest.createdAt,
        database: { kind: manifest.database.kind, schemaVersion: manifest.database.schemaVersion, file: manifest.database.file, bytes: manifest.database.bytes },
        problems: manifest.history.problems,
        historyRows: manifest.history.rows,
        anchors: manifest.anchors.count,
        evidence: { files: manifest.evidence.count - manifest.evidence.unavailable.length, bytes: manifest.evidence.bytes },
        problemsFound: problems,
      },
      null,
      2,
    ),
  );
  if (problems.length > 0) {
    console.error(`Backup written to ${resolve(dir)}, but ${problems.length} evidence file(s) could not be copied (see problemsFound).`);
    return 1;
  }
  console.error(`Backup written to ${resolve(dir)}: ${manifest.history.problems} problem(s), ${manifest.evidence.count} evidence file(s).`);
  return 0;
}
