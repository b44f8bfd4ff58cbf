import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, FakeClock } from '../../domain/src/index.js';
import { AccessPolicy, ORGANISATION_CHANGED, type OrganisationDirectory, type ProblemRepository } from '../../engine/src/index.js';
import type { TokenStanding } from '../../identity/src/index.js';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from './event-delivery.options.js';
import type { OutboxStore } from './event-delivery.ports.js';
import type { OutboxEvent } from './event-delivery.records.js';
import { EventStream, type StreamEndReason } from './event-stream.js';

const RECHECK_MS = 5000;
const supervisor: Actor = { userId: 'u-1', name: 'Supervisor', role: 'supervisor', departmentId: 'office' };

/** The stream on in-memory stand-ins: every problem is visible, the office's subtree is whatever `subtree` holds. */
function streamUnderTest() {
  const bus = new EventEmitter2({ wildcard: true, delimiter: '.' });
  const subtree = { current: ['office'] };
  const organisation = { subtreeOf: async () => subtree.current } as unknown as OrganisationDirectory;
  const problems = { findVisible: async () => ({}) } as unknown as ProblemRepository;
  const stream = new EventStream(bus, {} as OutboxStore, problems, new AccessPolicy(organisation), new FakeClock(), {
    ...DEFAULT_EVENT_DELIVERY_OPTIONS,
    streamRecheckMs: RECHECK_MS,
  });
  stream.onModuleInit();
  return { bus, stream, subtree };
}

function holder(standings: TokenStanding[]) {
  const standing = jest.fn(async () => (standings.length > 1 ? standings.shift()! : standings[0]));
  return { tokenId: 't-1', standing };
}

function sink() {
  const ended: StreamEndReason[] = [];
  const sent: OutboxEvent[] = [];
  return { ended, sent, send: (event: OutboxEvent) => sent.push(event), end: (reason: StreamEndReason) => ended.push(reason) };
}

const valid: TokenStanding = { valid: true, actor: supervisor, expiresAt: null };

describe(EventStream.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('re-reads each open stream every EVENT_STREAM_RECHECK_MS and ends it once its token no longer holds', async () => {
    // given a stream whose token another server revokes after it opened
    const { stream } = streamUnderTest();
    const credentials = holder([valid, valid, { valid: false, reason: 'token_revoked' }]);
    const output = sink();
    await stream.subscribe(credentials, undefined, output);

    // when one period passes, then another
    await jest.advanceTimersByTimeAsync(RECHECK_MS);
    expect(output.ended).toEqual([]);
    await jest.advanceTimersByTimeAsync(RECHECK_MS);

    // then it ended on the second, and is no longer re-read
    expect(output.ended).toEqual(['token_revoked']);
    await jest.advanceTimersByTimeAsync(3 * RECHECK_MS);
    expect(credentials.standing).toHaveBeenCalledTimes(3);
  });

  it('ends at once, without streaming, when the token no longer holds as the stream opens', async () => {
    const { stream } = streamUnderTest();
    const output = sink();

    await stream.subscribe(holder([{ valid: false, reason: 'user_deactivated' }]), undefined, output);

    expect(output.ended).toEqual(['user_deactivated']);
  });

  it('recomputes the scope once for a burst of organisation.changed signals', async () => {
    // given
    const { bus, stream } = streamUnderTest();
    const credentials = holder([valid]);
    await stream.subscribe(credentials, undefined, sink());

    // when three changes are signalled before the stream gets to them
    for (let i = 0; i < 3; i += 1) bus.emit(ORGANISATION_CHANGED, { what: 'department.moved' });
    await stream.recheckAll();

    // then the token was read at opening and once more
    expect(credentials.standing).toHaveBeenCalledTimes(2);
  });

  it('tells every open stream the server is shutting down, and stops re-checking', async () => {
    // given
    const { stream } = streamUnderTest();
    const credentials = holder([valid]);
    const output = sink();
    await stream.subscribe(credentials, undefined, output);

    // when
    stream.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(3 * RECHECK_MS);

    // then
    expect(output.ended).toEqual(['server_shutdown']);
    expect(credentials.standing).toHaveBeenCalledTimes(1);
  });
});
