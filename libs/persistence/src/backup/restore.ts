import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SystemClock } from '#domain';
import { AuditTrail } from '#engine';
import { createDataSource, type DatabaseOptions } from '../data-source.js';
import { Database } from '../database.js';
import { writeMarker } from '../evidence-store-check.js';
import { FileEvidenceStore } from '../file-evidence.store.js';
import { MIGRATIONS } from '../migrations/index.js';
import { TypeOrmAuditTrailStore } from '../typeorm-audit-trail.store.js';
import { TypeOrmProblemRepository } from '../typeorm-problem.repository.js';
import { databaseDumpFor, hashFile } from './backup.js';
import { BackupError } from './backup.errors.js';
import { type BackupManifest, type BackupMismatch, compareWithManifest, EVIDENCE_FOLDER, readDatabaseFacts, readManifest } from './backup.manifest.js';
import type { DatabaseDump } from './database-dump.port.js';
import { checkStoredEvidence, copyEvidenceFile, folderEntries } from './evidence-copy.js';

export interface RestoreOptions {
  /** The backup folder (as `takeBackup` wrote it). */
  from: string;
  /** The target database (DATABASE_PATH / DATABASE_URL): must be empty. */
  database: DatabaseOptions;
  /**
   * The target file store (EVIDENCE_DIR): must be empty. Not used for a backup of the database store, whose content
   * comes back with the dump.
   */
  evidenceDir?: string;
}

export interface RestoreReport {
  /** True when the restored copy matches the manifest in every respect, every chain and anchor holds, every file hashes right. */
  ok: boolean;
  backup: { createdAt: string; kind: BackupManifest['database']['kind']; schemaVersion: string | null };
  restored: { tables: number; problems: number; historyRows: number; anchors: number; evidenceFiles: number };
  /** Migrations this version applied on top of the backup's schema (a backup from an older version). */
  migrationsApplied: string[];
  mismatches: BackupMismatch[];
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Restores a backup into an empty database and an empty evidence folder (none for a backup of the database store,
 * whose content is in the dump), then checks the copy: the manifest
 * against its hash, the dump against the manifest, the restored rows against the manifest's counts, heads, anchors
 * and evidence list, every history chain and daily anchor recomputed, every evidence file re-hashed.
 * Refuses (BackupError) before writing anything when the target is not empty or the backup cannot be restored here.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const { manifest, mismatches } = await readManifest(options.from);
  if (manifest.database.kind !== options.database.kind) {
    throw new BackupError(
      'BACKUP.WRONG_DATABASE_KIND',
      `The backup is of a ${manifest.database.kind} database; the target is ${options.database.kind}. Restore it into a ${manifest.database.kind} database.`,
    );
  }
  const known = MIGRATIONS.map((migration) => migration.name);
  if (manifest.database.schemaVersion !== null && !known.includes(manifest.database.schemaVersion)) {
    throw new BackupError(
      'BACKUP.NEWER_SCHEMA',
      `The backup's schema ${manifest.database.schemaVersion} is unknown to this version (latest ${known.at(-1)}): restore it with the version that made it.`,
    );
  }
  const dumpFile = join(options.from, basename(manifest.database.file));
  if (!existsSync(dumpFile)) throw new BackupError('BACKUP.NOT_A_BACKUP', `The backup's database dump ${dumpFile} is missing.`);

  const store = manifest.evidence.store ?? 'file';
  if (store === 'file' && options.evidenceDir === undefined) {
    throw new BackupError('BACKUP.NO_EVIDENCE_DIR', 'The backup holds evidence files (EVIDENCE_STORE=file): set EVIDENCE_DIR to an empty or missing folder to restore them into.');
  }
  const target = databaseDumpFor(options.database);
  const occupied = [await target.notEmpty()];
  const evidenceEntries = store === 'file' ? await folderEntries(options.evidenceDir!) : [];
  if (evidenceEntries.length > 0) occupied.push(`the evidence folder ${options.evidenceDir} holds ${evidenceEntries.length} entr${evidenceEntries.length === 1 ? 'y' : 'ies'}`);
  const notEmpty = occupied.filter((what): what is string => what !== null);
  if (notEmpty.length > 0) {
    throw new BackupError('BACKUP.TARGET_NOT_EMPTY', `Refusing to restore over existing data: ${notEmpty.join('; ')}. Restore into an empty database and evidence folder.`);
  }

  const dumped = await hashFile(dumpFile);
  if (dumped.sha256 !== manifest.database.sha256 || dumped.bytes !== manifest.database.bytes) {
    mismatches.push({
      check: 'dump',
      subject: manifest.database.file,
      message: `The database dump ${manifest.database.file} does not match the manifest (SHA-256 ${dumped.sha256}, ${dumped.bytes} bytes; recorded ${manifest.database.sha256}, ${manifest.database.bytes}): it was changed after the backup.`,
    });
  }
  await target.load(dumpFile);
  const facts = await target.read(readDatabaseFacts);
  mismatches.push(...compareWithManifest(manifest, facts));

