import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { newId } from '#domain';
import type { AttemptOutcome, ClaimSlots } from '#events';
import { Database, openDatabase, WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from '#persistence';
import { TypeOrmWebhookStore } from '../../libs/persistence/src/typeorm-event-delivery.repository.js';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../support/test-database.js';

const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const SLOTS: ClaimSlots = { perSubscription: 10, busy: new Map() };

/** The lease renewal and the conditional record of TypeOrmWebhookStore, on the database TEST_DATABASE names. */
describe(`${TypeOrmWebhookStore.name} leases`, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let db: Database;
  let store: TypeOrmWebhookStore;
  let subscriptionId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.options);
    db = new Database(dataSource);
    store = new TypeOrmWebhookStore(db);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  beforeEach(async () => {
    await db.write(async (manager) => {
      await manager.clear(WebhookAttemptEntity);
      await manager.clear(WebhookDeliveryEntity);
      await manager.clear(WebhookSubscriptionEntity);
    });
    subscriptionId = newId();
    await db.write((manager) =>
      manager.insert(WebhookSubscriptionEntity, {
        id: subscriptionId,
        url: 'http://127.0.0.1:9/hook',
        secret: 'whsec_test',
        eventTypes: '[]',
        departmentId: null,
        active: true,
        consecutiveFailures: 0,
        createdAt: at(0),
        disabledAt: null,
      }),
    );
  });

  async function aDueDelivery(): Promise<string> {
    const id = newId();
    await db.write((manager) =>
      manager.insert(WebhookDeliveryEntity, {
        id,
        subscriptionId,
        eventId: newId(),
        eventType: 'problem.assigned',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(0),
        deliveredAt: null,
        createdAt: at(0),
        leaseToken: null,
      }),
    );
    return id;
  }

  const row = (id: string) => db.read((manager) => manager.findOneByOrFail(WebhookDeliveryEntity, { id }));
  const attemptsOf = (deliveryId: string) => db.read((manager) => manager.countBy(WebhookAttemptEntity, { deliveryId }));
  const claimIds = async (now: string, token: string, until: string) =>
    (await store.claimDue(now, { token, until }, 10, SLOTS)).map((due) => due.delivery.id).sort();

  function anOutcome(deliveryId: string, succeeded: boolean): AttemptOutcome {
    return {
      attempt: { id: newId(), deliveryId, attemptedAt: at(5), statusCode: succeeded ? 204 : 503, error: succeeded ? null : 'HTTP 503', durationMs: 12, succeeded },
      delivery: succeeded
        ? { status: 'delivered', attempts: 1, nextAttemptAt: null, deliveredAt: at(5) }
        : { status: 'pending', attempts: 1, nextAttemptAt: at(35), deliveredAt: null },
      subscription: { id: subscriptionId, succeeded, disableAfter: 10, at: at(5) },
    };
  }

  it('leases a claim under its token, and renews it for as long as that token holds it', async () => {
    // given two due deliveries claimed by A until +30 s
    const [d1, d2] = [await aDueDelivery(), await aDueDelivery()].sort();
    expect(await claimIds(at(0), 'claim-A', at(30))).toEqual([d1, d2]);
    expect(await row(d1)).toMatchObject({ leaseToken: 'claim-A', nextAttemptAt: at(30) });

    // when A renews both, twice, the second time past its first lease
    const held = [{ deliveryId: d1, token: 'claim-A' }, { deliveryId: d2, token: 'claim-A' }];
    expect(await store.renewLeases(held, at(40))).toHaveLength(2);
    const renewed = await store.renewLeases(held, at(70));

    // then both are leased to A until the last renewal, and nobody else may claim them before
    expect(renewed.sort((x, y) => x.deliveryId.localeCompare(y.deliveryId))).toEqual(held);
    for (const id of [d1, d2]) expect(await row(id)).toMatchObject({ leaseToken: 'claim-A', nextAttemptAt: at(70), status: 'pending' });
    expect(await claimIds(at(60), 'claim-B', at(90))).toEqual([]);
  });

  it('changes nothing when renewing a lease another claim took after it ran out, nor one of another claim', async () => {
    // given d1 claimed by A until +30 s, and d2 by C until +90 s
    const d1 = await aDueDelivery();
    expect(await claimIds(at(0), 'claim-A', at(30))).toEqual([d1]);
    const d2 = await aDueDelivery();
    expect(await claimIds(at(0), 'claim-C', at(90))).toEqual([d2]);
    // and A's lease running out, B claiming d1 at +31 s
    expect(await claimIds(at(31), 'claim-B', at(61))).toEqual([d1]);

    // when A renews late, asking for both rows
    const renewed = await store.renewLeases([{ deliveryId: d1, token: 'claim-A' }, { deliveryId: d2, token: 'claim-A' }], at(100));

    // then it renewed nothing: d1 stays B's, d2 C's, each with its own lease
    expect(renewed).toEqual([]);
    expect(await row(d1)).toMatchObject({ leaseToken: 'claim-B', nextAttemptAt: at(61) });
    expect(await row(d2)).toMatchObject({ leaseToken: 'claim-C', nextAttemptAt: at(90) });
    // while B renews its own
    expect(await store.renewLeases([{ deliveryId: d1, token: 'claim-B' }], at(91))).toEqual([{ deliveryId: d1, token: 'claim-B' }]);
    expect(await row(d1)).toMatchObject({ leaseToken: 'claim-B', nextAttemptAt: at(91) });
  });

  it("records a lost lease's attempt in the log only, and the holder's outcome in full, releasing its lease", async () => {
    // given d1 claimed by A, then (A's lease run out) by B
    const d1 = await aDueDelivery();
    await claimIds(at(0), 'claim-A', at(30));
    await claimIds(at(31), 'claim-B', at(61));

    // when A records its failed attempt
    expect(await store.recordAttempt(anOutcome(d1, false), 'claim-A')).toBe(false);

    // then the attempt is logged, but d1 is still B's, pending under B's lease
    expect(await attemptsOf(d1)).toBe(1);
    expect(await row(d1)).toMatchObject({ status: 'pending', attempts: 0, leaseToken: 'claim-B', nextAttemptAt: at(61) });

    // when B records its success
    expect(await store.recordAttempt(anOutcome(d1, true), 'claim-B')).toBe(true);

    // then d1 is delivered, its lease released: a late renewal by B finds nothing
    expect(await row(d1)).toMatchObject({ status: 'delivered', attempts: 1, nextAttemptAt: null, leaseToken: null });
    expect(await store.renewLeases([{ deliveryId: d1, token: 'claim-B' }], at(70))).toEqual([]);
    expect(await row(d1)).toMatchObject({ status: 'delivered', nextAttemptAt: null });
  });

  it('records an attempt tried again (its first COMMIT unanswered) once', async () => {
    // given a failed attempt of d1, recorded
    const d1 = await aDueDelivery();
    await claimIds(at(0), 'claim-A', at(30));
    const outcome = anOutcome(d1, false);
    expect(await store.recordAttempt(outcome, 'claim-A')).toBe(true);

    // when the same outcome is recorded again
    expect(await store.recordAttempt(outcome, 'claim-A')).toBe(true);

    // then one attempt, one failure in the streak, the retry schedule untouched
    expect(await attemptsOf(d1)).toBe(1);
    expect(await db.read((manager) => manager.findOneByOrFail(WebhookSubscriptionEntity, { id: subscriptionId }))).toMatchObject({ consecutiveFailures: 1 });
    expect(await row(d1)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(35), leaseToken: null });
  });

  it("takes the lease from an attempt in flight when an admin asks for a redelivery, and keeps it when a subscription is re-enabled", async () => {
    // given d1 and d2 in flight under A
    const [d1, d2] = [await aDueDelivery(), await aDueDelivery()];
    await claimIds(at(0), 'claim-A', at(30));
    const audit = { actorId: 'admin', actorName: 'Admin', action: 'test', targetType: 'webhook' as const, targetId: subscriptionId, details: {}, occurredAt: at(1) };

    // when an admin re-enables the subscription, and asks for d2 again
    await store.setSubscriptionActive(subscriptionId, true, at(1), { ...audit, id: newId() });
    await store.requestRedelivery(d2, at(1), { ...audit, id: newId() });

    // then d1 stays leased to A, due only when its lease runs out; d2 is due now, A no longer renews it
    expect(await row(d1)).toMatchObject({ leaseToken: 'claim-A', nextAttemptAt: at(30) });
    expect(await row(d2)).toMatchObject({ leaseToken: null, nextAttemptAt: at(1) });
    expect(await store.renewLeases([{ deliveryId: d1, token: 'claim-A' }, { deliveryId: d2, token: 'claim-A' }], at(40))).toEqual([
      { deliveryId: d1, token: 'claim-A' },
    ]);
    expect(await claimIds(at(2), 'claim-B', at(32))).toEqual([d2]);
  });

  // PostgreSQL only: SQLite has one writer, so a renewal and a claim never overlap there.
  if (testDatabaseKind() === 'postgres') {
    it('leaves a row alone whose claim by another server commits while the renewal waits for its lock', async () => {
      // given d1 claimed by A, its lease run out, and B's claim of it holding the row, not yet committed
      const d1 = await aDueDelivery();
      await claimIds(at(0), 'claim-A', at(30));
      const other = new pg.Client({ connectionString: (database.options as { url: string }).url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT id FROM webhook_deliveries WHERE id = $1 FOR UPDATE', [d1]);
        await other.query("UPDATE webhook_deliveries SET lease_token = 'claim-B', next_attempt_at = $2 WHERE id = $1", [d1, at(61)]);

        // when A renews meanwhile (it waits for B's lock), and B commits
        const renewal = store.renewLeases([{ deliveryId: d1, token: 'claim-A' }], at(100));
        await new Promise((resolve) => setTimeout(resolve, 200));
        await other.query('COMMIT');

        // then the renewal saw B's claim and changed nothing
        expect(await renewal).toEqual([]);
        expect(await row(d1)).toMatchObject({ leaseToken: 'claim-B', nextAttemptAt: at(61) });
      } finally {
        await other.end();
      }
    });
  }

  it('tells a lost connection from other errors', () => {
    expect(store.isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(store.isTransient(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
  });
});
