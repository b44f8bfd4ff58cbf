import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Clock, SystemClock } from '#domain';
import { EvidenceContentStore } from '#engine';
import type { Database } from './database.js';

/** Content is read a slice at a time, so a download or a re-hash holds one slice, not the whole file. */
export const EVIDENCE_READ_CHUNK_BYTES = 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;

const INSERT =
  'INSERT INTO evidence_contents (sha256, content, size, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING';
// What is stored now, not the size column: content changed behind the store's back is re-hashed whole.
const SIZE = 'SELECT length(content) AS size FROM evidence_contents WHERE sha256 = ?';
const HAS = 'SELECT 1 AS stored FROM evidence_contents WHERE sha256 = ?';
// substr() takes a 1-based offset on both databases, and answers a blob (bytea) for a blob.
const SLICE = 'SELECT substr(content, ?, ?) AS chunk FROM evidence_contents WHERE sha256 = ?';
// Content a row already names stays: remove() only undoes a put whose own row could not be written.
const REMOVE = 'DELETE FROM evidence_contents WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM problem_evidence WHERE sha256 = ?)';

/**
 * Evidence content in the database (EVIDENCE_STORE=database), one row per SHA-256 in `evidence_contents`: every
 * server of the database reads what any of them stored, without a shared directory, and backups carry it in the
 * dump. Each statement commits by itself; `put` is one INSERT … ON CONFLICT DO NOTHING, so two servers storing the
 * same content at once both succeed and one row is kept (the second waits on the first's key, then does nothing).
 */
export class DatabaseEvidenceStore extends EvidenceContentStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = new SystemClock(),
  ) {
    super();
  }

  async put(content: Buffer): Promise<{ sha256: string; created: boolean }> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    // One statement (no transaction around it); run again after a lost connection, which the conflict makes harmless.
    const inserted = await this.db.sqlRead((sql) => sql.run(INSERT, [sha256, content, content.length, this.clock.now().toISOString()]));
    return { sha256, created: inserted === 1 };
  }

  async remove(sha256: string): Promise<void> {
    checked(sha256);
    await this.db.sqlRead((sql) => sql.run(REMOVE, [sha256, sha256]));
  }

  open(sha256: string): Readable {
    checked(sha256);
    return Readable.from(this.chunks(sha256), { objectMode: false });
  }

  async has(sha256: string): Promise<boolean> {
    checked(sha256);
    return (await this.db.sqlRead((sql) => sql.all(HAS, [sha256]))).length > 0;
  }

  async rehash(sha256: string): Promise<string | null> {
    checked(sha256);
    const hash = createHash('sha256');
    try {
      for await (const chunk of this.chunks(sha256)) hash.update(chunk);
    } catch (error) {
      if (error instanceof EvidenceContentMissingError) return null;
      throw error;
    }
    return hash.digest('hex');
  }

  private async *chunks(sha256: string): AsyncGenerator<Buffer> {
    const [row] = await this.db.sqlRead((sql) => sql.all<{ size: number | string }>(SIZE, [sha256]));
    if (!row) throw new EvidenceContentMissingError(sha256);
    const size = Number(row.size);
    for (let offset = 0; offset < size; offset += EVIDENCE_READ_CHUNK_BYTES) {
      const [slice] = await this.db.sqlRead((sql) => sql.all<{ chunk: Buffer | null }>(SLICE, [offset + 1, EVIDENCE_READ_CHUNK_BYTES, sha256]));
      if (!slice?.chunk) throw new EvidenceContentMissingError(sha256);
      yield Buffer.from(slice.chunk);
    }
  }
}

/** The content a row names is not in the database store (removed meanwhile, or never there). */
export class EvidenceContentMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`Evidence content ${sha256} is not in the database's evidence store.`);
    this.name = 'EvidenceContentMissingError';
  }
}

function checked(sha256: string): void {
  if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
}
