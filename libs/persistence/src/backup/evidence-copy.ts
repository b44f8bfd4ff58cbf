import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EVIDENCE_READ_CHUNK_BYTES } from '../database-evidence.store.js';
import { FileEvidenceStore } from '../file-evidence.store.js';
import type { SnapshotReader } from './database-dump.port.js';

export type CopyOutcome = { outcome: 'copied' } | { outcome: 'missing' } | { outcome: 'corrupt'; actual: string };

/**
 * Copies one content-addressed evidence file from one store folder to another, hashing the bytes on the way: it
 * lands under its name (temporary file, flushed, renamed, as the store writes) only when they hash to that name.
 */
export async function copyEvidenceFile(fromDir: string, toDir: string, sha256: string): Promise<CopyOutcome> {
  const source = new FileEvidenceStore(fromDir).pathOf(sha256);
  const target = new FileEvidenceStore(toDir).pathOf(sha256);
  await mkdir(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.tmp-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  try {
    const handle = await open(temporary, 'wx', 0o640);
    try {
      for await (const chunk of createReadStream(source)) {
        hash.update(chunk as Buffer);
        await handle.write(chunk as Buffer);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temporary, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { outcome: 'missing' };
    throw error;
  }
  const actual = hash.digest('hex');
  if (actual !== sha256) {
    await rm(temporary, { force: true });
    return { outcome: 'corrupt', actual };
  }
  await rename(temporary, target);
  return { outcome: 'copied' };
}

/** A folder is empty when it does not exist or holds nothing. */
export async function folderEntries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * SHA-256 of what the database store (`evidence_contents`) of a snapshot holds under `sha256`, read a slice at a
 * time; null when it holds nothing there. `sha256` is checked before it goes into the SQL (the reader takes no
 * parameters).
 */
export async function hashStoredEvidence(reader: SnapshotReader, sha256: string): Promise<string | null> {
  if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
  const [row] = await reader.all<{ size: number | string }>(`SELECT length(content) AS size FROM evidence_contents WHERE sha256 = '${sha256}'`);
  if (!row) return null;
  const hash = createHash('sha256');
  const size = Number(row.size);
  for (let offset = 0; offset < size; offset += EVIDENCE_READ_CHUNK_BYTES) {
    const [slice] = await reader.all<{ chunk: Buffer | null }>(
      `SELECT substr(content, ${offset + 1}, ${EVIDENCE_READ_CHUNK_BYTES}) AS chunk FROM evidence_contents WHERE sha256 = '${sha256}'`,
    );
    if (!slice?.chunk) return null;
    hash.update(slice.chunk);
  }
  return hash.digest('hex');
}

/** Checks each file's content in a snapshot's database store: the outcome per SHA-256, as copying a file reports it. */
export async function checkStoredEvidence(reader: SnapshotReader, files: ReadonlyArray<{ sha256: string }>): Promise<Map<string, CopyOutcome>> {
  const outcomes = new Map<string, CopyOutcome>();
  for (const { sha256 } of files) {
    if (outcomes.has(sha256)) continue;
    const actual = SHA256.test(sha256) ? await hashStoredEvidence(reader, sha256) : null;
    outcomes.set(sha256, actual === null ? { outcome: 'missing' } : actual === sha256 ? { outcome: 'copied' } : { outcome: 'corrupt', actual });
  }
  return outcomes;
}
