import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';
import { uploadEvidence } from '../support/problem-steps.js';

describe('A problem\'s whole life over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (token: string, id: string, body: Record<string, unknown>) =>
    t.http().post(`/problems/${id}/events`).auth(token, { type: 'bearer' }).send(body);

  it('files → assigns → starts → reports progress → submits → is rejected → resubmits → is approved → is closed', async () => {
    // given a problem filed by the inspector
    const filed = await t.http().post('/problems').auth(t.tokens.inspector, { type: 'bearer' }).send(aFiling());
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ state: 'found', version: 1, allowedEvents: ['ASSIGN', 'CANCEL'] });
    const id = filed.body.id as string;

    // when it goes through the whole workflow
    const steps: Array<[string, Record<string, unknown>, string, string]> = [
      [t.tokens.inspector, { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: '2026-03-20T09:00:00.000Z' }, 'assigned', 'assigned'],
      [t.tokens.facilities, { type: 'START', measures: 'Move pallets to rack B', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-03-10' }, 'rectifying', 'rectifying.inProgress'],
      [t.tokens.facilities, { type: 'REPORT_PROGRESS', note: 'Half the pallets moved', percent: 50 }, 'rectifying', 'rectifying.inProgress'],
      [t.tokens.facilities, { type: 'SUBMIT', summary: 'Exit cleared' }, 'rectifying', 'rectifying.awaitingVerification'],
      [t.tokens.inspector, { type: 'REJECT', reason: 'Keep-clear zone not marked' }, 'rectifying', 'rectifying.inProgress'],
      [t.tokens.facilities, { type: 'SUBMIT', summary: 'Exit cleared and zone marked' }, 'rectifying', 'rectifying.awaitingVerification'],
      [t.tokens.inspector, { type: 'APPROVE', comment: 'Verified on site' }, 'verified', 'verified'],
      [t.tokens.supervisor, { type: 'CLOSE', comment: '销号' }, 'closed', 'closed'],
    ];
    let version = 1;
    for (const [token, body, state, detail] of steps) {
      // each submission carries its own "after" evidence
      if (body.type === 'SUBMIT') expect((await uploadEvidence(t, token, id)).status).toBe(201);
      const response = await send(token, id, { ...body, expectedVersion: version });
      expect({ event: body.type, status: response.status, state: response.body.state, detail: response.body.stateDetail }).toEqual({
        event: body.type,
        status: 200,
        state,
        detail,
      });
      version += 1;
      expect(response.body.version).toBe(version);
    }

    // then the problem is closed with one rework round, and history shows every step in order
    const problem = await t.http().get(`/problems/${id}`).auth(t.tokens.supervisor, { type: 'bearer' });
    expect(problem.body).toMatchObject({ state: 'closed', reworkCount: 1, version: 9, closedAt: expect.any(String) });
    const history = await t.http().get(`/problems/${id}/history`).auth(t.tokens.supervisor, { type: 'bearer' });
    expect(history.status).toBe(200);
    expect(history.body.items.map((row: { eventType: string }) => row.eventType)).toEqual([
      'FILE', 'ASSIGN', 'START', 'REPORT_PROGRESS', 'SUBMIT', 'REJECT', 'SUBMIT', 'APPROVE', 'CLOSE',
    ]);
    expect(history.body.items.map((row: { version: number }) => row.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(history.body.items[8]).toMatchObject({ actorRole: 'supervisor', fromState: 'verified', toState: 'closed', occurredAt: expect.any(String) });
  });
});