  const evidenceMismatches =
    store === 'database' ? await verifyStoredEvidence(target, manifest, facts.evidence) : await restoreEvidence(manifest, facts.evidence, options.evidenceDir!, options.from);
  mismatches.push(...evidenceMismatches.mismatches);
  // The restored database records the directory's id: the restored folder becomes that store, so servers started on
  // the two pass the start-up check (see EvidenceStoreCheck).
  if (store === 'file' && facts.evidenceStore?.kind === 'file' && facts.evidenceStore.storeId !== null) {
    const storeId = facts.evidenceStore.storeId;
    if (/^[0-9a-f]{32}$/.test(storeId)) await writeMarker(options.evidenceDir!, storeId);
    else mismatches.push({ check: 'evidence', subject: 'store', message: `The restored database records ${JSON.stringify(storeId)} as its store id, which is not one: no marker was written.` });
  }

  const { chains, migrationsApplied } = await verifyRestoredHistory(options.database);
  mismatches.push(...chains);

  return {
    ok: mismatches.length === 0,
    backup: { createdAt: manifest.createdAt, kind: manifest.database.kind, schemaVersion: manifest.database.schemaVersion },
    restored: {
      tables: Object.keys(facts.tables).length,
      problems: facts.history.problems,
      historyRows: facts.history.rows,
      anchors: facts.anchors.count,
      evidenceFiles: evidenceMismatches.restored,
    },
    migrationsApplied,
    mismatches,
  };
}

/** Copies the backup's evidence (re-hashing each file), then checks every file the restored rows reference. */
async function restoreEvidence(
  manifest: BackupManifest,
  referenced: ReadonlyArray<{ sha256: string }>,
  evidenceDir: string,
  from: string,
): Promise<{ restored: number; mismatches: BackupMismatch[] }> {
  const mismatches: BackupMismatch[] = [];
  const reported = new Set<string>();
  let restored = 0;
  for (const { sha256 } of manifest.evidence.files) {
    if (!SHA256.test(sha256)) {
      mismatches.push({ check: 'evidence', subject: String(sha256), message: `The manifest lists ${JSON.stringify(sha256)}, which is not a SHA-256.` });
      continue;
    }
    const copy = await copyEvidenceFile(join(from, EVIDENCE_FOLDER), evidenceDir, sha256);
    if (copy.outcome === 'copied') {
      restored += 1;
      continue;
    }
    reported.add(sha256);
    mismatches.push({
      check: 'evidence',
      subject: sha256,
      message:
        copy.outcome === 'missing'
          ? `Evidence ${sha256} is listed in the manifest but missing from the backup.`
          : `Evidence ${sha256} in the backup hashes to ${copy.actual}: it was changed, and was not restored.`,
    });
  }
  const store = new FileEvidenceStore(evidenceDir);
  for (const { sha256 } of referenced) {
    if (reported.has(sha256) || !SHA256.test(sha256)) continue;
    const actual = await store.rehash(sha256);
    if (actual === sha256) continue;
    mismatches.push({
      check: 'evidence',
      subject: sha256,
      message: actual === null ? `The restored rows reference evidence ${sha256}, which the restored store does not have.` : `Restored evidence ${sha256} hashes to ${actual}.`,
    });
  }
  return { restored, mismatches };
}

/** The database store came back with the dump: re-hashes what it holds for each file the manifest lists or a row references. */
async function verifyStoredEvidence(
  target: DatabaseDump,
  manifest: BackupManifest,
  referenced: ReadonlyArray<{ sha256: string }>,
): Promise<{ restored: number; mismatches: BackupMismatch[] }> {
  const listed = manifest.evidence.files.map((file) => file.sha256);
  const outcomes = await target.read((reader) => checkStoredEvidence(reader, [...new Set([...listed, ...referenced.map((row) => row.sha256)])].map((sha256) => ({ sha256 }))));
  const mismatches: BackupMismatch[] = [];
  let restored = 0;
  for (const [sha256, outcome] of outcomes) {
    if (outcome.outcome === 'copied') {
      if (listed.includes(sha256)) restored += 1;
      continue;
    }
    mismatches.push({
      check: 'evidence',
      subject: String(sha256),
      message: !SHA256.test(sha256)
        ? `The backup names evidence ${JSON.stringify(sha256)}, which is not a SHA-256.`
        : outcome.outcome === 'missing'
          ? `Evidence ${sha256} is not in the restored database's evidence store (evidence_contents).`
          : `Evidence ${sha256} in the restored database's evidence store hashes to ${outcome.actual}.`,
    });
  }
  return { restored, mismatches };
}

/** Opens the restored database as the server would (applying newer migrations) and recomputes every chain and anchor. */
async function verifyRestoredHistory(options: DatabaseOptions): Promise<{ chains: BackupMismatch[]; migrationsApplied: string[] }> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  try {
    const migrationsApplied = (await dataSource.runMigrations({ transaction: 'all' })).map((migration) => migration.name);
    const db = new Database(dataSource);
    const report = await new AuditTrail(new TypeOrmProblemRepository(db), new TypeOrmAuditTrailStore(db), new SystemClock()).verifyAll();
    const chains: BackupMismatch[] = [
      ...report.broken.map((chain) => ({
        check: 'history' as const,
        subject: chain.problemId,
        message: `Problem ${chain.problemId}'s history chain is broken: ${chain.firstBroken?.message ?? 'it does not verify.'}`,
      })),
      ...report.anchors.broken.map((anchor) => ({ check: 'anchor' as const, subject: anchor.day, message: anchor.message })),
    ];
    return { chains, migrationsApplied };
  } finally {
    await dataSource.destroy();
  }
}
