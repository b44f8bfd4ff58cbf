import { randomBytes } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): a millisecond timestamp followed by random bits. Ids sort by creation time,
 * which keeps B-tree inserts local and lets `id` serve as a stable pagination cursor.
 */
export function newId(at: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes[0] = Math.floor(at / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(at / 2 ** 32) & 0xff;
  bytes[2] = Math.floor(at / 2 ** 24) & 0xff;
  bytes[3] = Math.floor(at / 2 ** 16) & 0xff;
  bytes[4] = Math.floor(at / 2 ** 8) & 0xff;
  bytes[5] = at & 0xff;
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
