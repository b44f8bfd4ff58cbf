import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceStoreKind } from '#engine';
import { BackupError } from './backup.errors.js';
import type { SnapshotReader } from './database-dump.port.js';

export const BACKUP_FORMAT = 'rectification-backup/1';
export const MANIFEST_FILE = 'manifest.json';
/** `sha256sum -c manifest.sha256` checks the manifest by hand; the manifest in turn names the dump's hash. */
export const MANIFEST_HASH_FILE = 'manifest.sha256';
export const EVIDENCE_FOLDER = 'evidence';

/** What a database snapshot holds, read the same way from the live snapshot and from a restored copy. */
export interface DatabaseFacts {
  /** The last migration applied (TypeORM's `migrations` table), or null on a database never migrated. */
  schemaVersion: string | null;
  migrations: number;
  /** Rows per table, every table of the schema. */
  tables: Record<string, number>;
  history: {
    problems: number;
    rows: number;
    /** SHA-256 over every `problemId head` line in id order: one figure that moves when any head does. */
    headsDigest: string;
    /** [problemId, the problem row's latest history hash], in id order. */
    heads: Array<[string, string | null]>;
  };
  anchors: { count: number; latest: { day: string; anchor: string } | null };
  /** Each distinct evidence file the rows reference, by SHA-256 (sorted). */
  evidence: Array<{ sha256: string; size: number }>;
  /** The evidence store the database's servers recorded (`evidence_store`), or null when none has yet. */
  evidenceStore: { kind: EvidenceStoreKind; storeId: string | null } | null;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: {
    kind: 'sqlite' | 'postgres';
    schemaVersion: string | null;
    migrations: number;
    /** The dump's file in the backup folder, its SHA-256 and size. */
    file: string;
    sha256: string;
    bytes: number;
  };
  tables: Record<string, number>;
  history: DatabaseFacts['history'];
  anchors: DatabaseFacts['anchors'];
  evidence: {
    /**
     * Where the content is: `file`, copied into the backup's evidence folder; `database`, in the dump itself. Absent in
     * backups made before the database store existed: `file`.
     */
    store?: EvidenceStoreKind;
    count: number;
    bytes: number;
    files: Array<{ sha256: string; size: number }>;
    /** Files the rows reference that the store did not have, or had with other content, when the backup ran. */
    unavailable: Array<{ sha256: string; reason: 'missing' | 'corrupt' }>;
  };
}

/** One thing a backup or a restored copy does not match. `check` groups them; `subject` names the table/problem/file. */
export interface BackupMismatch {
  check: 'manifest' | 'dump' | 'schema' | 'table' | 'history' | 'anchor' | 'evidence';
  subject?: string;
  message: string;
}

const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function headsDigest(heads: ReadonlyArray<readonly [string, string | null]>): string {
  const hash = createHash('sha256');
  for (const [id, head] of heads) hash.update(`${id} ${head ?? '-'}\n`);
  return hash.digest('hex');
}

