import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Clock, SystemClock } from '#domain';
import { DEFAULT_EVIDENCE_OPTIONS, EvidenceContentStore, type EvidenceStoreKind } from '#engine';
import type { Database } from './database.js';
import { DatabaseEvidenceStore } from './database-evidence.store.js';
import { FileEvidenceStore } from './file-evidence.store.js';

/** The file store's marker: `<EVIDENCE_DIR>/.store-id` holds the store id the database records. */
export const STORE_MARKER_FILE = '.store-id';

const STORE_ID = /^[0-9a-f]{32}$/;
/** A marker is one line of 32 hex digits; more than this is not read (the directory is not trusted more than any input). */
const MARKER_READ_BYTES = 256;
/** Referenced files looked for when an existing installation first records its directory. */
const UPGRADE_SAMPLE = 20;

export type EvidenceStoreErrorCode =
  /** This server's EVIDENCE_STORE is not the one the database's other servers use, and evidence exists. */
  | 'EVIDENCE_STORE.KIND_MISMATCH'
  /** This server's EVIDENCE_DIR is not the directory the database recorded (no marker, another or an unreadable one). */
  | 'EVIDENCE_STORE.OTHER_DIRECTORY'
  /** Nothing recorded yet, evidence rows exist, and the configured store holds none of their content. */
  | 'EVIDENCE_STORE.CONTENT_MISSING';

/** Why a server refuses to start on its evidence store (a start-up failure: never an HTTP answer). */
export class EvidenceStoreError extends Error {
  constructor(
    readonly code: EvidenceStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceStoreError';
  }
}

/** The store the database's servers use, as recorded by the first of them to start. */
export interface RecordedEvidenceStore {
  kind: EvidenceStoreKind;
  /** The file store's directory id (its marker's content); null for the database store. */
  storeId: string | null;
  recordedAt: string;
}

export interface EvidenceStorage {
  /** EVIDENCE_STORE: checked against the database at start-up. Absent: the store the database records, unchecked. */
  evidenceStore?: EvidenceStoreKind;
  /** EVIDENCE_DIR, for the file store. */
  evidenceDir?: string;
}

/**
 * The content store of one process. A server names its store (EVIDENCE_STORE) and is checked (see
 * EvidenceStoreCheck); a process that names none (the CLI, a worker, which never serves evidence to anyone) takes
 * the store the database records, or the file store when nothing is recorded, and claims nothing: an admin command
 * run on a host without the shared directory must not record that host's directory for every server.
 */
export async function openEvidenceStore(db: Database, storage: EvidenceStorage, clock: Clock = new SystemClock()): Promise<EvidenceContentStore> {
  const dir = storage.evidenceDir ?? DEFAULT_EVIDENCE_OPTIONS.dir;
  const kind = storage.evidenceStore
    ? (await new EvidenceStoreCheck(db, clock).ensure({ kind: storage.evidenceStore, dir })).kind
    : ((await recordedEvidenceStore(db))?.kind ?? 'file');
  return kind === 'database' ? new DatabaseEvidenceStore(db, clock) : new FileEvidenceStore(dir);
}

export async function recordedEvidenceStore(db: Database): Promise<RecordedEvidenceStore | null> {
  const [row] = await db.sqlRead((sql) =>
    sql.all<{ kind: string; store_id: string | null; recorded_at: string }>('SELECT kind, store_id, recorded_at FROM evidence_store WHERE id = 1'),
  );
  if (!row) return null;
  return { kind: row.kind === 'database' ? 'database' : 'file', storeId: row.store_id, recordedAt: row.recorded_at };
}

/**
 * Start-up check that a server's evidence store is the one every other server of its database uses, so that a
 * server on a host without the shared directory refuses to start instead of answering for files it does not have.
 *
 * The database records the store in `evidence_store` (kind, and for the file store a random id also written as the
 * directory's `.store-id` marker). The first server to start records its own: two on one shared directory agree on
 * the marker (created with an atomic link, so one wins and the other reads it), two on different directories race on
 * the one row and the loser refuses. A different kind may replace the record while no evidence exists; after that,
 * a server configured otherwise refuses, naming both settings.
 */
