import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DomainError } from '#domain';
import {
  compressionRatio,
  type ImportLimits,
  MAX_ARCHIVE_ENTRIES,
  partTooLarge,
  RATIO_GRACE_BYTES,
  tooManyEntries,
  unreadableWorkbook,
  workbookTooLarge,
} from './import-limits.js';

export type ZipLimits = Pick<ImportLimits, 'maxUncompressedBytes' | 'maxEntryUncompressedBytes' | 'maxRatio'>;

/**
 * A ZIP archive read from memory whose parts are inflated only as streams, under limits. The central directory's
 * sizes are checked when it is opened (an honest bomb is refused before anything inflates), and since those sizes
 * may lie, the bytes actually inflated are counted as they stream, the inflation stopped the moment one is crossed.
 */
export class BoundedZip {
  private inflatedBytes = 0;
  private compressedBytes = 0;

  private constructor(
    private readonly zipfile: yauzl.ZipFile,
    private readonly entries: ReadonlyMap<string, yauzl.Entry>,
    private readonly limits: ZipLimits,
  ) {}

  static async open(content: Buffer, limits: ZipLimits): Promise<BoundedZip> {
    let zipfile: yauzl.ZipFile;
    try {
      // Sizes are checked here, against the bytes that really come out, not by yauzl against the declared ones.
      zipfile = await yauzl.fromBufferPromise(content, { lazyEntries: true, validateEntrySizes: false });
    } catch {
      throw unreadableWorkbook();
    }
    if (zipfile.entryCount > MAX_ARCHIVE_ENTRIES) throw tooManyEntries(zipfile.entryCount);
    const entries = new Map<string, yauzl.Entry>();
    let count = 0;
    let declared = 0;
    try {
      for await (const entry of zipfile.eachEntry()) {
        // The end record's count can lie too.
        count += 1;
        if (count > MAX_ARCHIVE_ENTRIES) throw tooManyEntries(count);
        if (entry.fileName.endsWith('/')) continue;
        if (entries.has(entry.fileName)) throw unreadableWorkbook(`it has two parts named ${entry.fileName}`);
        const { uncompressedSize, compressedSize } = entry;
        if (uncompressedSize > limits.maxEntryUncompressedBytes) {
          throw partTooLarge(entry.fileName, uncompressedSize, true, limits.maxEntryUncompressedBytes);
        }
        if (uncompressedSize > RATIO_GRACE_BYTES && uncompressedSize > limits.maxRatio * compressedSize) {
          throw compressionRatio(entry.fileName, uncompressedSize / Math.max(compressedSize, 1), true, limits.maxRatio);
        }
        declared += uncompressedSize;
        if (declared > limits.maxUncompressedBytes) throw workbookTooLarge(declared, true, limits.maxUncompressedBytes);
        entries.set(entry.fileName, entry);
      }
    } catch (error) {
      zipfile.close();
      if (error instanceof DomainError) throw error;
      throw unreadableWorkbook();
    }
    return new BoundedZip(zipfile, entries, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Inflates one part, handing each chunk (zlib's 16 KiB) to `consume` before the next is inflated; what
   * `consume` throws stops the inflation too. Nothing of the part is kept here.
   */
  async read(name: string, consume: (chunk: Buffer) => void): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw unreadableWorkbook(`it has no part ${name}`);
    let stream: Readable;
    try {
      stream = await this.zipfile.openReadStreamPromise(entry);
    } catch {
      throw unreadableWorkbook(`its part ${name} cannot be opened (encrypted, or compressed in a way spreadsheets are not)`);
    }
    this.compressedBytes += entry.compressedSize;
    let inflated = 0;
    try {
      // Leaving the loop early (a throw) destroys the stream, and with it the inflation.
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        this.inflatedBytes += chunk.length;
        this.check(name, inflated, entry.compressedSize);
        consume(chunk);
      }
    } catch (error) {
      stream.destroy();
      if (error instanceof DomainError) throw error;
      throw unreadableWorkbook(`its part ${name} cannot be inflated`);
    }
  }

  close(): void {
    this.zipfile.close();
  }

  private check(name: string, inflated: number, compressed: number): void {
    const { maxEntryUncompressedBytes, maxUncompressedBytes, maxRatio } = this.limits;
    if (inflated > maxEntryUncompressedBytes) throw partTooLarge(name, inflated, false, maxEntryUncompressedBytes);
    if (this.inflatedBytes > maxUncompressedBytes) throw workbookTooLarge(this.inflatedBytes, false, maxUncompressedBytes);
    if (inflated > RATIO_GRACE_BYTES && inflated > maxRatio * compressed) {
      throw compressionRatio(name, inflated / Math.max(compressed, 1), false, maxRatio);
    }
    // Parts each under the grace size could still add up to a bomb.
    if (this.inflatedBytes > RATIO_GRACE_BYTES && this.inflatedBytes > maxRatio * this.compressedBytes) {
      throw compressionRatio(null, this.inflatedBytes / Math.max(this.compressedBytes, 1), false, maxRatio);
    }
  }
}
