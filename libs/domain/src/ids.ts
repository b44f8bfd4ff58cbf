import { randomBytes } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/** Random bytes drawn from the system in blocks: one system call per 256 ids, not two per id. */
const RANDOM_BLOCK = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function random(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(RANDOM_BLOCK);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return bytes;
}

/**
 * UUID version 7 (RFC 9562): a millisecond timestamp, then a 12-bit counter (method 1 of RFC 9562 §6.2), then
 * random bits. Ids made by one process within the same millisecond strictly increase, so `id` order is creation
 * order: B-tree inserts stay local and `id` serves as a pagination cursor.
 */
export function newId(at: number = Date.now()): string {
  let ms = Math.max(0, Math.floor(at));
  if (ms === lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next one rather than repeat or go backwards.
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = random(2).readUInt16BE(0) & 0x3ff; // start low, leaving room to count up
  }
  const bytes = random(16);
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = Math.floor(ms / 2 ** 24) & 0xff;
  bytes[3] = Math.floor(ms / 2 ** 16) & 0xff;
  bytes[4] = Math.floor(ms / 2 ** 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
