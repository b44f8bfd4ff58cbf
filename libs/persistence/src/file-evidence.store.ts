import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EvidenceContentStore } from '#engine';

/**
 * Evidence content on disk, addressed by SHA-256: `<dir>/sha256/ab/cdef…` (the same content is stored once).
 * A file is written to a temporary name in its final directory, flushed, then renamed, so a reader never sees
 * half a file and a crash leaves at most a `.tmp-*` file behind, never a wrong one under a hash.
 */
export class FileEvidenceStore extends EvidenceContentStore {
  constructor(private readonly dir: string) {
    super();
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
    return join(this.dir, 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  async put(content: Buffer): Promise<{ sha256: string; created: boolean }> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(sha256);
    if (await exists(target)) return { sha256, created: false };
    const folder = join(this.dir, 'sha256', sha256.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      const handle = await open(temporary, 'wx', 0o640);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { sha256, created: true };
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  async rehash(sha256: string): Promise<string | null> {
    const path = this.pathOf(sha256);
    if (!(await exists(path))) return null;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
