import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStream, OutboxRelay } from '#events';
import { Database } from '#persistence';
import { IdentityService } from '#identity';
import { StreamClient, type StreamMessage } from '../support/event-stream.js';
import { MatrixClient, type MatrixOrganisation, matrixEvent, seedMatrixOrganisation } from '../support/matrix-organisation.js';
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
  const assignedTo = (department: 'unitA1' | 'subUnitA1a' | 'unitB1') =>
    client.build({ filedBy: 'inspectorB', inspectionRef: client.freshInspection('INSP-STREAM'), assignedTo: department, stage: 'assigned' });

  const of = (problemId: string, messages: StreamMessage[]) => messages.filter((message) => message.data.problem.id === problemId);
  const assignedEvent = (problemId: string) => (received: StreamMessage[]) => of(problemId, received).some((m) => m.event === 'problem.assigned');

  const admin = (method: 'get' | 'post' | 'patch', path: string, body?: Record<string, unknown>) => client.request(t.adminToken, method, path, body);

  /** A user of its own, made through the admin API, so revoking or moving it disturbs no other test. */
  async function newUser(role: 'department' | 'supervisor', departmentId: string): Promise<{ userId: string; tokenId: string; token: string }> {
    const created = await admin('post', '/admin/users', { name: `Stream ${role} ${client.uniqueTitle()}`, role, departmentId });
    expect(created.status).toBe(201);
    return { userId: created.body.user.id, tokenId: created.body.token.id, token: created.body.token.token };
  }

  /** What another server sharing the database does: changes rows this process hears nothing about. */
  const elsewhere = (sql: string, params: unknown[]) => t.app.get(Database).sqlWrite((session) => session.run(sql, params));
  /** The periodic re-check (every EVENT_STREAM_RECHECK_MS), run now. */
  const recheck = () => t.app.get(EventStream).recheckAll();

  async function newDepartment(name: string, parentId: string): Promise<string> {
    const created = await admin('post', '/admin/departments', { name: `${name} ${client.uniqueTitle()}`, parentId });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  /** A problem filed by inspector B and assigned to any department (not only the matrix ones). */
  async function assignedToDepartment(departmentId: string): Promise<{ id: string; version: number }> {
    const filed = await client.build({ filedBy: 'inspectorB', inspectionRef: client.freshInspection('INSP-STREAM'), assignedTo: null, stage: 'found' });
    const assigned = await client.request(client.tokenOf('inspectorB'), 'post', `/problems/${filed.id}/events`, {
      ...matrixEvent(org, 'ASSIGN', departmentId),
      expectedVersion: filed.version,
    });
    expect(assigned.status).toBe(200);
    return { id: filed.id, version: assigned.body.version as number };
  }

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

  it('answers and keeps streaming when the GET carries a body (the request closes once its body is read; the stream must not)', async () => {
    // given a stream opened with a JSON body, which the fuzzing suite found left the answer hanging
    const opened = await StreamClient.open(t, client.tokenOf('supervisorA'), undefined, { state: 'x' });
    open.push(opened);
    expect(opened.status).toBe(200);

    // when an event of its scope is relayed
    const problem = await assignedTo('subUnitA1a');
    await relay.relayOnce();

    // then it arrives
    await opened.waitFor((received) => of(problem.id, received).some((m) => m.event === 'problem.assigned'));
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
  describe('when its token or user stops being valid', () => {
    it('ends with stream.closed "token_revoked" when an admin revokes the token, and sends nothing after', async () => {
      // given a department user's stream that is delivering
      const user = await newUser('department', org.departments.unitA1);
      const live = await stream(user.token);
      const before = await assignedTo('unitA1');
      await relay.relayOnce();
      await live.waitFor(assignedEvent(before.id));

      // when an admin revokes the token
      expect((await admin('post', `/admin/tokens/${user.tokenId}/revoke`)).status).toBe(200);

      // then the stream says why and ends
      expect(await live.waitForEnd()).toBe('token_revoked');
      // and an event of the department's afterwards never reaches it
      const after = await assignedTo('unitA1');
      await relay.relayOnce();
      expect(of(after.id, await live.settle())).toEqual([]);
    });

    it('ends with stream.closed "user_deactivated" when an admin deactivates the user, and sends nothing after', async () => {
      // given
      const user = await newUser('department', org.departments.unitA1);
      const live = await stream(user.token);

      // when
      expect((await admin('post', `/admin/users/${user.userId}/deactivate`)).status).toBe(200);

      // then
      expect(await live.waitForEnd()).toBe('user_deactivated');
      const after = await assignedTo('unitA1');
      await relay.relayOnce();
      expect(of(after.id, await live.settle())).toEqual([]);
    });

    it('ends with stream.closed "token_expired" once the clock passes expiresAt, before writing the next event', async () => {
      // given a stream opened with a token that expires in an hour
      const user = await newUser('department', org.departments.unitA1);
      const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
      const issued = await admin('post', `/admin/users/${user.userId}/tokens`, { label: 'one hour', expiresAt });
      expect(issued.status).toBe(201);
      const live = await stream(issued.body.token as string);

      // when the hour passes and an event of the department is relayed
      t.clock.advance(2 * 3_600_000);
      const after = await assignedTo('unitA1');
      await relay.relayOnce();

      // then the stream ends instead of delivering it
      expect(await live.waitForEnd()).toBe('token_expired');
      expect(of(after.id, live.messages)).toEqual([]);
    });

    it('ends with stream.closed "token_expired" on the periodic re-check once the clock passes expiresAt', async () => {
      // given
      const user = await newUser('department', org.departments.unitA1);
      const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
      const issued = await admin('post', `/admin/users/${user.userId}/tokens`, { label: 'one hour', expiresAt });
      const live = await stream(issued.body.token as string);

      // when the hour passes, with nothing to deliver, and the re-check runs
      t.clock.advance(2 * 3_600_000);
      await recheck();

      // then
      expect(await live.waitForEnd()).toBe('token_expired');
    });

    it('ends on the periodic re-check when another server revoked the token', async () => {
      // given
      const user = await newUser('department', org.departments.unitA1);
      const live = await stream(user.token);

      // when the revocation is committed where this process's signals do not reach
      await elsewhere('UPDATE api_tokens SET revoked_at = ? WHERE id = ?', [t.clock.now().toISOString(), user.tokenId]);
      await recheck();

      // then
      expect(await live.waitForEnd()).toBe('token_revoked');
    });
  });

  describe("a stream's scope follows the organisation without reconnecting", () => {
    it("takes in a department moved under the supervisor's office, and lets it go when it is moved away", async () => {
      // given a supervisor of a fresh office, and a unit that belongs to another office
      const office = await newDepartment('Stream office', org.departments.leadership);
      const unit = await newDepartment('Stream unit', org.departments.officeB);
      const supervisor = await newUser('supervisor', office);
      const live = await stream(supervisor.token);
      const beforeMove = await assignedToDepartment(unit);
      await relay.relayOnce();
      expect(of(beforeMove.id, await live.settle())).toEqual([]);

      // when an admin moves the unit under the supervisor's office
      expect((await admin('patch', `/admin/departments/${unit}`, { parentId: office })).status).toBe(200);
      const whileInside = await assignedToDepartment(unit);
      await relay.relayOnce();

      // then its events arrive on the same connection
      await live.waitFor(assignedEvent(whileInside.id));

      // when it is moved back to the other office
      expect((await admin('patch', `/admin/departments/${unit}`, { parentId: org.departments.officeB })).status).toBe(200);
      const afterMoveBack = await assignedToDepartment(unit);
      await relay.relayOnce();

      // then its new events no longer do
      expect(of(afterMoveBack.id, await live.settle())).toEqual([]);
      expect(live.ended).toBe(false);
    });

    it('follows its user to another department on the periodic re-check', async () => {
      // given a department user's stream, delivering their department's events
      const oldUnit = await newDepartment('Stream old unit', org.departments.officeB);
      const newUnit = await newDepartment('Stream new unit', org.departments.officeB);
      const user = await newUser('department', oldUnit);
      const live = await stream(user.token);
      const before = await assignedToDepartment(oldUnit);
      await relay.relayOnce();
      await live.waitFor(assignedEvent(before.id));

      // when the user is moved to another department (no admin endpoint moves users: another server or a
      // database change did it) and the re-check runs
      await elsewhere('UPDATE users SET department_id = ? WHERE id = ?', [newUnit, user.userId]);
      await recheck();
      const ofOld = await assignedToDepartment(oldUnit);
      const ofNew = await assignedToDepartment(newUnit);
      await relay.relayOnce();

      // then the new department's events arrive on the same connection, the old one's do not
      await live.waitFor(assignedEvent(ofNew.id));
      expect(of(ofOld.id, await live.settle())).toEqual([]);
      expect(live.ended).toBe(false);
    });

    it("delivers the events of a problem reassigned into the supervisor's office (checked per event)", async () => {
      // given a problem of the other office, and supervisor A's stream
      const live = await stream(client.tokenOf('supervisorA'));
      const problem = await assignedTo('unitB1');
      await relay.relayOnce();
      expect(of(problem.id, await live.settle())).toEqual([]);

      // when it is reassigned below office A
      const reassigned = await client.request(client.tokenOf('inspectorB'), 'post', `/problems/${problem.id}/events`, {
        ...matrixEvent(org, 'REASSIGN', org.departments.unitA2),
        expectedVersion: problem.version,
      });
      expect(reassigned.status).toBe(200);
      await relay.relayOnce();

      // then
      await live.waitFor((received) => of(problem.id, received).some((m) => m.event === 'problem.reassigned'));
    });
  });
});
