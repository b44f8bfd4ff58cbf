import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FileEvidenceStore } from '../file-evidence.store.js';

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
