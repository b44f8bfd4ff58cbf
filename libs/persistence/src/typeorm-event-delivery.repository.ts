import { type EntityManager, In } from 'typeorm';
import {
  type AttemptOutcome,
  type ClaimSlots,
  type DueDelivery,
  type HeldDelivery,
  type RelayedBatch,
  type OutboxEvent,
  OutboxStore,
  type WebhookAttemptRecord,
  type WebhookDeliveryRecord,
  type WebhookLease,
  WebhookStore,
  type WebhookSubscriptionRecord,
} from '#events';
import type { AuditRecord } from '#identity';
import { newId } from '#domain';
import type { Database } from './database.js';
import { isDatabaseUnreachable } from './database-outage.js';
import {
  AuditLogEntity,
  NotificationEventEntity,
  OutboxEventEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookSubscriptionEntity,
} from './entities/index.js';

/** Rows per multi-row INSERT, well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;
/** Due deliveries a claim looks at, at least, to find ones of subscriptions with free slots. */
const CLAIM_SCAN = 100;

/** The columns of an outbox row an OutboxEvent is made from. */
export type OutboxEventRow = Pick<OutboxEventEntity, 'id' | 'type' | 'problemId' | 'payload' | 'occurredAt'>;

export function toOutboxEvent(row: OutboxEventRow): OutboxEvent {
  const payload = JSON.parse(row.payload) as { problem?: { departmentId?: string | null } };
  return {
    id: row.id,
    type: row.type,
    problemId: row.problemId,
    departmentId: payload.problem?.departmentId ?? null,
    body: row.payload,
    occurredAt: row.occurredAt,
  };
}

const toSubscription = (row: WebhookSubscriptionEntity): WebhookSubscriptionRecord => ({
  ...row,
  eventTypes: JSON.parse(row.eventTypes) as string[],
  active: Boolean(row.active),
});

const toDelivery = ({ leaseToken: _lease, ...row }: WebhookDeliveryEntity): WebhookDeliveryRecord => ({
  ...row,
  status: row.status as WebhookDeliveryRecord['status'],
});

const toAttempt = (row: WebhookAttemptEntity): WebhookAttemptRecord => ({ ...row, succeeded: Boolean(row.succeeded) });

async function writeAudit(manager: EntityManager, audit: AuditRecord): Promise<void> {
  await manager.insert(AuditLogEntity, { ...audit, details: JSON.stringify(audit.details) });
}

export class TypeOrmOutboxStore extends OutboxStore {
  constructor(private readonly db: Database) {
    super();
  }

  publishBatch(
    limit: number,
    at: string,
    handle: (events: OutboxEvent[], subscriptions: WebhookSubscriptionRecord[]) => RelayedBatch,
  ): Promise<OutboxEvent[]> {
    return this.db.write(async (manager) => {
      const query = manager
        .createQueryBuilder(OutboxEventEntity, 'o')
        .where('o.published_at IS NULL')
        .orderBy('o.id', 'ASC')
        .limit(limit);
      // Several relays on one PostgreSQL each take different rows; SQLite's queue already runs one at a time.
      if (!this.db.isSqlite) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (rows.length === 0) return [];
      const events = rows.map(toOutboxEvent);
      const subscriptions = (await manager.find(WebhookSubscriptionEntity, { order: { id: 'ASC' } })).map(toSubscription);
      const relayed = handle(events, subscriptions);
      const deliveries = relayed.deliveries.map(({ subscriptionId, event }) => ({
        id: newId(),
        subscriptionId,
        eventId: event.id,
        eventType: event.type,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        deliveredAt: null,
        createdAt: at,
      }));
      for (let start = 0; start < deliveries.length; start += INSERT_CHUNK) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(WebhookDeliveryEntity)
          .values(deliveries.slice(start, start + INSERT_CHUNK))
          .orIgnore()
          .execute();
      }
      const handedOver = relayed.handedOver.map((event) => ({ eventId: event.id, createdAt: at, plannedAt: null }));
      for (let start = 0; start < handedOver.length; start += INSERT_CHUNK) {
        await manager.createQueryBuilder().insert().into(NotificationEventEntity).values(handedOver.slice(start, start + INSERT_CHUNK)).orIgnore().execute();
      }
      await manager
        .createQueryBuilder()
        .update(OutboxEventEntity)
        .set({ publishedAt: at })
        .where('id IN (:...ids)', { ids: events.map((event) => event.id) })
        .execute();
      return events;
    });
  }

  async eventsAfter(afterId: string, limit: number): Promise<OutboxEvent[]> {
    const rows = await this.db.read((manager) =>
      manager.createQueryBuilder(OutboxEventEntity, 'o').where('o.id > :afterId', { afterId }).orderBy('o.id', 'ASC').limit(limit).getMany(),
    );
    return rows.map(toOutboxEvent);
  }
}

