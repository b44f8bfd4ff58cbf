import { randomUUID } from 'node:crypto';
import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventEmitter2 } from '@nestjs/event-emitter';
import pg from 'pg';
import { UUID_PATTERN } from '#domain';
import { ORGANISATION_CHANGED, type OrganisationChanged } from '#access';
import { CALENDAR_CHANGED, DEADLINE_POLICY_CHANGED } from '#engine';
import { CLUSTER_SIGNALS, ClusterBus, type OutboxEvent, RecentEvents } from '#events';
import type { CommittedHere } from './committed-here.js';
import type { Database } from './database.js';
import { type OutboxEventRow, toOutboxEvent } from './typeorm-event-delivery.repository.js';

/** The channel the outbox trigger (migration OutboxNotify1765324800000) sends every new event's id on. */
export const OUTBOX_CHANNEL = 'outbox_events';
/** The channel the in-process signals (CLUSTER_SIGNALS) travel on between processes. */
export const SIGNAL_CHANNEL = 'cluster_signals';
/** How the listening connection shows in pg_stat_activity. */
export const CLUSTER_BUS_APPLICATION = 'rk-cluster-bus';

/**
 * How far before the connection was lost a catch-up reads again. Event ids are taken before their transaction
 * commits, so one committed just after the loss may have an id from before it; this covers such transactions and the
 * clocks of the servers that took the ids being this far apart.
 */
const CATCH_UP_WINDOW_MS = 60_000;
/** Ids read per query, when notifications come faster than they are read and when catching up. */
const READ_BATCH = 500;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 10_000;
/**
 * What passing an event on needs of its outbox row, read with a prepared statement: every committed event is read
 * back once per process, so this read is on every event's path (the ORM's query building cost more than the read).
 */
const SELECT_EVENTS = 'SELECT id, type, problem_id AS "problemId", payload, occurred_at AS "occurredAt" FROM outbox_events';

/** PostgreSQL refuses a notification payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;

type Item =
  | { kind: 'event'; id: string }
  | { kind: 'signal'; name: string; body: unknown }
  /** Reconnected: what this process may have missed — signals are re-emitted as "re-read", events read again. */
  | { kind: 'catchUp'; afterId: string };

interface SignalMessage {
  origin: string;
  name: string;
  body: unknown;
}

