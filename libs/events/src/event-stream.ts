import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { type Actor, Clock } from '#domain';
import { ProblemRepository } from '#engine';
import { AccessPolicy, ORGANISATION_CHANGED, type ProblemScope, scopeOf } from '#access';
import { CREDENTIALS_CHANGED, type CredentialsChanged, type SessionValidity, type TokenStanding } from '#identity';
import { ClusterBus } from './cluster-bus.js';
import { EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import { OutboxStore } from './event-delivery.ports.js';
import type { OutboxEvent } from './event-delivery.records.js';

/** Whether the API token or the session a stream was opened with still holds. */
export type HolderStanding = TokenStanding | SessionValidity;

/** Why the server ended a stream: its final `stream.closed` event says so. */
export type StreamEndReason = Extract<HolderStanding, { valid: false }>['reason'] | 'server_shutdown';

/** Where a stream's events go: the HTTP layer writes them as Server-Sent Events. */
export interface StreamSink {
  send(event: OutboxEvent): void;
  /** The stream is over (its token, session or user no longer holds, or the server is shutting down): end the response. */
  end(reason: StreamEndReason): void;
}

/**
 * Whose stream it is: the API token or the session (a person in the console) it was opened with, and how to re-read
 * that and its user.
 */
export type StreamHolder = ({ tokenId: string; sessionId?: undefined } | { sessionId: string; tokenId?: undefined }) & {
  standing(): Promise<HolderStanding>;
};

const REPLAY_PAGE = 200;

/**
 * One open stream. Everything that reads or changes its scope — forwarding an event, re-checking the token or session —
 * runs on one promise chain, so events stay in order and each is judged by the scope of the moment it is sent.
 */
class OpenStream {
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  /** A re-check waiting on the chain: more requests meanwhile share it (a burst of signals costs one). */
  private pendingRecheck: Promise<void> | null = null;

  constructor(
    readonly holder: StreamHolder,
    private actor: Actor,
    private scope: ProblemScope,
    private expiresAt: number | null,
    private readonly sink: StreamSink,
    private readonly deps: { problems: ProblemRepository; access: AccessPolicy; clock: Clock; logger: Logger },
    private readonly detach: () => void,
  ) {}

  get userId(): string {
    return this.actor.userId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  forward(event: OutboxEvent): void {
    this.chain = this.chain
      .then(async () => {
        if (this.closed) return;
        // Checked before every write, because it costs nothing: an expired token or session gets nothing more. Past
        // the end last read it is read again, since a session's idle end moves on while its person uses the console.
        if (this.expiresAt !== null && this.deps.clock.now().getTime() >= this.expiresAt) {
          await this.refresh();
          if (this.closed) return;
        }
        if (await this.deps.problems.findVisible(event.problemId, this.scope)) this.sink.send(event);
      })
      .catch(() => undefined);
  }

  /** Re-reads the token or session and its user; ends the stream when they no longer hold, else recomputes the scope. */
  recheck(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.pendingRecheck) return this.pendingRecheck;
    const run = this.chain.then(async () => {
      this.pendingRecheck = null;
      if (this.closed) return;
      try {
        await this.refresh();
      } catch (error) {
        // The database did not answer: keep the last scope and try again on the next re-check.
        this.deps.logger.warn(`Re-checking an event stream failed (retried on the next re-check): ${(error as Error).message}`);
      }
    });
    this.pendingRecheck = run;
    this.chain = run;
    return run;
  }

  /** On the chain only. */
  private async refresh(): Promise<void> {
    const standing = await this.holder.standing();
    if (!standing.valid) return this.end(standing.reason);
    const scope = scopeOf(await this.deps.access.callerFor(standing.actor));
    this.actor = standing.actor;
    this.expiresAt = expiry(standing.expiresAt);
    this.scope = scope;
  }

  /** The client went away: forget it, write nothing more. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
  }

  end(reason: StreamEndReason): void {
    if (this.closed) return;
    this.close();
    this.sink.end(reason);
  }
}

function expiry(expiresAt: string | null): number | null {
  return expiresAt === null ? null : Date.parse(expiresAt);
}

/**
 * One caller's live view of events: those of problems in their read scope (the same ProblemScope and query as
 * GET /problems/:id, evaluated per event against the problem as it is then, so reassignment counts at once), in
 * order. Live events come from the ClusterBus as they commit, whichever server committed them and whichever
 * process relays (or none). With a Last-Event-ID the events after it come first: from the bus's memory of recent
 * events, in commit order, when it still holds that id (exactly what the client missed); else from the outbox in id
 * order (live ones that arrive meanwhile wait).
 *
 * A stream lasts only while its token or session does: revoking the token, signing out, deactivating the user or
 * the expiry of either (a session's idle or absolute end) ends the stream with a reason. Its scope follows the
 * organisation: the identity signals act at once, this server's and (carried by the ClusterBus) every other's, and
 * every EVENT_STREAM_RECHECK_MS each stream re-reads its token or session and user and recomputes its scope anyway,
 * for a change no signal told of (one made in the database directly).
 */
@Injectable()
export class EventStream implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventStream.name);
  private readonly open = new Set<OpenStream>();
  private timer: NodeJS.Timeout | null = null;

  private readonly onCredentialsChanged = (signal: CredentialsChanged) => {
    // A signal naming a token or a session concerns the streams opened with it; one naming neither, all the user's.
    const concerns = (holder: StreamHolder) =>
      signal.tokenId !== undefined ? holder.tokenId === signal.tokenId : signal.sessionId === undefined || holder.sessionId === signal.sessionId;
    for (const stream of this.open) {
      if (stream.userId === signal.userId && concerns(stream.holder)) void stream.recheck();
    }
  };

  private readonly onOrganisationChanged = () => {
    for (const stream of this.open) void stream.recheck();
  };

  constructor(
    private readonly bus: EventEmitter2,
    private readonly cluster: ClusterBus,
    private readonly outbox: OutboxStore,
    private readonly problems: ProblemRepository,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
    @Inject(EVENT_DELIVERY_OPTIONS) private readonly options: EventDeliveryOptions,
  ) {}

  onModuleInit(): void {
    this.bus.on(CREDENTIALS_CHANGED, this.onCredentialsChanged);
    this.bus.on(ORGANISATION_CHANGED, this.onOrganisationChanged);
  }

  /**
   * Starts streaming to `sink` for the holder of the token or session; returns the function that stops it (call it
   * when the client goes away). A token or session that no longer holds gets `sink.end` at once.
   */
  async subscribe(holder: StreamHolder, lastEventId: string | undefined, sink: StreamSink): Promise<() => void> {
    const standing = await holder.standing();
    if (!standing.valid) {
      sink.end(standing.reason);
      return () => undefined;
    }
    const scope = scopeOf(await this.access.callerFor(standing.actor));
    let replaying = lastEventId !== undefined;
    const waiting: OutboxEvent[] = [];
    const replayed = new Set<string>();

    const listener = (event: OutboxEvent) => {
      if (stream.isClosed) return;
      if (replaying) waiting.push(event);
      else if (!replayed.has(event.id)) stream.forward(event);
    };
    let stopListening: (() => void) | undefined;
    const stream: OpenStream = new OpenStream(
      holder,
      standing.actor,
      scope,
      expiry(standing.expiresAt),
      sink,
      { problems: this.problems, access: this.access, clock: this.clock, logger: this.logger },
      () => {
        stopListening?.();
        this.open.delete(stream);
        if (this.open.size === 0) this.stopRechecks();
      },
    );
    stopListening = this.cluster.onEvent(listener);
    this.open.add(stream);
    this.startRechecks();

    // Resuming from an event this process remembers: what followed it, in commit order (exactly what was missed).
    const heard = lastEventId === undefined ? null : this.cluster.heardAfter(lastEventId);
    if (heard !== null) {
      for (const event of heard) stream.forward(event);
      replaying = false;
    } else if (lastEventId !== undefined) {
      // Otherwise the outbox after it, in id order.
      try {
        let cursor = lastEventId;
        for (;;) {
          const page = await this.outbox.eventsAfter(cursor, REPLAY_PAGE);
          for (const event of page) {
            replayed.add(event.id);
            stream.forward(event);
          }
          if (page.length < REPLAY_PAGE) break;
          cursor = page[page.length - 1].id;
        }
      } catch (error) {
        stream.close();
        throw error;
      }
      replaying = false;
      // An event replayed from the outbox may be heard live as well (committed while the replay read): sent once.
      for (const event of waiting.splice(0)) if (!replayed.has(event.id)) stream.forward(event);
    }
    return () => stream.close();
  }

  /** Re-checks every open stream now (what the timer does every EVENT_STREAM_RECHECK_MS); resolves when done. */
  async recheckAll(): Promise<void> {
    await Promise.all([...this.open].map((stream) => stream.recheck()));
  }

  onModuleDestroy(): void {
    this.bus.off(CREDENTIALS_CHANGED, this.onCredentialsChanged);
    this.bus.off(ORGANISATION_CHANGED, this.onOrganisationChanged);
    for (const stream of [...this.open]) stream.end('server_shutdown');
    this.stopRechecks();
  }

  /** Runs only while streams are open (the worker, which has none, never starts it). */
  private startRechecks(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.recheckAll(), this.options.streamRecheckMs);
    this.timer.unref();
  }

  private stopRechecks(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
