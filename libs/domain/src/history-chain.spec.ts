import { describe, expect, it } from '@jest/globals';
import { canonicalJson, type ChainedHistoryEntry, dayAnchor, GENESIS_HASH, historyEntryHash, verifyHistoryChain } from './history-chain.js';

function chain(count: number): Array<ChainedHistoryEntry & { hash: string }> {
  const rows: Array<ChainedHistoryEntry & { hash: string }> = [];
  let previous = GENESIS_HASH;
  for (let version = 1; version <= count; version += 1) {
    const entry: ChainedHistoryEntry = {
      id: `h${version}`,
      problemId: 'p1',
      version,
      eventType: version === 1 ? 'FILE' : 'REPORT_PROGRESS',
      payload: { note: `step ${version}`, nested: { b: 2, a: [1, 'x'] } },
      actorId: 'u1',
      actorName: 'Li Wei',
      actorRole: 'inspector',
      fromState: version === 1 ? null : 'rectifying.inProgress',
      toState: 'rectifying.inProgress',
      occurredAt: `2026-03-0${version}T01:00:00.000Z`,
    };
    previous = historyEntryHash(previous, entry);
    rows.push({ ...entry, hash: previous });
  }
  return rows;
}

describe('The history hash chain', () => {
  it('hashes the same content the same whatever the key order, and differently when anything changes', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}');
    const [row] = chain(1);
    expect(historyEntryHash(GENESIS_HASH, { ...row, payload: { nested: { a: [1, 'x'], b: 2 }, note: 'step 1' } })).toBe(row.hash);
    expect(historyEntryHash(GENESIS_HASH, { ...row, actorName: 'Li Wei ' })).not.toBe(row.hash);
    expect(historyEntryHash('f'.repeat(64), row)).not.toBe(row.hash);
  });

  it('verifies an untouched chain and its head', () => {
    const rows = chain(4);
    expect(verifyHistoryChain(rows, rows[3].hash)).toEqual({ intact: true, rows: 4, firstBroken: null });
  });

  it('names the first row whose content was edited', () => {
    const rows = chain(4);
    rows[1] = { ...rows[1], payload: { note: 'rewritten' } };
    expect(verifyHistoryChain(rows, rows[3].hash).firstBroken).toMatchObject({ version: 2, historyId: 'h2', reason: 'hashMismatch' });
  });

  it('finds a row edited together with its own hash, at the next row', () => {
    const rows = chain(4);
    const edited = { ...rows[1], actorName: 'Someone else' };
    rows[1] = { ...edited, hash: historyEntryHash(rows[0].hash, edited) };
    expect(verifyHistoryChain(rows, rows[3].hash).firstBroken).toMatchObject({ version: 3, historyId: 'h3', reason: 'hashMismatch' });
  });

  it('finds a deleted row in the middle, the last rows deleted, and no rows at all', () => {
    const rows = chain(4);
    expect(verifyHistoryChain([rows[0], rows[2], rows[3]], rows[3].hash).firstBroken).toMatchObject({ version: 2, reason: 'versionGap' });
    expect(verifyHistoryChain(rows.slice(0, 3), rows[3].hash).firstBroken).toMatchObject({ version: 4, reason: 'headMismatch' });
    expect(verifyHistoryChain([], rows[3].hash).firstBroken).toMatchObject({ reason: 'missingRows' });
  });

  it('anchors a day over its rows and the previous anchor', () => {
    const first = dayAnchor(GENESIS_HASH, '2026-03-02', ['a', 'b']);
    expect(dayAnchor(GENESIS_HASH, '2026-03-02', ['a', 'b'])).toEqual(first);
    expect(dayAnchor(GENESIS_HASH, '2026-03-02', ['a', 'c']).anchor).not.toBe(first.anchor);
    expect(dayAnchor('1'.repeat(64), '2026-03-02', ['a', 'b']).anchor).not.toBe(first.anchor);
    expect(dayAnchor(GENESIS_HASH, '2026-03-02', ['a', 'b']).rowsHash).toBe(first.rowsHash);
  });
});
