import type { OutboxEvent } from '#events';

/** How many events are kept at most (about 1 KB each): a bulk import beyond it is read back as before. */
const CAPACITY = 10_000;

/**
 * The outbox events this process is committing, kept until the ClusterBus hears them back on PostgreSQL, so it
 * passes them on without reading the rows it has just written (one query per event saved in the committing
 * process; the order stays the order notifications arrive in). An event not found here (another process's, one
 * evicted, one heard before it was added) is read as before. Kept only while the bus listens.
 */
export class CommittedHere {
  private readonly events = new Map<string, OutboxEvent>();
  private listening = false;

  /** Set by the bus: while nobody listens, nothing is kept. */
  listen(listening: boolean): void {
    this.listening = listening;
    if (!listening) this.events.clear();
  }

  /** Whether events are kept now (else there is no need to make them). */
  get keeping(): boolean {
    return this.listening;
  }

  /** An event about to commit (or just committed). */
  add(event: OutboxEvent): void {
    if (!this.listening) return;
    this.events.set(event.id, event);
    if (this.events.size > CAPACITY) this.events.delete(this.events.keys().next().value!);
  }

  /** An event that did not commit after all. */
  forget(id: string): void {
    this.events.delete(id);
  }

  /** The event with this id, if this process committed it (taken: asked once). */
  take(id: string): OutboxEvent | undefined {
    const event = this.events.get(id);
    if (event) this.events.delete(id);
    return event;
  }
}
