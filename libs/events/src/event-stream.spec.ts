import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, FakeClock } from '#domain';
import { type ProblemRepository } from '#engine';
import { AccessPolicy, ORGANISATION_CHANGED, type OrganisationDirectory } from '#access';
import { CREDENTIALS_CHANGED, type CredentialsChanged, type SessionValidity, type TokenStanding } from '#identity';
import { InProcessClusterBus, RecentEvents } from './cluster-bus.js';
import { DEFAULT_EVENT_DELIVERY_OPTIONS } from './event-delivery.options.js';
import type { OutboxStore } from './event-delivery.ports.js';
import type { OutboxEvent } from './event-delivery.records.js';
import { EventStream, type StreamEndReason } from './event-stream.js';

const RECHECK_MS = 5000;
const supervisor: Actor = { userId: 'u-1', name: 'Supervisor', role: 'supervisor', departmentId: 'office' };

/** The stream on in-memory stand-ins: every problem is visible, the office's subtree is whatever `subtree` holds. */
/** A bus that remembers what it passed on, as the PostgreSQL one does (the in-process one resumes from the outbox). */
class RememberingBus extends InProcessClusterBus {
  private readonly recent = new RecentEvents();

  constructor(bus: EventEmitter2) {
    super(bus);
    this.onEvent((event) => this.recent.add(event));
  }

  override heardAfter(eventId: string): readonly OutboxEvent[] | null {
    return this.recent.after(eventId);
  }
}

function streamUnderTest(outbox = {} as OutboxStore, remembering = false) {
  const bus = new EventEmitter2({ wildcard: true, delimiter: '.' });
  const subtree = { current: ['office'] };
  const organisation = { subtreeOf: async () => subtree.current } as unknown as OrganisationDirectory;
  const problems = { findVisible: async () => ({}) } as unknown as ProblemRepository;
  const clock = new FakeClock();
  // Events reach the stream as the relay emits them on the in-process bus (SQLite's ClusterBus).
  const stream = new EventStream(bus, remembering ? new RememberingBus(bus) : new InProcessClusterBus(bus), outbox, problems, new AccessPolicy(organisation), clock, {
    ...DEFAULT_EVENT_DELIVERY_OPTIONS,
    streamRecheckMs: RECHECK_MS,
  });
  stream.onModuleInit();
  return { bus, clock, stream, subtree };
}

function holder(standings: TokenStanding[]) {
  const standing = jest.fn(async () => (standings.length > 1 ? standings.shift()! : standings[0]));
  return { tokenId: 't-1', standing };
}

function sessionHolder(sessionId: string, standings: SessionValidity[]) {
  const standing = jest.fn(async () => (standings.length > 1 ? standings.shift()! : standings[0]));
  return { sessionId, standing };
}

