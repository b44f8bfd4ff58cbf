import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '#domain';
import { OutboxEventEntity, ProblemHistoryEntity } from '#persistence';
import { applyEvent } from '#rectification';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

describe('One event, one transaction', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine();
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes nothing at all when any part of the change fails', async () => {
    // given a filed problem and the outbox event id it already used
    const inspector = t.org.users.inspector.actor;
    const filed = await t.engine.file(inspector, {
      title: 't', description: 'd', category: 'c', severity: 'minor', location: 'l', inspectionRef: 'r', requirement: 'q',
    });
    const [existing] = await t.db.read((manager) => manager.findBy(OutboxEventEntity, { problemId: filed.id }));
    const at = t.clock.now().toISOString();
    const next = applyEvent(filed.snapshot, { type: 'CANCEL', reason: 'duplicate', at, actorId: inspector.userId })!;

    // when a change whose outbox insert must fail (duplicate event id) is committed
    const commit = t.problems.commitTransition(
      {
        problem: { ...filed, state: 'cancelled', stateDetail: 'cancelled', version: 2, snapshot: next, updatedAt: at },
        history: {
          id: newId(), problemId: filed.id, version: 2, eventType: 'CANCEL', payload: {}, actorId: inspector.userId,
          actorName: inspector.name, actorRole: inspector.role, fromState: 'found', toState: 'cancelled', occurredAt: at,
          machineVersion: filed.machineVersion, hash: 'f'.repeat(64),
        },
        outbox: { id: existing.id, type: 'problem.cancelled', problemId: filed.id, problemVersion: 2, payload: {}, occurredAt: at },
      },
      1,
    );

    // then it fails and neither the snapshot nor the history moved
    await expect(commit).rejects.toThrow();
    const stored = await t.problems.findById(filed.id);
    expect(stored).toMatchObject({ version: 1, state: 'found' });
    expect(await t.db.read((manager) => manager.countBy(ProblemHistoryEntity, { problemId: filed.id }))).toBe(1);
  });

  it('refuses a change whose expected version is no longer current, writing nothing', async () => {
    const inspector = t.org.users.inspector.actor;
    const filed = await t.engine.file(inspector, {
      title: 't', description: 'd', category: 'c', severity: 'minor', location: 'l', inspectionRef: 'r', requirement: 'q',
    });
    await t.engine.send(inspector, filed.id, { type: 'CANCEL', reason: 'duplicate' });
    const at = t.clock.now().toISOString();

    const committed = await t.problems.commitTransition(
      {
        problem: { ...filed, version: 2, updatedAt: at },
        history: {
          id: newId(), problemId: filed.id, version: 2, eventType: 'CANCEL', payload: {}, actorId: inspector.userId,
          actorName: inspector.name, actorRole: inspector.role, fromState: 'found', toState: 'cancelled', occurredAt: at,
          machineVersion: filed.machineVersion, hash: 'f'.repeat(64),
        },
        outbox: { id: newId(), type: 'problem.cancelled', problemId: filed.id, problemVersion: 2, payload: {}, occurredAt: at },
      },
      1,
    );

    expect(committed).toBe(false);
    expect(await t.db.read((manager) => manager.countBy(ProblemHistoryEntity, { problemId: filed.id }))).toBe(2);
  });
});
