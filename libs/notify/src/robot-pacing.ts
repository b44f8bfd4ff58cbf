/**
 * Pacing one group robot. A robot takes at most `limitPerMinute` messages in any 60 s; DingTalk blocks it for
 * 10 minutes beyond that (error 130101), so the sender never tries more than the window has room for. When a burst
 * would need more sends than there is room, messages are folded into digests instead of being dropped or delayed
 * without end: a digest carries up to `digestMaxItems` messages in one send.
 */

export interface PendingRobotMessage {
  id: string;
  urgent: boolean;
  createdAt: string;
}

export interface PacingInput {
  limitPerMinute: number;
  /** Instants (ISO) of the attempts made to this robot, any age; only those in (now - 60 s, now] count. */
  recentAttempts: readonly string[];
  now: Date;
  /** Due messages of this robot. */
  pending: readonly PendingRobotMessage[];
  /** Most messages one digest folds together. */
  digestMaxItems: number;
}

export interface PacingPlan {
  /** Sent as they are. */
  alone: string[];
  /** Each inner list is folded into one digest message (ids in order). */
  digests: string[][];
  /** When a slot frees again if something had to wait (oldest counted attempt + 60 s), else null. */
  nextSlotAt: string | null;
}

export const PACING_WINDOW_MS = 60_000;

/** Urgent first (they go alone when anything does), then oldest first, then by id so every round orders alike. */
export function comparePendingRobotMessages(a: PendingRobotMessage, b: PendingRobotMessage): number {
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  const byAge = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (byAge !== 0 && !Number.isNaN(byAge)) return byAge;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One claim round for one robot. With `free` sends left in the window and P messages due: all alone when P ≤ free;
 * else g = ⌈(P − free) / (max − 1)⌉ digests and free − g alone, which uses every free send and covers all P; when even
 * that does not fit (g > free), `free` full digests and the rest waits for `nextSlotAt`.
 */
export function planRobotRound(input: PacingInput): PacingPlan {
  const { limitPerMinute, digestMaxItems, now } = input;
  if (!Number.isSafeInteger(limitPerMinute) || limitPerMinute < 1) {
    throw new RangeError(`A robot's limit per minute must be a whole number from 1, not ${limitPerMinute}.`);
  }
  // A "digest" of one message saves nothing, and the fold arithmetic divides by max − 1.
  if (!Number.isSafeInteger(digestMaxItems) || digestMaxItems < 2) {
    throw new RangeError(`A digest must fold at least 2 messages, not ${digestMaxItems}.`);
  }

  const nowMs = now.getTime();
  const counted = input.recentAttempts
    .map((at) => Date.parse(at))
    .filter((ms) => ms > nowMs - PACING_WINDOW_MS && ms <= nowMs);
  const free = limitPerMinute - counted.length;
  // The oldest counted attempt leaves the window first; with none counted, this round's own sends are the oldest.
  const slotFreesAt = (): string => new Date((counted.length > 0 ? Math.min(...counted) : nowMs) + PACING_WINDOW_MS).toISOString();

  const ordered = [...input.pending].sort(comparePendingRobotMessages).map((message) => message.id);
  if (ordered.length === 0) return { alone: [], digests: [], nextSlotAt: null };
  if (free <= 0) return { alone: [], digests: [], nextSlotAt: slotFreesAt() };
  if (ordered.length <= free) return { alone: ordered, digests: [], nextSlotAt: null };

  const digestCount = Math.ceil((ordered.length - free) / (digestMaxItems - 1));
  if (digestCount > free) {
    const digests = chunk(ordered.slice(0, free * digestMaxItems), digestMaxItems);
    return { alone: [], digests, nextSlotAt: slotFreesAt() };
  }
  const aloneCount = free - digestCount;
  // digestCount is the fewest digests that fit, so chunks of `digestMaxItems` make exactly that many, none of one.
  return { alone: ordered.slice(0, aloneCount), digests: chunk(ordered.slice(aloneCount), digestMaxItems), nextSlotAt: null };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
