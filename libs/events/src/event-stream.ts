import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Actor } from '../../domain/src/index.js';
import { AccessPolicy, ProblemRepository, scopeOf } from '../../engine/src/index.js';
import { OutboxStore } from './event-delivery.ports.js';
import type { OutboxEvent } from './event-delivery.records.js';

/** Where a stream's events go: the HTTP layer writes them as Server-Sent Events. */
export interface StreamSink {
  send(event: OutboxEvent): void;
  /** The server is shutting down: end the response. */
  end(): void;
}

const REPLAY_PAGE = 200;

function isOutboxEvent(value: unknown): value is OutboxEvent {
  const event = value as Partial<OutboxEvent> | null;
  return typeof event === 'object' && event !== null && typeof event.id === 'string' && typeof event.body === 'string';
}

/**
 * One caller's live view of events: those of problems in their read scope (the same ProblemScope and query as
 * GET /problems/:id), in order. Live events come from the in-process bus once the relay hands them out; with a
 * Last-Event-ID, events after it are first replayed from the outbox, and live ones that arrive meanwhile wait.
 */
@Injectable()
export class EventStream implements OnModuleDestroy {
  private readonly open = new Set<StreamSink>();

  constructor(
    private readonly bus: EventEmitter2,
    private readonly outbox: OutboxStore,
    private readonly problems: ProblemRepository,
    private readonly access: AccessPolicy,
  ) {}

  /** Starts streaming to `sink`; returns the function that stops it (call it when the client goes away). */
  async subscribe(actor: Actor, lastEventId: string | undefined, sink: StreamSink): Promise<() => void> {
    // The caller's scope is fixed for the connection; a reconnect picks up changes to the organisation.
    const scope = scopeOf(await this.access.callerFor(actor));
    let closed = false;
    let replaying = lastEventId !== undefined;
    const waiting: OutboxEvent[] = [];
    const replayed = new Set<string>();
    let chain: Promise<void> = Promise.resolve();

    // Scope checks are asynchronous; chaining them keeps the events in order.
    const forward = (event: OutboxEvent) => {
      chain = chain
        .then(async () => {
          if (!closed && (await this.problems.findVisible(event.problemId, scope))) sink.send(event);
        })
        .catch(() => undefined);
    };
    const listener = (_type: string | string[], value: unknown) => {
      if (!isOutboxEvent(value) || closed) return;
      if (replaying) waiting.push(value);
      else if (!replayed.has(value.id)) forward(value);
    };
    this.bus.onAny(listener);
    this.open.add(sink);
    const close = () => {
      closed = true;
      this.bus.offAny(listener);
      this.open.delete(sink);
    };

    if (lastEventId !== undefined) {
      try {
        let cursor = lastEventId;
        for (;;) {
          const page = await this.outbox.eventsAfter(cursor, REPLAY_PAGE);
          for (const event of page) {
            replayed.add(event.id);
            forward(event);
          }
          if (page.length < REPLAY_PAGE) break;
          cursor = page[page.length - 1].id;
        }
      } catch (error) {
        close();
        throw error;
      }
      replaying = false;
      // An event replayed from the outbox may be handed out live as well when it is relayed: sent once.
      for (const event of waiting.splice(0)) if (!replayed.has(event.id)) forward(event);
    }
    return close;
  }

  onModuleDestroy(): void {
    for (const sink of [...this.open]) sink.end();
    this.open.clear();
  }
}
