import { EventEmitter2 } from '@nestjs/event-emitter';
import { ORGANISATION_CHANGED } from '#access';
import { CALENDAR_CHANGED, DEADLINE_POLICY_CHANGED } from '#engine';
import { CREDENTIALS_CHANGED } from '#identity';
import type { OutboxEvent } from './event-delivery.records.js';

/**
 * The in-process signals every process sharing the database must hear, not only the one that made the change:
 * they drop what a process keeps in memory (calendar versions, open streams' scopes and credentials). Their makers
 * emit them on the in-process bus after the change commits; a ClusterBus carries them to the other processes,
 * which emit them on their own bus.
 */
export const CLUSTER_SIGNALS: readonly string[] = [ORGANISATION_CHANGED, CREDENTIALS_CHANGED, CALENDAR_CHANGED, DEADLINE_POLICY_CHANGED];

/**
 * Port: what every process of a deployment hears, whichever process committed it and whichever relays the outbox.
 * Live streams read committed outbox events from here, never from the in-process bus, so an event reaches each
 * stream once however many relays hand it out (the relay still emits on the in-process bus, for `@OnEvent`
 * listeners). Bound by the PersistenceModule: PostgreSQL LISTEN/NOTIFY across processes, the in-process bus on
 * SQLite (one process).
 */
export abstract class ClusterBus {
  /**
   * Calls `listener` with every outbox event committed from now on, once each, in commit order; returns the
   * function that stops it.
   */
  abstract onEvent(listener: (event: OutboxEvent) => void): () => void;

  /**
   * The events this process passed on after `eventId`, in the order it passed them on (commit order), or null when
   * it does not remember `eventId` (too long ago, or never heard here). A stream resuming from a Last-Event-ID reads
   * them to continue exactly where it stopped: ids are taken before commit, so the outbox in id order would repeat
   * an event that committed early with a later id, or miss one that committed late with an earlier id.
   */
  abstract heardAfter(eventId: string): readonly OutboxEvent[] | null;
}

/** How many events a process remembers in commit order for resuming streams (at about 1 KB each). */
export const RECENT_EVENTS = 5_000;

/** The last `capacity` events passed on, in order, with the position of each id. */
export class RecentEvents {
  private events: OutboxEvent[] = [];
  /** id → absolute position (the number of events added before it). */
  private readonly positions = new Map<string, number>();
  /** The absolute position of `events[0]`. */
  private first = 0;

  constructor(private readonly capacity = RECENT_EVENTS) {}

  add(event: OutboxEvent): void {
    if (this.positions.has(event.id)) return;
    this.positions.set(event.id, this.first + this.events.length);
    this.events.push(event);
    // Trimmed a capacity at a time, so adding stays cheap.
    if (this.events.length >= 2 * this.capacity) {
      for (const dropped of this.events.slice(0, this.capacity)) this.positions.delete(dropped.id);
      this.events = this.events.slice(this.capacity);
      this.first += this.capacity;
    }
  }

  after(eventId: string): readonly OutboxEvent[] | null {
    const at = this.positions.get(eventId);
    return at === undefined ? null : this.events.slice(at - this.first + 1);
  }
}

function isOutboxEvent(value: unknown): value is OutboxEvent {
  const event = value as Partial<OutboxEvent> | null;
  return typeof event === 'object' && event !== null && typeof event.id === 'string' && typeof event.body === 'string';
}

/** How many event ids the in-process bus remembers, to pass on an event the relay hands out again only once. */
const REMEMBERED_IDS = 10_000;

/**
 * SQLite: one process commits, relays and streams, so the events are the ones its relay emits on the in-process bus,
 * and the signals need carrying nowhere. A relay batch that rolls back after emitting is emitted again: passed on once.
 */
export class InProcessClusterBus extends ClusterBus {
  private readonly listeners = new Set<(event: OutboxEvent) => void>();
  private readonly passedOn = new Set<string>();

  constructor(bus: EventEmitter2) {
    super();
    bus.onAny((_type, value) => {
      if (!isOutboxEvent(value) || this.passedOn.has(value.id)) return;
      this.passedOn.add(value.id);
      // A Set iterates in insertion order: the first is the oldest.
      if (this.passedOn.size > REMEMBERED_IDS) this.passedOn.delete(this.passedOn.values().next().value!);
      for (const listener of [...this.listeners]) listener(value);
    });
  }

  onEvent(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Never: what this bus passes on is what the relay handed out, not every commit, so a stream resumes from the
   * outbox, which also holds what committed and is not relayed yet.
   */
  heardAfter(_eventId: string): readonly OutboxEvent[] | null {
    return null;
  }
}