export class TypeOrmWebhookStore extends WebhookStore {
  constructor(private readonly db: Database) {
    super();
  }

  async insertSubscription(subscription: WebhookSubscriptionRecord, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      await manager.insert(WebhookSubscriptionEntity, { ...subscription, eventTypes: JSON.stringify(subscription.eventTypes) });
      await writeAudit(manager, audit);
    });
  }

  async listSubscriptions(): Promise<WebhookSubscriptionRecord[]> {
    const rows = await this.db.read((manager) => manager.find(WebhookSubscriptionEntity, { order: { id: 'ASC' } }));
    return rows.map(toSubscription);
  }

  async findSubscription(id: string): Promise<WebhookSubscriptionRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(WebhookSubscriptionEntity, { id }));
    return row ? toSubscription(row) : null;
  }

  async setSubscriptionActive(id: string, active: boolean, at: string, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      if (active) {
        await manager.update(WebhookSubscriptionEntity, { id }, { active, disabledAt: null, consecutiveFailures: 0 });
        // A delivery whose attempt is still running keeps its lease: it is not sent twice at once.
        await manager
          .createQueryBuilder()
          .update(WebhookDeliveryEntity)
          .set({ nextAttemptAt: at })
          .where('subscription_id = :id AND status = :pending AND lease_token IS NULL', { id, pending: 'pending' })
          .execute();
      } else {
        await manager.update(WebhookSubscriptionEntity, { id }, { active, disabledAt: at });
      }
      await writeAudit(manager, audit);
    });
  }

  async listDeliveries(subscriptionId: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    const rows = await this.db.read((manager) =>
      manager.find(WebhookDeliveryEntity, { where: { subscriptionId }, order: { id: 'DESC' }, take: limit }),
    );
    return rows.map(toDelivery);
  }

  async findDelivery(id: string): Promise<WebhookDeliveryRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(WebhookDeliveryEntity, { id }));
    return row ? toDelivery(row) : null;
  }

  async listAttempts(deliveryId: string): Promise<WebhookAttemptRecord[]> {
    const rows = await this.db.read((manager) => manager.find(WebhookAttemptEntity, { where: { deliveryId }, order: { id: 'ASC' } }));
    return rows.map(toAttempt);
  }

  async requestRedelivery(id: string, at: string, audit: AuditRecord): Promise<void> {
    await this.db.write(async (manager) => {
      // Asked for now: an attempt still running loses its lease (it is logged; its outcome no longer decides).
      await manager.update(WebhookDeliveryEntity, { id }, { status: 'pending', nextAttemptAt: at, leaseToken: null });
      await writeAudit(manager, audit);
    });
  }

  claimDue(now: string, lease: WebhookLease, limit: number, slots: ClaimSlots): Promise<DueDelivery[]> {
    return this.db.write(async (manager) => {
      const full = [...slots.busy].filter(([, inFlight]) => inFlight >= slots.perSubscription).map(([id]) => id);
      const query = manager
        .createQueryBuilder(WebhookDeliveryEntity, 'd')
        .where('d.status = :pending', { pending: 'pending' })
        .andWhere('d.next_attempt_at <= :now', { now })
        .andWhere('d.subscription_id IN (SELECT s.id FROM webhook_subscriptions s WHERE s.active = :active)', { active: true })
        .orderBy('d.nextAttemptAt', 'ASC')
        .addOrderBy('d.id', 'ASC')
        // More rows than claimed, so that other subscriptions' deliveries show up behind one subscription's backlog;
        // the ones not claimed are unlocked at commit. (PostgreSQL allows no window function with FOR UPDATE.)
        .limit(Math.max(limit, CLAIM_SCAN));
      if (full.length > 0) query.andWhere('d.subscription_id NOT IN (:...full)', { full });
      if (!this.db.isSqlite) query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const taken = new Map<string, number>();
      const rows = (await query.getMany()).filter((row) => {
        const count = (slots.busy.get(row.subscriptionId) ?? 0) + (taken.get(row.subscriptionId) ?? 0);
        if (count >= slots.perSubscription) return false;
        taken.set(row.subscriptionId, (taken.get(row.subscriptionId) ?? 0) + 1);
        return true;
      }).slice(0, limit);
      if (rows.length === 0) return [];
      await manager.update(WebhookDeliveryEntity, { id: In(rows.map((row) => row.id)) }, { nextAttemptAt: lease.until, leaseToken: lease.token });
      const subscriptions = new Map(
        (await manager.findBy(WebhookSubscriptionEntity, { id: In([...new Set(rows.map((row) => row.subscriptionId))]) })).map((row) => [row.id, row]),
      );
      const events = new Map(
        (await manager.find(OutboxEventEntity, { select: { id: true, payload: true }, where: { id: In([...new Set(rows.map((row) => row.eventId))]) } })).map(
          (row) => [row.id, row.payload],
        ),
      );
      return rows.map((row) => {
        const subscription = subscriptions.get(row.subscriptionId)!;
        return { delivery: toDelivery(row), url: subscription.url, secret: subscription.secret, body: events.get(row.eventId) ?? '{}' };
      });
    });
  }

  renewLeases(held: readonly HeldDelivery[], until: string): Promise<HeldDelivery[]> {
    if (held.length === 0) return Promise.resolve([]);
    const ids = [...new Set(held.map((lease) => lease.deliveryId))];
    const tokens = [...new Set(held.map((lease) => lease.token))];
    // Tokens are the renewer's own (one per claim), so matching any of its ids with any of its tokens matches
    // exactly the pairs it holds: a row carries a token of this renewer only if this renewer's claim took it.
    const match = 'status = :pending AND id IN (:...ids) AND lease_token IN (:...tokens)';
    const params = { pending: 'pending', ids, tokens };
    return this.db.write(async (manager) => {
      // A row another claim holds is locked by it, or already carries its token: this renewal waits, then skips it.
      await manager.createQueryBuilder().update(WebhookDeliveryEntity).set({ nextAttemptAt: until }).where(match, params).execute();
      const rows = await manager
        .createQueryBuilder(WebhookDeliveryEntity, 'd')
        .select(['d.id', 'd.leaseToken'])
        .where(match, params)
        .getMany();
      return rows.map((row) => ({ deliveryId: row.id, token: row.leaseToken! }));
    });
  }

  async recordAttempt({ attempt, delivery, subscription }: AttemptOutcome, token: string): Promise<boolean> {
    return this.db.write(async (manager) => {
      // A try whose COMMIT was sent but not answered may have stored it all: the attempt's id says.
      if (await manager.existsBy(WebhookAttemptEntity, { id: attempt.id })) return true;
      await manager.insert(WebhookAttemptEntity, attempt);
      // The delivery's state is this attempt's to decide only while its claim holds the lease; otherwise another
      // deliverer (or an admin's redelivery) has it now, and only the attempt is logged.
      const written = await manager
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({ ...delivery, leaseToken: null })
        .where('id = :id AND lease_token = :token', { id: attempt.deliveryId, token })
        .execute();
      const held = (written.affected ?? 0) > 0;
      if (subscription.succeeded) {
        // Only a subscription that was failing is written: otherwise every successful delivery, from every worker,
        // would queue on this one row's lock.
        await manager
          .createQueryBuilder()
          .update(WebhookSubscriptionEntity)
          .set({ consecutiveFailures: 0 })
          .where('id = :id AND consecutive_failures <> 0', { id: subscription.id })
          .execute();
        return held;
      }
      await manager
        .createQueryBuilder()
        .update(WebhookSubscriptionEntity)
        .set({ consecutiveFailures: () => 'consecutive_failures + 1' })
        .where('id = :id', { id: subscription.id })
        .execute();
      // After N failures in a row the receiver is presumed gone: stop until an admin re-enables it.
      await manager
        .createQueryBuilder()
        .update(WebhookSubscriptionEntity)
        .set({ active: false, disabledAt: subscription.at })
        .where('id = :id AND active = :active AND consecutive_failures >= :limit', { id: subscription.id, active: true, limit: subscription.disableAfter })
        .execute();
      return held;
    });
  }

  isTransient(error: unknown): boolean {
    return isDatabaseUnreachable(error);
  }
}