const MINUTE = 60_000;
const anEvent = (id: string): OutboxEvent => ({ id, type: 'problem.assigned', problemId: 'p-1', departmentId: 'office', body: '{}', occurredAt: '2026-03-02T01:00:00.000Z' });

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

  it("passes an event on after the session's end it last read when the session was used meanwhile, and ends once it is over", async () => {
    // given a session stream whose idle end, as read at opening, is in 30 minutes
    const { bus, clock, stream } = streamUnderTest();
    const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE).toISOString();
    const credentials = sessionHolder('s-1', [
      { valid: true, actor: supervisor, expiresAt: at(30) },
      // used at +20 min in another request: its idle end moved to +50
      { valid: true, actor: supervisor, expiresAt: at(50) },
      { valid: false, reason: 'session_expired' },
    ]);
    const output = sink();
    await stream.subscribe(credentials, undefined, output);

    // when an event comes at +40 min
    clock.advance(40 * MINUTE);
    bus.emit('problem.assigned', anEvent('e-1'));
    await jest.advanceTimersByTimeAsync(0);

    // then the session is read again, and the event sent
    expect(credentials.standing).toHaveBeenCalledTimes(2);
    expect(output.sent.map((event) => event.id)).toEqual(['e-1']);
    expect(output.ended).toEqual([]);

    // when the next comes at +60 min
    clock.advance(20 * MINUTE);
    bus.emit('problem.assigned', anEvent('e-2'));
    await jest.advanceTimersByTimeAsync(0);

    // then the stream ends instead
    expect(output.sent.map((event) => event.id)).toEqual(['e-1']);
    expect(output.ended).toEqual(['session_expired']);
  });

  it("re-reads at a sign-out's signal only the streams of that session, and at one naming neither all the user's", async () => {
    // given two session streams and a token stream of one user
    const { bus, stream } = streamUnderTest();
    const open: SessionValidity = { valid: true, actor: supervisor, expiresAt: '2026-03-02T01:30:00.000Z' };
    const signedOut = sessionHolder('s-1', [open, { valid: false, reason: 'session_ended' }]);
    const otherTab = sessionHolder('s-2', [open]);
    const token = holder([valid]);
    const outputs = [sink(), sink(), sink()];
    await stream.subscribe(signedOut, undefined, outputs[0]);
    await stream.subscribe(otherTab, undefined, outputs[1]);
    await stream.subscribe(token, undefined, outputs[2]);

    // when one session signs out
    bus.emit(CREDENTIALS_CHANGED, { userId: supervisor.userId, sessionId: 's-1' } satisfies CredentialsChanged);
    await jest.advanceTimersByTimeAsync(0);

    // then only its stream was read again, and ended
    expect([signedOut, otherTab, token].map((h) => h.standing.mock.calls.length)).toEqual([2, 1, 1]);
    expect(outputs.map((output) => output.ended)).toEqual([['session_ended'], [], []]);

    // when the password changes (the user's other sessions end)
    bus.emit(CREDENTIALS_CHANGED, { userId: supervisor.userId } satisfies CredentialsChanged);
    await jest.advanceTimersByTimeAsync(0);

    // then every stream of the user still open was read again
    expect([otherTab, token].map((h) => h.standing.mock.calls.length)).toEqual([2, 2]);
  });

  describe('resuming with a Last-Event-ID', () => {
    // Ids are taken before commit: 'e-2' committed before 'e-1' here, as two servers' transactions may.
    const heardInCommitOrder = ['e-2', 'e-1', 'e-3'];

    it('continues in commit order from what this process heard, without the outbox, when it remembers the id', async () => {
      // given a process that heard three events, and a client that saw the first before it lost its stream
      const outbox = { eventsAfter: jest.fn(async () => []) } as unknown as OutboxStore;
      const { bus, stream } = streamUnderTest(outbox, true);
      for (const id of heardInCommitOrder) bus.emit('problem.assigned', anEvent(id));
      const output = sink();

      // when it resumes after 'e-2'
      await stream.subscribe(holder([valid]), 'e-2', output);
      await jest.advanceTimersByTimeAsync(0);

      // then it gets exactly what followed: 'e-1' too, which the outbox (in id order, after 'e-2') would have missed
      expect(output.sent.map((event) => event.id)).toEqual(['e-1', 'e-3']);
      expect(outbox.eventsAfter).not.toHaveBeenCalled();

      // and live events follow, once each
      bus.emit('problem.assigned', anEvent('e-4'));
      bus.emit('problem.assigned', anEvent('e-3'));
      await jest.advanceTimersByTimeAsync(0);
      expect(output.sent.map((event) => event.id)).toEqual(['e-1', 'e-3', 'e-4']);
    });

    it('reads the outbox after the id when this process does not remember it', async () => {
      const outbox = { eventsAfter: jest.fn(async () => [anEvent('e-8'), anEvent('e-9')]) } as unknown as OutboxStore;
      const { stream } = streamUnderTest(outbox);
      const output = sink();

      await stream.subscribe(holder([valid]), 'e-7', output);
      await jest.advanceTimersByTimeAsync(0);

      expect(outbox.eventsAfter).toHaveBeenCalledWith('e-7', expect.any(Number));
      expect(output.sent.map((event) => event.id)).toEqual(['e-8', 'e-9']);
    });
  });
});

describe(RecentEvents.name, () => {
  it('gives what followed an id it holds, and forgets the oldest beyond its capacity', () => {
    const recent = new RecentEvents(3);
    for (let i = 1; i <= 7; i += 1) recent.add(anEvent(`e-${i}`));
    // it holds at least the last 3 (and at most 5: it trims a capacity at a time)
    expect(recent.after('e-5')?.map((event) => event.id)).toEqual(['e-6', 'e-7']);
    expect(recent.after('e-7')).toEqual([]);
    expect(recent.after('e-1')).toBeNull();
    // an id passed on twice keeps its first place
    recent.add(anEvent('e-6'));
    expect(recent.after('e-5')?.map((event) => event.id)).toEqual(['e-6', 'e-7']);
  });
});