export class EvidenceStoreCheck {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  async ensure(configured: { kind: EvidenceStoreKind; dir: string }): Promise<RecordedEvidenceStore> {
    let recorded = await recordedEvidenceStore(this.db);
    if (recorded === null || (recorded.kind !== configured.kind && !(await this.hasEvidence()))) {
      await this.claim(configured, recorded);
      // Whoever won: this server, or another one starting at the same time.
      recorded = await recordedEvidenceStore(this.db);
      if (recorded === null) throw new Error('The evidence store was recorded, but the record cannot be read back.');
    }
    if (recorded.kind !== configured.kind) throw await this.kindMismatch(configured, recorded);
    if (configured.kind === 'file') {
      const marker = await readMarker(configured.dir);
      if (marker.state !== 'valid' || marker.id !== recorded.storeId) throw await this.otherDirectory(configured.dir, marker, recorded);
    }
    return recorded;
  }

  private async claim(configured: { kind: EvidenceStoreKind; dir: string }, previous: RecordedEvidenceStore | null): Promise<void> {
    if (previous === null && (await this.hasEvidence())) await this.refuseWithoutContent(configured);
    const storeId = configured.kind === 'file' ? await ensureMarker(configured.dir) : null;
    const now = this.clock.now().toISOString();
    await this.db.sqlRead((sql) =>
      previous === null
        ? sql.run('INSERT INTO evidence_store (id, kind, store_id, recorded_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [configured.kind, storeId, now])
        : // Only over the record this server read, and only while there is still no evidence to strand.
          sql.run('UPDATE evidence_store SET kind = ?, store_id = ?, recorded_at = ? WHERE id = 1 AND kind = ? AND NOT EXISTS (SELECT 1 FROM problem_evidence)', [
            configured.kind,
            storeId,
            now,
            previous.kind,
          ]),
    );
  }

  /**
   * An existing installation records its store at its first start after the upgrade: its evidence must be in the
   * store this server is configured with, or the first server to start would record a store that has none of it.
   */
  private async refuseWithoutContent(configured: { kind: EvidenceStoreKind; dir: string }): Promise<void> {
    if (configured.kind === 'database') {
      const [row] = await this.db.sqlRead((sql) =>
        sql.all<{ n: number | string }>(
          'SELECT COUNT(*) AS n FROM problem_evidence e WHERE NOT EXISTS (SELECT 1 FROM evidence_contents c WHERE c.sha256 = e.sha256)',
        ),
      );
      const missing = Number(row.n);
      if (missing === 0) return;
      throw new EvidenceStoreError(
        'EVIDENCE_STORE.CONTENT_MISSING',
        `EVIDENCE_STORE is database, but the database has ${missing} evidence row(s) whose content is not in it: they were stored as files ` +
          '(EVIDENCE_STORE=file, the default). Start this server with EVIDENCE_STORE=file and EVIDENCE_DIR set to the directory that holds them.',
      );
    }
    // A directory someone marked (an earlier start, or an operator) is taken as it is.
    if ((await readMarker(configured.dir)).state !== 'absent') return;
    const referenced = await this.db.sqlRead((sql) => sql.all<{ sha256: string }>(`SELECT sha256 FROM problem_evidence ORDER BY id DESC LIMIT ${UPGRADE_SAMPLE}`));
    const store = new FileEvidenceStore(configured.dir);
    for (const { sha256 } of referenced) {
      // A row's hash is not trusted either: one that is not a SHA-256 counts as not there.
      if (await store.has(sha256).catch(() => false)) return;
    }
    throw new EvidenceStoreError(
      'EVIDENCE_STORE.CONTENT_MISSING',
      `EVIDENCE_DIR ${configured.dir} holds none of the evidence files the database references (such as ${referenced[0]?.sha256}), so it is not ` +
        `this database's evidence directory: mount the directory that holds them at ${configured.dir}. If they are lost for good and this ` +
        `directory is to be the store from now on, write a store id into it first: openssl rand -hex 16 > ${join(configured.dir, STORE_MARKER_FILE)}`,
    );
  }

  private async kindMismatch(configured: { kind: EvidenceStoreKind }, recorded: RecordedEvidenceStore): Promise<EvidenceStoreError> {
    // Without evidence, a mismatch is a server of the other kind that recorded its store while this one started.
    const since = `recorded ${recorded.recordedAt}${(await this.hasEvidence()) ? ', and evidence is stored there' : ''}`;
    return new EvidenceStoreError(
      'EVIDENCE_STORE.KIND_MISMATCH',
      configured.kind === 'file'
        ? `EVIDENCE_STORE is file, but the other servers of this database keep evidence in the database (EVIDENCE_STORE=database, ${since}): ` +
            'this server would not find what they store, nor they what it stores. Set EVIDENCE_STORE=database on this server (EVIDENCE_DIR is then not used).'
        : `EVIDENCE_STORE is database, but the other servers of this database keep evidence as files in their shared EVIDENCE_DIR ` +
            `(EVIDENCE_STORE=file, ${since}): this server could not serve those files. ` +
            'Set EVIDENCE_STORE=file on this server, with EVIDENCE_DIR the shared directory (its .store-id marker holds the id the database recorded).',
    );
  }

  private async otherDirectory(dir: string, marker: Marker, recorded: RecordedEvidenceStore): Promise<EvidenceStoreError> {
    const found =
      marker.state === 'absent'
        ? `it has no ${STORE_MARKER_FILE} marker`
        : marker.state === 'invalid'
          ? `its ${STORE_MARKER_FILE} is not a store id`
          : `its ${STORE_MARKER_FILE} names store ${marker.id}`;
    const instead = (await this.hasEvidence()) ? '' : ', or set EVIDENCE_STORE=database on every server (no evidence is stored yet)';
    return new EvidenceStoreError(
      'EVIDENCE_STORE.OTHER_DIRECTORY',
      `EVIDENCE_DIR ${dir} is not the evidence directory the other servers of this database use: ${found}, and the database recorded store ` +
        `${recorded.storeId} (${recorded.recordedAt}). This server would answer for files it does not have. Mount the shared directory ` +
        `(the one whose ${STORE_MARKER_FILE} holds ${recorded.storeId}) at ${dir}${instead}.`,
    );
  }

  private async hasEvidence(): Promise<boolean> {
    const rows = await this.db.sqlRead((sql) => sql.all('SELECT 1 AS one FROM problem_evidence LIMIT 1'));
    return rows.length > 0;
  }
}

type Marker = { state: 'absent' } | { state: 'invalid' } | { state: 'valid'; id: string };

export async function readMarker(dir: string): Promise<Marker> {
  // An empty marker may be one being written by the fallback below: it is read again for a moment.
  for (let attempt = 0; ; attempt += 1) {
    let text: string;
    try {
      const handle = await open(join(dir, STORE_MARKER_FILE), 'r');
      try {
        const buffer = Buffer.alloc(MARKER_READ_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, MARKER_READ_BYTES, 0);
        text = buffer.subarray(0, bytesRead).toString('utf8').trim();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
      throw error;
    }
    if (STORE_ID.test(text)) return { state: 'valid', id: text };
    if (text !== '' || attempt >= 20) return { state: 'invalid' };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The directory's store id: the marker already there, or a new one. A new marker is written whole to a temporary
 * file and linked into place, which fails when a marker exists: of servers starting at once on one directory, one
 * writes it and the others read the same id.
 */
export async function ensureMarker(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, STORE_MARKER_FILE);
  const id = randomBytes(16).toString('hex');
  const temporary = join(dir, `${STORE_MARKER_FILE}.tmp-${randomBytes(8).toString('hex')}`);
  try {
    await writeWhole(temporary, id);
    await link(temporary, path);
    return id;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return await existingMarker(dir);
    // Some shared filesystems have no hard links: an exclusive create instead (readers wait out its empty moment).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      try {
        await writeWhole(path, id);
        return id;
      } catch (fallbackError) {
        if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return await existingMarker(dir);
        throw fallbackError;
      }
    }
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Marks `dir` as the store `id` (a restored evidence folder, for the restored database's record); refuses to replace a marker. */
export async function writeMarker(dir: string, id: string): Promise<void> {
  if (!STORE_ID.test(id)) throw new Error(`Not a store id: ${id}`);
  await mkdir(dir, { recursive: true });
  await writeWhole(join(dir, STORE_MARKER_FILE), id);
}

async function writeWhole(path: string, id: string): Promise<void> {
  const handle = await open(path, 'wx', 0o640);
  try {
    await handle.writeFile(`${id}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function existingMarker(dir: string): Promise<string> {
  const marker = await readMarker(dir);
  if (marker.state === 'valid') return marker.id;
  throw new EvidenceStoreError(
    'EVIDENCE_STORE.OTHER_DIRECTORY',
    `EVIDENCE_DIR ${dir} holds a ${STORE_MARKER_FILE} that is not a store id (32 hex digits): it was not written by this software. ` +
      'Point EVIDENCE_DIR at the evidence directory, or remove that file if this directory is to become the store.',
  );
}