/** Reads the facts of one snapshot. Sorting happens here, not in SQL, so both databases' collations agree. */
export async function readDatabaseFacts(reader: SnapshotReader): Promise<DatabaseFacts> {
  const tableNames = (
    await reader.all<{ name: string }>(
      reader.kind === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
  )
    .map((row) => row.name)
    .sort();
  const tables: Record<string, number> = {};
  for (const name of tableNames) {
    const [row] = await reader.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`);
    tables[name] = Number(row.n);
  }
  const has = (table: string) => table in tables;

  const migrations = has('migrations')
    ? await reader.all<{ name: string }>('SELECT name FROM migrations ORDER BY "timestamp" DESC, id DESC')
    : [];
  const heads: Array<[string, string | null]> = has('problems')
    ? (await reader.all<{ id: string; head: string | null }>('SELECT id, history_hash AS head FROM problems'))
        .map((row): [string, string | null] => [row.id, row.head])
        .sort(byKey(([id]) => id))
    : [];
  const anchors = has('history_anchors')
    ? (await reader.all<{ day: string; anchor: string }>('SELECT day, anchor FROM history_anchors')).sort(byKey((row) => row.day))
    : [];
  const evidence = has('problem_evidence')
    ? (await reader.all<{ sha256: string; size: number | string }>('SELECT sha256, MAX(size) AS size FROM problem_evidence GROUP BY sha256'))
        .map((row) => ({ sha256: row.sha256, size: Number(row.size) }))
        .sort(byKey((row) => row.sha256))
    : [];
  const [store] = has('evidence_store')
    ? await reader.all<{ kind: string; store_id: string | null }>('SELECT kind, store_id FROM evidence_store WHERE id = 1')
    : [];
  const latest = anchors.at(-1);
  return {
    schemaVersion: migrations[0]?.name ?? null,
    migrations: migrations.length,
    tables,
    history: { problems: heads.length, rows: tables.problem_history ?? 0, headsDigest: headsDigest(heads), heads },
    anchors: { count: anchors.length, latest: latest ? { day: latest.day, anchor: latest.anchor } : null },
    evidence,
    evidenceStore: store ? { kind: store.kind === 'database' ? 'database' : 'file', storeId: store.store_id } : null,
  };
}

/** The store a snapshot's evidence content is in: the recorded one; the file store when none is recorded (as before it could be). */
export function evidenceStoreOf(facts: Pick<DatabaseFacts, 'evidenceStore'>): EvidenceStoreKind {
  return facts.evidenceStore?.kind ?? 'file';
}

/** Everything in which a restored copy differs from the manifest of the backup it was restored from. */
export function compareWithManifest(manifest: BackupManifest, facts: DatabaseFacts): BackupMismatch[] {
  const mismatches: BackupMismatch[] = [];
  if (facts.schemaVersion !== manifest.database.schemaVersion || facts.migrations !== manifest.database.migrations) {
    mismatches.push({
      check: 'schema',
      message: `The restored schema is ${facts.schemaVersion ?? 'none'} (${facts.migrations} migrations); the backup recorded ${manifest.database.schemaVersion ?? 'none'} (${manifest.database.migrations}).`,
    });
  }
  for (const table of new Set([...Object.keys(manifest.tables), ...Object.keys(facts.tables)])) {
    const expected = manifest.tables[table];
    const actual = facts.tables[table];
    if (expected === actual) continue;
    mismatches.push({
      check: 'table',
      subject: table,
      message:
        expected === undefined
          ? `Table ${table} (${actual} rows) is not in the backup's manifest.`
          : actual === undefined
            ? `Table ${table} (${expected} rows in the manifest) is missing from the restored database.`
            : `Table ${table} has ${actual} rows; the backup recorded ${expected}.`,
    });
  }
  if (facts.history.headsDigest !== manifest.history.headsDigest) {
    const recorded = new Map(manifest.history.heads);
    const restored = new Map(facts.history.heads);
    const differing = [...new Set([...recorded.keys(), ...restored.keys()])].filter((id) => recorded.get(id) !== restored.get(id)).sort();
    for (const id of differing) {
      mismatches.push({
        check: 'history',
        subject: id,
        message: !restored.has(id)
          ? `Problem ${id} is in the manifest but not in the restored database.`
          : !recorded.has(id)
            ? `Problem ${id} is in the restored database but not in the manifest.`
            : `Problem ${id}'s latest history hash is ${restored.get(id) ?? 'none'}; the backup recorded ${recorded.get(id) ?? 'none'}.`,
      });
    }
    if (differing.length === 0) {
      mismatches.push({ check: 'history', message: "The digest over the problems' history heads does not match the manifest's." });
    }
  }
  const latest = (anchors: DatabaseFacts['anchors']) => (anchors.latest ? `${anchors.latest.day} ${anchors.latest.anchor}` : 'none');
  if (facts.anchors.count !== manifest.anchors.count || latest(facts.anchors) !== latest(manifest.anchors)) {
    mismatches.push({
      check: 'anchor',
      message: `The restored history has ${facts.anchors.count} daily anchor(s), the latest ${latest(facts.anchors)}; the backup recorded ${manifest.anchors.count}, the latest ${latest(manifest.anchors)}.`,
    });
  }
  const store = manifest.evidence.store ?? 'file';
  if (evidenceStoreOf(facts) !== store) {
    mismatches.push({
      check: 'evidence',
      subject: 'store',
      message: `The restored database records the ${evidenceStoreOf(facts)} evidence store; the backup recorded the ${store} store.`,
    });
  }
  const recordedEvidence = new Set(manifest.evidence.files.map((file) => file.sha256));
  const restoredEvidence = new Set(facts.evidence.map((file) => file.sha256));
  for (const sha256 of restoredEvidence) {
    if (!recordedEvidence.has(sha256)) {
      mismatches.push({ check: 'evidence', subject: sha256, message: `The restored rows reference evidence ${sha256}, which the manifest does not list.` });
    }
  }
  for (const sha256 of recordedEvidence) {
    if (!restoredEvidence.has(sha256)) {
      mismatches.push({ check: 'evidence', subject: sha256, message: `The manifest lists evidence ${sha256}, which no restored row references.` });
    }
  }
  return mismatches;
}

export function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The manifest, and beside it its own hash in `sha256sum` format. Written last: a folder without it is no backup. */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(dir, MANIFEST_FILE), text, { flag: 'wx' });
  await writeFile(join(dir, MANIFEST_HASH_FILE), `${sha256Of(text)}  ${MANIFEST_FILE}\n`, { flag: 'wx' });
}

/** Reads a backup's manifest; a manifest that does not match its hash is still read, and the mismatch reported. */
export async function readManifest(dir: string): Promise<{ manifest: BackupManifest; mismatches: BackupMismatch[] }> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupError('BACKUP.NOT_A_BACKUP', `${dir} has no ${MANIFEST_FILE}: it is not a backup, or the backup did not finish.`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError('BACKUP.NOT_A_BACKUP', `${join(dir, MANIFEST_FILE)} is not valid JSON: the backup is damaged.`);
  }
  if (manifest?.format !== BACKUP_FORMAT) {
    throw new BackupError('BACKUP.NOT_A_BACKUP', `${join(dir, MANIFEST_FILE)} is not a manifest of format ${BACKUP_FORMAT}.`);
  }
  const mismatches: BackupMismatch[] = [];
  const recorded = await readFile(join(dir, MANIFEST_HASH_FILE), 'utf8').then(
    (line) => line.split(/\s+/)[0],
    () => null,
  );
  if (recorded === null) {
    mismatches.push({ check: 'manifest', subject: MANIFEST_HASH_FILE, message: `${MANIFEST_HASH_FILE} is missing: the manifest cannot be checked.` });
  } else if (recorded !== sha256Of(text)) {
    mismatches.push({ check: 'manifest', subject: MANIFEST_FILE, message: `${MANIFEST_FILE} does not match the hash in ${MANIFEST_HASH_FILE}: the manifest was changed after the backup.` });
  }
  return { manifest, mismatches };
}
