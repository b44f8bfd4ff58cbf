import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '#domain';
import { createDataSource, type DatabaseOptions } from '../data-source.js';
import { Database } from '../database.js';
import { BackupError } from './backup.errors.js';
import { BACKUP_FORMAT, type BackupManifest, type BackupMismatch, EVIDENCE_FOLDER, evidenceStoreOf, readDatabaseFacts, writeManifest } from './backup.manifest.js';
import type { DatabaseDump } from './database-dump.port.js';
import { checkStoredEvidence, copyEvidenceFile, folderEntries } from './evidence-copy.js';
import { PostgresDatabaseDump } from './postgres.database-dump.js';
import { SqliteDatabaseDump } from './sqlite.database-dump.js';

/** The dump adapter for a database; `live` is the running connection a SQLite dump goes through. */
export function databaseDumpFor(options: DatabaseOptions, live?: Database): DatabaseDump {
  return options.kind === 'postgres' ? new PostgresDatabaseDump(options.url) : new SqliteDatabaseDump(options.path, live);
}

export interface BackupOptions {
  dump: DatabaseDump;
  /** The live file store (EVIDENCE_DIR); not used when the database records the database store, whose content is in the dump. */
  evidenceDir?: string;
  /** The backup folder: new or empty. */
  into: string;
  clock: Clock;
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  /** Evidence the database references that the live store lacks or holds with other content (the backup names it). */
  problems: BackupMismatch[];
}

export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

/**
 * Takes an online backup: a consistent database snapshot, then the evidence files its rows reference, then the
 * manifest. Copying files after the snapshot is safe because the store writes a file (temporary name, then rename)
 * before the row naming it commits, and never removes a file a row names: every file the snapshot references is
 * already complete on disk. Files uploaded after the snapshot are not in it, and not copied.
 * With the database store (as the snapshot records it) the content is in the dump: it is re-hashed in the snapshot
 * instead, and nothing is read from EVIDENCE_DIR.
 */
export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const { dump, into } = options;
  const present = await folderEntries(into);
  if (present.length > 0) {
    throw new BackupError('BACKUP.TARGET_NOT_EMPTY', `The backup folder ${into} is not empty (${present.slice(0, 3).join(', ')}…): give a new or empty folder.`);
  }
  await mkdir(into, { recursive: true });
  const createdAt = options.clock.now().toISOString();
  const dumpFile = join(into, dump.fileName);
  const { facts, stored } = await dump.dump(dumpFile, async (snapshot) => {
    const facts = await readDatabaseFacts(snapshot);
    return { facts, stored: evidenceStoreOf(facts) === 'database' ? await checkStoredEvidence(snapshot, facts.evidence) : null };
  });
  const dumped = await hashFile(dumpFile);

  const problems: BackupMismatch[] = [];
  const unavailable: BackupManifest['evidence']['unavailable'] = [];
  let bytes = 0;
  const evidenceDir = stored === null ? await fileStoreFolder(options.evidenceDir, into) : null;
  for (const file of facts.evidence) {
    const copy = stored?.get(file.sha256) ?? (await copyEvidenceFile(evidenceDir!, join(into, EVIDENCE_FOLDER), file.sha256));
    if (copy.outcome === 'copied') {
      bytes += file.size;
      continue;
    }
    unavailable.push({ sha256: file.sha256, reason: copy.outcome });
    const where = evidenceDir ?? "the database's evidence store (evidence_contents)";
    problems.push({
      check: 'evidence',
      subject: file.sha256,
      message:
        copy.outcome === 'missing'
          ? `Evidence ${file.sha256} is referenced by the database but missing from ${where}: it is not in the backup.`
          : stored === null
            ? `Evidence ${file.sha256} in ${where} now hashes to ${copy.actual}: it is damaged and was not copied.`
            : `Evidence ${file.sha256} in ${where} hashes to ${copy.actual}: it is damaged (the dump holds it as it is).`,
    });
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt,
    database: { kind: dump.kind, schemaVersion: facts.schemaVersion, migrations: facts.migrations, file: dump.fileName, ...dumped },
    tables: facts.tables,
    history: facts.history,
    anchors: facts.anchors,
    evidence: { store: evidenceStoreOf(facts), count: facts.evidence.length, bytes, files: facts.evidence, unavailable },
  };
  await writeManifest(into, manifest);
  return { dir: into, manifest, problems };
}

/** The file store to copy from (it must be named), and the backup's evidence folder made beside the dump. */
async function fileStoreFolder(evidenceDir: string | undefined, into: string): Promise<string> {
  if (evidenceDir === undefined) {
    throw new BackupError('BACKUP.NO_EVIDENCE_DIR', 'The database keeps its evidence as files (EVIDENCE_STORE=file): set EVIDENCE_DIR to their directory to back them up.');
  }
  await mkdir(join(into, EVIDENCE_FOLDER), { recursive: true });
  return evidenceDir;
}

/**
 * A backup of the database the configuration names, from another process than the server's (the CLI): opens its
 * own connection without migrating anything, backs up, closes.
 */
export async function backupDatabase(options: { database: DatabaseOptions; evidenceDir?: string; into: string; clock: Clock }): Promise<BackupResult> {
  if (options.database.kind === 'sqlite' && !existsSync(options.database.path)) {
    throw new BackupError('BACKUP.NO_DATABASE', `There is no SQLite database at ${options.database.path} (DATABASE_PATH) to back up.`);
  }
  const backup = (dump: DatabaseDump) => takeBackup({ dump, evidenceDir: options.evidenceDir, into: options.into, clock: options.clock });
  // pg_dump and the snapshot's transaction make their own connections.
  if (options.database.kind === 'postgres') return backup(databaseDumpFor(options.database));
  const dataSource = createDataSource(options.database);
  await dataSource.initialize();
  try {
    return await backup(databaseDumpFor(options.database, new Database(dataSource)));
  } finally {
    await dataSource.destroy();
  }
}
