import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OutboxRelay } from '../../libs/events/src/index.js';
import { IdentityService } from '../../libs/identity/src/index.js';
import { StreamClient, type StreamMessage } from '../support/event-stream.js';
import { MatrixClient, type MatrixOrganisation, seedMatrixOrganisation } from '../support/matrix-organisation.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/*
 * GET /events/stream shows a caller the events of problems in their read scope, the same scope as
 * GET /problems/:id. Supervisor A heads office A (A1, A1a, A2 below it); office B with unit B1 is another office.
 */
describe('GET /events/stream', () => {
  let t: TestApp;
  let org: MatrixOrganisation;
  let client: MatrixClient;
  let relay: OutboxRelay;
  const open: StreamClient[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    org = await seedMatrixOrganisation(t.app.get(IdentityService));
    client = new MatrixClient(t, org);
    relay = t.app.get(OutboxRelay);
    await relay.relayOnce();
  });
  afterAll(async () => {
    for (const stream of open) stream.close();
    await t.close();
  });

  async function stream(token: string | null, lastEventId?: string): Promise<StreamClient> {
    const opened = await StreamClient.open(t, token, lastEventId);
    open.push(opened);
    return opened;
  }

  /** A problem filed by inspector B and assigned to `department`. */
  const assignedTo = (department: 'subUnitA1a' | 'unitB1') =>
    client.build({ filedBy: 'inspectorB', inspectionRef: client.freshInspection('INSP-STREAM'), assignedTo: department, stage: 'assigned' });

  const of = (problemId: string, messages: StreamMessage[]) => messages.filter((message) => message.data.problem.id === problemId);

  it("gives a supervisor the event of a subordinate department's problem, and not that of another office's department", async () => {
    // given
    const supervisor = await stream(client.tokenOf('supervisorA'));
    const inspectorB = await stream(client.tokenOf('inspectorB'));
    expect(supervisor.status).toBe(200);
    expect(supervisor.headers['content-type']).toMatch(/^text\/event-stream/);

    // when one problem is assigned below office A and one in office B, and the relay hands the events out
    const otherOffice = await assignedTo('unitB1');
    const subordinate = await assignedTo('subUnitA1a');
    await relay.relayOnce();

    // then
    const messages = await supervisor.waitFor((received) => of(subordinate.id, received).some((m) => m.event === 'problem.assigned'));
    const assigned = of(subordinate.id, messages).find((m) => m.event === 'problem.assigned')!;
    expect(assigned).toEqual({
      id: assigned.data.id,
      event: 'problem.assigned',
      data: expect.objectContaining({ type: 'problem.assigned', problem: expect.objectContaining({ departmentId: org.departments.subUnitA1a }) }),
    });
    expect(of(otherOffice.id, await supervisor.settle())).toEqual([]);
    // while the other office's inspector, who filed it, does see it
    await inspectorB.waitFor((received) => of(otherOffice.id, received).some((m) => m.event === 'problem.assigned'));
  });

  it('resumes with Last-Event-ID: replays what was missed, then goes on live, each event once', async () => {
    // given a stream that saw an event, then went away
    const first = await stream(client.tokenOf('supervisorA'));
    const seen = await assignedTo('subUnitA1a');
    await relay.relayOnce();
    const before = await first.waitFor((received) => of(seen.id, received).some((m) => m.event === 'problem.assigned'));
    const lastEventId = before.at(-1)!.id;
    first.close();

    // and problems assigned meanwhile: one relayed, one still waiting in the outbox
    const missedRelayed = await assignedTo('subUnitA1a');
    await relay.relayOnce();
    const missedUnrelayed = await assignedTo('subUnitA1a');

    // when the client reconnects with the last id it saw
    const resumed = await stream(client.tokenOf('supervisorA'), lastEventId);

    // then the missed events are replayed, in order, and nothing from before
    await resumed.waitFor((received) => of(missedUnrelayed.id, received).some((m) => m.event === 'problem.assigned'));
    expect(of(missedRelayed.id, resumed.messages).map((m) => m.event)).toEqual(['problem.filed', 'problem.assigned']);
    expect(resumed.messages.every((message) => message.id > lastEventId)).toBe(true);
    expect(resumed.messages.map((m) => m.id)).toEqual([...resumed.messages.map((m) => m.id)].sort());

    // when the waiting event is relayed and a new one happens
    await relay.relayOnce();
    const live = await assignedTo('subUnitA1a');
    await relay.relayOnce();

    // then the live one arrives, and the replayed one is not sent twice
    await resumed.waitFor((received) => of(live.id, received).some((m) => m.event === 'problem.assigned'));
    const ids = (await resumed.settle()).map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives a department user only their own department', async () => {
    // given
    const departmentA1 = await stream(client.tokenOf('departmentA1'));
    const below = await assignedTo('subUnitA1a');
    const own = await client.build({ filedBy: 'inspectorB', inspectionRef: client.freshInspection('INSP-STREAM'), assignedTo: 'unitA1', stage: 'assigned' });

    // when
    await relay.relayOnce();

    // then
    await departmentA1.waitFor((received) => of(own.id, received).some((m) => m.event === 'problem.assigned'));
    expect(of(below.id, await departmentA1.settle())).toEqual([]);
  });

  it('answers 401 without a valid token', async () => {
    const anonymous = await stream(null);
    await anonymous.settle(100);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ code: 'AUTH.MISSING_TOKEN' });

    const forged = await stream('not-a-real-token-at-all');
    await forged.settle(100);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });
});
