import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PACING_WINDOW_MS, planRobotRound, type PacingInput, type PacingPlan, type PendingRobotMessage } from './robot-pacing.js';

const now = new Date('2026-03-23T02:00:00.000Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const messages = (count: number, urgent: (index: number) => boolean = () => false): PendingRobotMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `m${String(index).padStart(3, '0')}`,
    urgent: urgent(index),
    createdAt: ago(50_000 - index * 100),
  }));
const sends = (plan: PacingPlan): number => plan.alone.length + plan.digests.length;
const covered = (plan: PacingPlan): string[] => [...plan.alone, ...plan.digests.flat()];

describe(planRobotRound.name, () => {
  it('sends everything alone when the window has room', () => {
    // given 5 attempts in the last minute, one older that no longer counts
    const recentAttempts = [ago(70_000), ...Array.from({ length: 5 }, (_, i) => ago(10_000 * i))];
    // when
    const plan = planRobotRound({ limitPerMinute: 20, recentAttempts, now, pending: messages(15), digestMaxItems: 10 });
    // then
    expect(plan).toEqual({ alone: messages(15).map((m) => m.id), digests: [], nextSlotAt: null });
  });

  it('orders urgent messages first, then by age, then by id', () => {
    // given
    const pending: PendingRobotMessage[] = [
      { id: 'b', urgent: false, createdAt: ago(5_000) },
      { id: 'a', urgent: false, createdAt: ago(5_000) },
      { id: 'old', urgent: false, createdAt: ago(9_000) },
      { id: 'urgent', urgent: true, createdAt: ago(1_000) },
    ];
    // when
    const plan = planRobotRound({ limitPerMinute: 20, recentAttempts: [], now, pending, digestMaxItems: 10 });
    // then
    expect(plan.alone).toEqual(['urgent', 'old', 'a', 'b']);
  });

  it('sends nothing when the window is full, and says when the oldest attempt leaves it', () => {
    // given 20 attempts, the oldest 59 s ago
    const recentAttempts = Array.from({ length: 20 }, (_, i) => ago(59_000 - i * 1_000));
    // when
    const plan = planRobotRound({ limitPerMinute: 20, recentAttempts, now, pending: messages(3), digestMaxItems: 10 });
    // then
    expect(plan).toEqual({ alone: [], digests: [], nextSlotAt: new Date(now.getTime() + 1_000).toISOString() });
  });

  it('counts an attempt exactly 60 s ago as gone and one made now as counted', () => {
    // given 19 attempts now and one exactly a minute ago
    const recentAttempts = [ago(PACING_WINDOW_MS), ...Array.from({ length: 19 }, () => now.toISOString())];
    // when
    const plan = planRobotRound({ limitPerMinute: 20, recentAttempts, now, pending: messages(1), digestMaxItems: 10 });
    // then
    expect(plan.alone).toEqual(['m000']);
  });

  it('folds a burst into as few digests as cover it, using every free send', () => {
    // given 10 free sends and 30 messages, digests of up to 10: g = ceil(20 / 9) = 3 digests, 7 alone
    const recentAttempts = Array.from({ length: 10 }, (_, i) => ago(i * 1_000));
    const pending = messages(30, (i) => i === 29);
    // when
    const plan = planRobotRound({ limitPerMinute: 20, recentAttempts, now, pending, digestMaxItems: 10 });
    // then the urgent one goes alone and first
    expect(plan.alone).toEqual(['m029', 'm000', 'm001', 'm002', 'm003', 'm004', 'm005']);
    expect(plan.digests.map((d) => d.length)).toEqual([10, 10, 3]);
    expect(plan.digests[0][0]).toBe('m006');
    expect(sends(plan)).toBe(10);
    expect(new Set(covered(plan)).size).toBe(30);
    expect(plan.nextSlotAt).toBeNull();
  });

  it('sends full digests with every free send and leaves the rest for later when even that is not enough', () => {
    // given 2 free sends (oldest counted attempt 45 s ago) and 50 messages, digests of up to 5
    const recentAttempts = [ago(90_000), ...Array.from({ length: 18 }, (_, i) => ago(45_000 - i * 1_000))];
    // when
    const plan = planRobotRound({ limitPerMinute: 20, recentAttempts, now, pending: messages(50), digestMaxItems: 5 });
    // then
    expect(plan.alone).toEqual([]);
    expect(plan.digests).toEqual([
      ['m000', 'm001', 'm002', 'm003', 'm004'],
      ['m005', 'm006', 'm007', 'm008', 'm009'],
    ]);
    expect(plan.nextSlotAt).toBe(new Date(now.getTime() + 15_000).toISOString());
  });

  it('has nothing to do with nothing pending', () => {
    expect(planRobotRound({ limitPerMinute: 20, recentAttempts: [], now, pending: [], digestMaxItems: 10 })).toEqual({
      alone: [],
      digests: [],
      nextSlotAt: null,
    });
  });

  it('refuses limits that cannot be paced', () => {
    const base: PacingInput = { limitPerMinute: 20, recentAttempts: [], now, pending: messages(3), digestMaxItems: 10 };
    expect(() => planRobotRound({ ...base, limitPerMinute: 0 })).toThrow(RangeError);
    expect(() => planRobotRound({ ...base, digestMaxItems: 1 })).toThrow(RangeError);
  });

  const roundInput = fc.record({
    limitPerMinute: fc.integer({ min: 1, max: 30 }),
    digestMaxItems: fc.integer({ min: 2, max: 30 }),
    // Offsets into the past (and a few into the future, which must not count) of earlier attempts.
    attemptOffsets: fc.array(fc.integer({ min: -5_000, max: 180_000 }), { maxLength: 40 }),
    pending: fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        urgent: fc.boolean(),
        createdAt: fc.integer({ min: 0, max: 600_000 }).map((ms) => ago(ms)),
      }),
      { selector: (m) => m.id, maxLength: 400 },
    ),
  });

  it('never sends more than the window has room for, never twice, and drops nothing', () => {
    fc.assert(
      fc.property(roundInput, ({ limitPerMinute, digestMaxItems, attemptOffsets, pending }) => {
        // given
        const recentAttempts = attemptOffsets.map(ago);
        const inWindow = attemptOffsets.filter((offset) => offset >= 0 && offset < PACING_WINDOW_MS).length;
        const free = Math.max(0, limitPerMinute - inWindow);
        // when
        const plan = planRobotRound({ limitPerMinute, recentAttempts, now, pending, digestMaxItems });
        // then
        const ids = covered(plan);
        const left = pending.map((m) => m.id).filter((id) => !ids.includes(id));
        expect(sends(plan)).toBeLessThanOrEqual(free);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set([...ids, ...left])).toEqual(new Set(pending.map((m) => m.id)));
        for (const digest of plan.digests) {
          expect(digest.length).toBeGreaterThanOrEqual(2);
          expect(digest.length).toBeLessThanOrEqual(digestMaxItems);
        }
        // Waiting happens only with every free send used, and then the plan says until when.
        if (left.length > 0) {
          expect(sends(plan)).toBe(free);
          expect(plan.nextSlotAt).not.toBeNull();
          // Nothing urgent waits while something that is not goes out.
          const urgentLeft = pending.some((m) => m.urgent && left.includes(m.id));
          const plainSent = pending.some((m) => !m.urgent && ids.includes(m.id));
          expect(urgentLeft && plainSent).toBe(false);
        } else {
          expect(plan.nextSlotAt).toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('paces a burst of 200 messages in one minute under the limit and covers all of them within minutes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 30 }),
        fc.integer({ min: 10, max: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 59_999 }), fc.boolean()), { minLength: 200, maxLength: 200 }),
        (limitPerMinute, digestMaxItems, arrivals) => {
          // given 200 messages arriving within the first minute, one claim round every second
          const start = Date.parse('2026-03-23T02:00:00.000Z');
          const burst = arrivals.map(([offset, urgent], index) => ({
            id: `e${index}`,
            urgent,
            createdAt: new Date(start + offset).toISOString(),
          }));
          const attempts: number[] = [];
          const done = new Set<string>();
          let round = 0;
          // when
          for (; done.size < burst.length && round < 300; round += 1) {
            const at = start + round * 1_000;
            const pending = burst.filter((m) => Date.parse(m.createdAt) <= at && !done.has(m.id));
            const plan = planRobotRound({
              limitPerMinute,
              recentAttempts: attempts.map((ms) => new Date(ms).toISOString()),
              now: new Date(at),
              pending,
              digestMaxItems,
            });
            for (const id of covered(plan)) {
              expect(done.has(id)).toBe(false);
              done.add(id);
            }
            for (let send = 0; send < sends(plan); send += 1) attempts.push(at);
          }
          // then every message went out, within 5 minutes
          expect(done.size).toBe(200);
          expect(round).toBeLessThanOrEqual(300);
          // and no 60 s window (t − 60 s, t] holds more attempts than the limit
          for (const t of attempts) {
            expect(attempts.filter((a) => a > t - PACING_WINDOW_MS && a <= t).length).toBeLessThanOrEqual(limitPerMinute);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