/** When the UUIDv7 was taken (its first 48 bits, milliseconds). */
function idTime(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** The lowest UUIDv7 of the millisecond `ms`: every id taken at `ms` or later sorts after it. */
function lowestIdAt(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/**
 * The ClusterBus on PostgreSQL LISTEN/NOTIFY, on one connection of its own (not from the pool: it stays in LISTEN for
 * the life of the process). Notifications arrive in commit order and are handled one at a time in that order —
 * events read by id in batches, signals emitted on the in-process bus — so a signal committed before an event is
 * acted on before it (a stream's scope is recomputed before the next event is judged).
 *
 * A lost connection is reconnected with backoff; once listening again, the outbox is read from a little before the
 * loss (CATCH_UP_WINDOW_MS), in id order, and what was already passed on is skipped, so a reconnect loses nothing
 * and repeats nothing. Signals cannot be read again: after a reconnect every process re-reads what they would have
 * told it (its calendar versions; every open stream its credentials and scope).
 *
 * Without an in-process bus (the CLI) nothing in the process could hear it: it stays unconnected.
 */
export class PgClusterBus extends ClusterBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ClusterBus');
  /** Tells this process's own signals apart when they come back. */
  private readonly origin = randomUUID();
  private readonly listeners = new Set<(event: OutboxEvent) => void>();
  /** What was passed on lately, in commit order: streams resume from it. */
  private readonly recent = new RecentEvents();
  private readonly forwarders = new Map<string, (body: unknown) => Promise<void>>();
  private client: pg.Client | null = null;
  private stopping = false;
  private retryMs = RETRY_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** When the listening connection went away, while it is away. */
  private lostAt: number | null = null;
  /** When this process first listened: ids taken since then are of events it heard (or hears) as they commit. */
  private listeningSince: number | null = null;
  private readonly queue: Item[] = [];
  private draining = false;
  /** Held while (re)connecting, so a catch-up reads only once the connection listens again. */
  private paused = false;
  /** Ids passed on, oldest first, with when each was taken; kept for CATCH_UP_WINDOW_MS and more. */
  private readonly passedOn = new Map<string, number>();
  /** Set while a signal heard from another process is emitted here, so it is not sent back out. */
  private echoing = false;

  constructor(
    private readonly db: Database,
    private readonly url: string,
    private readonly bus?: EventEmitter2,
    private readonly committedHere?: CommittedHere,
  ) {
    super();
  }

  onEvent(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  heardAfter(eventId: string): readonly OutboxEvent[] | null {
    return this.recent.after(eventId);
  }

  async onModuleInit(): Promise<void> {
    if (!this.bus) return;
    for (const name of CLUSTER_SIGNALS) {
      const forward = (body: unknown) => this.broadcast(name, body);
      this.forwarders.set(name, forward);
      this.bus.on(name, forward);
    }
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const [name, forward] of this.forwarders) this.bus?.off(name, forward);
    const client = this.client;
    this.client = null;
    this.committedHere?.listen(false);
    await client?.end().catch(() => undefined);
  }

  /** Sends a signal this process emitted to the others; never fails the change that emitted it (logged instead). */
  private async broadcast(name: string, body: unknown): Promise<void> {
    if (this.echoing || this.stopping) return;
    const payload = JSON.stringify({ origin: this.origin, name, body } satisfies SignalMessage);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      this.logger.warn(`Signal ${name} is too large to send to the other servers; they pick it up on their periodic re-read`);
      return;
    }
    try {
      await this.db.sqlRead((sql) => sql.all('SELECT pg_notify(?, ?)', [SIGNAL_CHANNEL, payload]));
    } catch (error) {
      this.logger.warn(`Could not send ${name} to the other servers (they pick it up on their periodic re-read): ${(error as Error).message}`);
    }
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    if (this.stopping) return;
    const client = new pg.Client({ connectionString: this.url, application_name: CLUSTER_BUS_APPLICATION, keepAlive: true });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.heard(message.channel, message.payload));
    const reconnecting = this.lostAt !== null;
    this.paused = true;
    // Queued before LISTEN, so it comes ahead of anything heard on the new connection; run once that listens.
    // Never from before this process first listened: what committed before then it never heard, and passing it on
    // now would give open streams events from before they opened (a stream that resumed got those from the outbox).
    const catchUp: Item | null = reconnecting
      ? { kind: 'catchUp', afterId: lowestIdAt(Math.max(this.lostAt! - CATCH_UP_WINDOW_MS, this.listeningSince ?? 0)) }
      : null;
    if (catchUp) this.queue.push(catchUp);
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await client.query(`LISTEN ${SIGNAL_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      if (catchUp) this.queue.splice(this.queue.indexOf(catchUp), 1);
      this.lostAt ??= Date.now();
      this.logger.warn(`Could not listen for other servers' events (retrying in ${this.retryMs} ms): ${(error as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopping) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.committedHere?.listen(true);
    this.listeningSince ??= Date.now();
    this.retryMs = RETRY_MIN_MS;
    if (reconnecting) this.logger.log('Listening for other servers\' events again; catching up what was missed');
    this.lostAt = null;
    this.paused = false;
    this.drain();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.client) return;
    this.client = null;
    this.committedHere?.listen(false);
    this.lostAt = Date.now();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopping) return;
    this.logger.warn(`Lost the connection listening for other servers' events (reconnecting): ${error?.message ?? 'connection ended'}`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    // Jittered, so servers that lost the database together do not all come back in the same millisecond.
    const delay = Math.round(this.retryMs * (0.75 + Math.random() / 2));
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }

  /** A notification as PostgreSQL delivered it: anyone who can connect may send one, so it is checked first. */
  private heard(channel: string, payload: string | undefined): void {
    if (channel === OUTBOX_CHANNEL) {
      if (payload !== undefined && UUID_PATTERN.test(payload)) this.queue.push({ kind: 'event', id: payload });
    } else if (channel === SIGNAL_CHANNEL) {
      const message = parseSignal(payload);
      if (message && message.origin !== this.origin) this.queue.push({ kind: 'signal', name: message.name, body: message.body });
    }
    this.drain();
  }

  /** Works through the queue in order, one item at a time; a read that fails is retried, never skipped. */
  private drain(): void {
    if (this.draining || this.paused || this.stopping) return;
    this.draining = true;
    void (async () => {
      try {
        while (this.queue.length > 0 && !this.paused && !this.stopping) {
          const head = this.queue[0];
          try {
            if (head.kind === 'signal') {
              this.queue.shift();
              this.emitHere(head.name, head.body);
            } else if (head.kind === 'catchUp') {
              await this.catchUp(head.afterId);
              this.queue.shift();
            } else {
              await this.readEvents();
            }
          } catch (error) {
            this.logger.warn(`Reading events other servers committed failed (retrying): ${(error as Error).message}`);
            await new Promise((resolve) => setTimeout(resolve, RETRY_MIN_MS * 5).unref());
          }
        }
      } finally {
        this.draining = false;
      }
    })();
  }

  /** The event ids at the head of the queue, read in one query and passed on in the order they were heard. */
  private async readEvents(): Promise<void> {
    let count = 0;
    while (count < this.queue.length && count < READ_BATCH && this.queue[count].kind === 'event') count += 1;
    const ids = this.queue.slice(0, count).map((item) => (item as { id: string }).id).filter((id) => !this.passedOn.has(id));
    // This process's own commits are known already; only the others' are read.
    const byId = new Map<string, OutboxEvent>();
    for (const id of ids) {
      const own = this.committedHere?.take(id);
      if (own) byId.set(id, own);
    }
    const missing = ids.filter((id) => !byId.has(id));
    const rows = missing.length === 0 ? [] : await this.db.sqlRead((sql) => sql.all<OutboxEventRow>(`${SELECT_EVENTS} WHERE id = ANY(?)`, [missing]));
    for (const row of rows) byId.set(row.id, toOutboxEvent(row));
    this.queue.splice(0, count);
    for (const id of ids) {
      const event = byId.get(id);
      if (event) this.passOn(event);
    }
  }

  /** After a reconnect: what might have been missed, re-read from before the loss, in id order. */
  private async catchUp(afterId: string): Promise<void> {
    // Neither calendar or policy edits nor changes to credentials and the organisation can be read back: re-read them all.
    this.emitHere(CALENDAR_CHANGED, {});
    this.emitHere(DEADLINE_POLICY_CHANGED, {});
    this.emitHere(ORGANISATION_CHANGED, { what: 'cluster.reconnected' } satisfies OrganisationChanged);
    let cursor = afterId;
    for (;;) {
      const rows = await this.db.sqlRead((sql) => sql.all<OutboxEventRow>(`${SELECT_EVENTS} WHERE id > ? ORDER BY id LIMIT ?`, [cursor, READ_BATCH]));
      for (const row of rows) if (!this.passedOn.has(row.id)) this.passOn(toOutboxEvent(row));
      if (rows.length < READ_BATCH) return;
      cursor = rows[rows.length - 1].id;
    }
  }

  private passOn(event: OutboxEvent): void {
    this.remember(event.id);
    this.recent.add(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`A listener of ${event.type} ${event.id} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Keeps the ids a catch-up could read again: while disconnected or catching up, nothing is forgotten. */
  private remember(id: string): void {
    this.passedOn.set(id, idTime(id));
    if (this.lostAt !== null || this.queue.some((item) => item.kind === 'catchUp')) return;
    const forgetBefore = Date.now() - 2 * CATCH_UP_WINDOW_MS;
    for (const [oldId, takenAt] of this.passedOn) {
      if (takenAt >= forgetBefore) break;
      this.passedOn.delete(oldId);
    }
  }

  private emitHere(name: string, body: unknown): void {
    this.echoing = true;
    try {
      this.bus?.emit(name, body);
    } catch (error) {
      this.logger.error(`A listener of ${name} failed: ${(error as Error).message}`);
    } finally {
      this.echoing = false;
    }
  }
}

function parseSignal(payload: string | undefined): SignalMessage | null {
  if (payload === undefined) return null;
  let message: Partial<SignalMessage> | null;
  try {
    message = JSON.parse(payload) as Partial<SignalMessage> | null;
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null || typeof message.origin !== 'string') return null;
  if (typeof message.name !== 'string' || !CLUSTER_SIGNALS.includes(message.name)) return null;
  if (typeof message.body !== 'object' || message.body === null) return null;
  return message as SignalMessage;
}
