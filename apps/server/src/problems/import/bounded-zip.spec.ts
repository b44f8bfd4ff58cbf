import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import { deflatedRepeat, zip } from '#test/support/zip-writer.js';
import { BoundedZip, type ZipLimits } from './bounded-zip.js';
import { refusal } from '#test/support/refusal.js';

const MiB = 1024 * 1024;
const LIMITS: ZipLimits = { maxUncompressedBytes: 8 * MiB, maxEntryUncompressedBytes: 4 * MiB, maxRatio: 100 };

/** `mib` MiB of one letter, deflated ~1000:1. */
function zeros(mib: number, declaredSize?: number) {
  return { deflated: deflatedRepeat([{ text: 'A'.repeat(MiB), times: mib }]), ...(declaredSize === undefined ? {} : { declaredSize }) };
}


/** Reads a part, counting what was handed over before a refusal. */
async function readCounting(archive: BoundedZip, name: string): Promise<{ consumed: number; error?: DomainError }> {
  let consumed = 0;
  try {
    await archive.read(name, (chunk) => {
      consumed += chunk.length;
    });
  } catch (error) {
    if (error instanceof DomainError) return { consumed, error };
    throw error;
  }
  return { consumed };
}

describe(BoundedZip.name, () => {
  it('streams a part in chunks, byte for byte, and lists the parts', async () => {
    // given
    const text = 'héllo, 整改 '.repeat(20_000);
    const archive = await BoundedZip.open(zip([{ name: 'a.xml', content: text }, { name: 'dir/', store: true }, { name: 'b.bin', content: 'x', store: true }]), LIMITS);

    // when
    const chunks: Buffer[] = [];
    await archive.read('a.xml', (chunk) => chunks.push(chunk));

    // then
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
    expect(archive.names()).toEqual(['a.xml', 'b.bin']);
    expect(archive.has('dir/')).toBe(false);
  });

  describe('refuses an honest bomb from its central directory, before inflating anything', () => {
    it.each([
      {
        name: 'a part declaring more than the per-part limit',
        entries: [{ name: 'big.xml', ...zeros(5) }],
        code: 'IMPORT.UNCOMPRESSED_TOO_LARGE',
        details: { entry: 'big.xml', declared: true, maxEntryUncompressedBytes: 4 * MiB },
      },
      {
        name: 'parts declaring more than the total limit',
        entries: [1, 2, 3].map((n) => ({ name: `p${n}.bin`, content: Buffer.alloc(3 * MiB), store: true })),
        code: 'IMPORT.UNCOMPRESSED_TOO_LARGE',
        details: { declared: true, maxUncompressedBytes: 8 * MiB },
      },
      {
        name: 'a part declaring a ratio above IMPORT_MAX_RATIO',
        entries: [{ name: 'dense.xml', ...zeros(2) }],
        code: 'IMPORT.COMPRESSION_RATIO',
        details: { entry: 'dense.xml', declared: true, maxRatio: 100 },
      },
    ])('$name → $code', async ({ entries, code, details }) => {
      const error = await refusal(() => BoundedZip.open(zip(entries), LIMITS));

      expect(error.code).toBe(code);
      expect(error.details).toMatchObject(details);
    });

    it('more than 1,000 parts → IMPORT.TOO_MANY_ENTRIES', async () => {
      const entries = Array.from({ length: 1001 }, (_, i) => ({ name: `p${i}`, content: '', store: true }));

      const error = await refusal(() => BoundedZip.open(zip(entries), LIMITS));

      expect({ code: error.code, details: error.details }).toEqual({ code: 'IMPORT.TOO_MANY_ENTRIES', details: { entries: 1001, maxEntries: 1000 } });
    });
  });

  describe('counts what really inflates, whatever the headers declare', () => {
    it('stops a part declaring 1 KiB at the per-part limit, within one chunk of it', async () => {
      // given a part inflating to 1 GiB
      const archive = await BoundedZip.open(zip([{ name: 'lie.xml', ...zeros(1024, 1024) }]), { ...LIMITS, maxRatio: 10_000 });

      // when
      const { consumed, error } = await readCounting(archive, 'lie.xml');

      // then
      expect(error?.code).toBe('IMPORT.UNCOMPRESSED_TOO_LARGE');
      expect(error?.details).toMatchObject({ entry: 'lie.xml', declared: false, maxEntryUncompressedBytes: 4 * MiB });
      expect(consumed).toBeLessThanOrEqual(4 * MiB);
      expect(consumed).toBeGreaterThan(4 * MiB - 64 * 1024);
    });

    it('stops a lying part at the ratio limit once it inflates beyond 1 MiB', async () => {
      const archive = await BoundedZip.open(zip([{ name: 'lie.xml', ...zeros(3, 1024) }]), LIMITS);

      const { consumed, error } = await readCounting(archive, 'lie.xml');

      expect(error?.code).toBe('IMPORT.COMPRESSION_RATIO');
      expect(error?.details).toMatchObject({ entry: 'lie.xml', declared: false, maxRatio: 100 });
      expect(consumed).toBeLessThan(2 * MiB);
    });

    it('adds up the parts read against the total limit', async () => {
      // given parts each under the per-part limit, their sizes told honestly except the last
      const entries = [1, 2, 3].map((n) => ({ name: `p${n}.xml`, ...zeros(3, n === 3 ? 1 : undefined) }));
      const archive = await BoundedZip.open(zip(entries), { ...LIMITS, maxRatio: 10_000 });

      // when
      await archive.read('p1.xml', () => undefined);
      await archive.read('p2.xml', () => undefined);
      const { error } = await readCounting(archive, 'p3.xml');

      // then
      expect(error?.code).toBe('IMPORT.UNCOMPRESSED_TOO_LARGE');
      expect(error?.details).toMatchObject({ declared: false, maxUncompressedBytes: 8 * MiB });
    });

    it('adds up small parts against the ratio limit too (each under the 1 MiB it allows any ratio)', async () => {
      const entries = [1, 2, 3].map((n) => ({ name: `p${n}.xml`, deflated: deflatedRepeat([{ text: 'A'.repeat(900 * 1024) }]) }));
      const archive = await BoundedZip.open(zip(entries), LIMITS);

      await archive.read('p1.xml', () => undefined);
      const { error } = await readCounting(archive, 'p2.xml');

      expect(error?.code).toBe('IMPORT.COMPRESSION_RATIO');
      expect(error?.details).not.toHaveProperty('entry');
    });

    it('stops inflating when the consumer refuses', async () => {
      const archive = await BoundedZip.open(zip([{ name: 'a.xml', ...zeros(3) }]), { ...LIMITS, maxRatio: 10_000 });
      let chunks = 0;

      await expect(
        archive.read('a.xml', () => {
          chunks += 1;
          if (chunks === 2) throw new DomainError('IMPORT.TOO_MANY_CELLS', 'enough');
        }),
      ).rejects.toMatchObject({ code: 'IMPORT.TOO_MANY_CELLS' });
      expect(chunks).toBe(2);
    });
  });

  it.each([
    ['not a ZIP at all', Buffer.from('PK\u0003\u0004 but nothing more')],
    ['two parts with the same name', zip([{ name: 'a.xml', content: 'one' }, { name: 'a.xml', content: 'two' }])],
    ['a part whose name leaves the archive', zip([{ name: '../evil.xml', content: 'x' }])],
  ])('%s → IMPORT.UNSUPPORTED_FILE', async (_name, content) => {
    expect((await refusal(() => BoundedZip.open(content, LIMITS))).code).toBe('IMPORT.UNSUPPORTED_FILE');
  });

  it('a part whose deflate stream is corrupt → IMPORT.UNSUPPORTED_FILE', async () => {
    const archive = await BoundedZip.open(zip([{ name: 'a.xml', deflated: { bytes: Buffer.from([0xff, 0xff, 0xff, 0xff]), size: 10, crc32: 0 } }]), LIMITS);

    expect((await refusal(() => archive.read('a.xml', () => undefined))).code).toBe('IMPORT.UNSUPPORTED_FILE');
  });
});
