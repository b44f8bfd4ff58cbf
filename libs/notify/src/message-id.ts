import { createHash } from 'node:crypto';

/**
 * A message's id, derived from what it reports and where it goes: planning the same event twice (the relay hands
 * events over at least once), or two rules reaching one person by one channel, make one message. 36 characters,
 * as every other id (136 bits of SHA-256).
 */
export function messageId(...parts: ReadonlyArray<string | null>): string {
  return `n-${createHash('sha256').update(parts.map((part) => part ?? '').join('\u0000'), 'utf8').digest('hex').slice(0, 34)}`;
}
