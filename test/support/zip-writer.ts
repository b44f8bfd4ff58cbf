import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A tiny ZIP writer for the import tests, so that hostile workbooks are generated in the test instead of committed
 * as binaries. It can write what no honest writer does: sizes that lie, and bodies that inflate to gigabytes
 * without ever being held inflated here (`deflatedRepeat`).
 */
export interface ZipEntry {
  name: string;
  /** The body, deflated here (or stored, with `store`). */
  content?: string | Buffer;
  /** A raw-deflate body made elsewhere (see `deflatedRepeat`) with the size it inflates to. */
  deflated?: DeflatedBody;
  store?: boolean;
  /** The uncompressed size written in both headers instead of the true one: an entry that lies. */
  declaredSize?: number;
}

export interface DeflatedBody {
  bytes: Buffer;
  /** Bytes it inflates to. */
  size: number;
  /** 0 when not computed: the readers under test do not check it before they inflate (yauzl never does). */
  crc32: number;
}

/** A piece of an entry's body, written `times` times in a row (default once). */
export interface BodyPart {
  text: string | Buffer;
  times?: number;
}

/**
 * A raw-deflate stream of the parts, each compressed once and its blocks repeated: a piece ending on a full
 * flush is self-contained and byte-aligned, so copies can be concatenated and end with one final empty block.
 * 1 MiB of one character compresses to about 1 KiB, so a 1 GiB body is about 1 MiB here, built in milliseconds.
 */
export function deflatedRepeat(parts: BodyPart[]): DeflatedBody {
  const blocks: Buffer[] = [];
  let size = 0;
  for (const { text, times = 1 } of parts) {
    const raw = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const block = deflateRawSync(raw, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
    for (let i = 0; i < times; i += 1) blocks.push(block);
    size += raw.length * times;
  }
  blocks.push(deflateRawSync(Buffer.alloc(0)));
  return { bytes: Buffer.concat(blocks), size, crc32: 0 };
}

/** The archive's bytes: local headers and bodies, then the central directory and its end record (no ZIP64). */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const { method, body, size, crc } = bodyOf(entry);
    const declared = entry.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function bodyOf(entry: ZipEntry): { method: number; body: Buffer; size: number; crc: number } {
  if (entry.deflated) return { method: 8, body: entry.deflated.bytes, size: entry.deflated.size, crc: entry.deflated.crc32 };
  const raw = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : (entry.content ?? Buffer.alloc(0));
  const crc = crc32(raw);
  return entry.store ? { method: 0, body: raw, size: raw.length, crc } : { method: 8, body: deflateRawSync(raw), size: raw.length, crc };
}
