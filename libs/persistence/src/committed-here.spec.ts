import { describe, expect, it } from '@jest/globals';
import type { OutboxEvent } from '#events';
import { CommittedHere } from './committed-here.js';

const event = (id: string): OutboxEvent => ({ id, type: 'problem.assigned', problemId: 'p', departmentId: null, body: '{}', occurredAt: '2026-03-02T01:00:00.000Z' });

describe(CommittedHere.name, () => {
  it('keeps nothing while the bus does not listen, and forgets what it held when the bus stops', () => {
    const committed = new CommittedHere();
    expect(committed.keeping).toBe(false);
    committed.add(event('a'));
    expect(committed.take('a')).toBeUndefined();
    committed.listen(true);
    expect(committed.keeping).toBe(true);
    committed.add(event('b'));
    committed.listen(false);
    expect(committed.take('b')).toBeUndefined();
  });

  it('gives an event back once, and not after it was forgotten', () => {
    const committed = new CommittedHere();
    committed.listen(true);
    committed.add(event('a'));
    committed.add(event('b'));
    committed.forget('b');
    expect(committed.take('a')).toEqual(event('a'));
    expect(committed.take('a')).toBeUndefined();
    expect(committed.take('b')).toBeUndefined();
  });

  it('holds at most 10,000 events, dropping the oldest (which are then read back as others are)', () => {
    const committed = new CommittedHere();
    committed.listen(true);
    for (let index = 0; index <= 10_000; index += 1) committed.add(event(`e${index}`));
    expect(committed.take('e0')).toBeUndefined();
    expect(committed.take('e1')).toEqual(event('e1'));
    expect(committed.take('e10000')).toEqual(event('e10000'));
  });
});
