import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The text of a PDF as poppler's pdftotext reads it, runs of white space as one space: what a reader copies out of
 * it (Chinese included, when its fonts carry their Unicode mapping). Fails, never skips, without pdftotext.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-text-'));
  try {
    await writeFile(join(dir, 'file.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', join(dir, 'file.pdf'), '-']).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new Error('pdftotext is not installed: apt-get install poppler-utils (the README lists what the tests need)');
      throw error;
    });
    return stdout.replace(/\s+/g, ' ');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
