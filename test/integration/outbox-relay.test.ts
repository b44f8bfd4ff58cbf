import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { IsNull } from 'typeorm';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { type Actor, Clock, FakeClock, newId } from '#domain';
import { RectificationEngine } from '#engine';
import { DEFAULT_EVENT_DELIVERY_OPTIONS, EventsModule, type OutboxEvent, OutboxRelay, WebhooksService } from '#events';
import { type DemoOrganisation, IdentityService, seedDemoOrganisation } from '#identity';
import { Database, OutboxEventEntity, WebhookDeliveryEntity } from '#persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const FILING = { title: 't', description: 'd', category: 'c', severity: 'minor', location: 'l', inspectionRef: 'r', requirement: 'q' } as const;
const ADMIN: Actor = { userId: newId(), name: 'Relay test admin', role: 'admin', departmentId: null };

/** The core and the event delivery (no HTTP) on `database`; several contexts on one database act as several servers. */
async function openContext(database: TestDatabase, clock: FakeClock): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      CliModule.forRoot({ database: database.options }),
      // The subscriptions here point at loopback (nothing is sent): allowed, as a deployment would list it.
      EventsModule.forRoot({ ...DEFAULT_EVENT_DELIVERY_OPTIONS, relayIntervalMs: 0, webhookAllowedTargets: ['127.0.0.1/32'] }),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  return moduleRef.init();
}

/** Every event the in-process bus hands out, in order. */
function record(context: INestApplicationContext): OutboxEvent[] {
  const seen: OutboxEvent[] = [];
  context.get(EventEmitter2).onAny((_type, event) => seen.push(event as OutboxEvent));
  return seen;
}

describe(OutboxRelay.name, () => {
  let database: TestDatabase;
  let context: INestApplicationContext;
  let clock: FakeClock;
  let org: DemoOrganisation;
  let engine: RectificationEngine;
  let db: Database;
  let relay: OutboxRelay;
  let emitted: OutboxEvent[];

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new FakeClock(new Date('2026-03-02T01:00:00.000Z'));
    context = await openContext(database, clock);
    org = await seedDemoOrganisation(context.get(IdentityService));
    engine = context.get(RectificationEngine);
    db = context.get(Database);
    relay = context.get(OutboxRelay);
    emitted = record(context);
  });
  afterAll(async () => {
    await context.close();
    await database.drop();
  });

  const unpublished = () => db.read((manager) => manager.countBy(OutboxEventEntity, { publishedAt: IsNull() }));
  const deliveriesOf = (subscriptionId: string) =>
    db.read((manager) => manager.find(WebhookDeliveryEntity, { where: { subscriptionId }, order: { eventId: 'ASC' } }));

  it('hands out every unpublished event once, in id order, and marks it published', async () => {
    // given two filed problems, one assigned
    emitted.length = 0;
    const inspector = org.users.inspector.actor;
    const first = await engine.file(inspector, FILING);
    await engine.file(inspector, FILING);
    await engine.send(inspector, first.id, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline: '2026-03-20T09:00:00Z' });
    const pending = await unpublished();
    expect(pending).toBeGreaterThanOrEqual(3);

    // when
    const published = await relay.relayOnce();

    // then
    expect(published).toBe(pending);
    expect(await unpublished()).toBe(0);
    expect(emitted.map((event) => event.id)).toEqual([...emitted.map((event) => event.id)].sort());
    expect(emitted.slice(-3).map((event) => event.type)).toEqual(['problem.filed', 'problem.filed', 'problem.assigned']);
    expect(JSON.parse(emitted.at(-1)!.body)).toMatchObject({ id: emitted.at(-1)!.id, type: 'problem.assigned', problem: { id: first.id } });

    // and a second run finds nothing
    expect(await relay.relayOnce()).toBe(0);
    expect(emitted).toHaveLength(published);
  });

  it('enqueues one delivery per matching subscription, and re-running never duplicates one', async () => {
    // given nothing left to relay, then subscriptions to everything, to assignments only, and to the facilities
    // department only
    await relay.relayOnce();
    clock.advance(60_000);
    const webhooks = context.get(WebhooksService);
    const all = await webhooks.create(ADMIN, { url: 'http://127.0.0.1:9/all' });
    const assigned = await webhooks.create(ADMIN, { url: 'http://127.0.0.1:9/assigned', eventTypes: ['problem.assigned'] });
    const facilities = await webhooks.create(ADMIN, { url: 'http://127.0.0.1:9/facilities', departmentId: org.departments.facilities });
    const inspector = org.users.inspector.actor;
    const toFacilities = await engine.file(inspector, FILING);
    const toProduction = await engine.file(inspector, FILING);
    await engine.send(inspector, toFacilities.id, { type: 'ASSIGN', departmentId: org.departments.facilities, deadline: '2026-03-20T09:00:00Z' });
    await engine.send(inspector, toProduction.id, { type: 'ASSIGN', departmentId: org.departments.production, deadline: '2026-03-20T09:00:00Z' });

    // when
    expect(await relay.relayOnce()).toBe(4);

    // then
    expect((await deliveriesOf(all.id)).map((delivery) => delivery.eventType).sort()).toEqual([
      'problem.assigned', 'problem.assigned', 'problem.filed', 'problem.filed',
    ]);
    expect((await deliveriesOf(assigned.id)).map((delivery) => delivery.eventType)).toEqual(['problem.assigned', 'problem.assigned']);
    const forFacilities = await deliveriesOf(facilities.id);
    expect(forFacilities).toHaveLength(1);
    expect(forFacilities[0]).toMatchObject({ eventType: 'problem.assigned', status: 'pending', attempts: 0, nextAttemptAt: clock.now().toISOString() });

    // when the same events are relayed again (as after a crash between hand-out and commit)
    await db.write((manager) => manager.update(OutboxEventEntity, { publishedAt: clock.now().toISOString() }, { publishedAt: null }));
    const again = await relay.relayOnce();

    // then they are handed out again (at least once) but no delivery is enqueued twice
    expect(again).toBeGreaterThanOrEqual(4);
    expect(await deliveriesOf(all.id)).toHaveLength(4);
    expect(await deliveriesOf(assigned.id)).toHaveLength(2);
    expect(await deliveriesOf(facilities.id)).toHaveLength(1);
  });

  it('with two relays running at once, publishes and enqueues each event exactly once', async () => {
    // given a second server on the same database (PostgreSQL: its own pool, claims with SKIP LOCKED; SQLite:
    // one process, whose queue serialises them) and a backlog larger than one batch
    const other = database.kind === 'postgres' ? await openContext(database, clock) : context;
    const otherEmitted = other === context ? emitted : record(other);
    try {
      const subscription = await context.get(WebhooksService).create(ADMIN, { url: 'http://127.0.0.1:9/race' });
      const inspector = org.users.inspector.actor;
      for (let i = 0; i < 230; i += 1) await engine.file(inspector, FILING);
      const backlog = await unpublished();
      emitted.length = 0;
      otherEmitted.length = 0;

      // when
      const [a, b] = await Promise.all([relay.relayOnce(), other.get(OutboxRelay).relayOnce()]);

      // then
      expect(a + b).toBe(backlog);
      expect(await unpublished()).toBe(0);
      const handedOut = other === context ? emitted.map((e) => e.id) : [...emitted, ...otherEmitted].map((e) => e.id);
      expect(new Set(handedOut).size).toBe(handedOut.length);
      expect(handedOut).toHaveLength(backlog);
      expect(await deliveriesOf(subscription.id)).toHaveLength(backlog);
    } finally {
      if (other !== context) await other.close();
    }
  });
});
