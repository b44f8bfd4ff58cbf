import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { EventStream, OutboxRelay } from '#events';
import { IdentityService } from '#identity';
import { Database } from '#persistence';
import { StreamClient, type StreamMessage } from '../support/event-stream.js';
import { MatrixClient, type MatrixOrganisation, seedMatrixOrganisation } from '../support/matrix-organisation.js';
import { expectApiError } from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'rectify by friday 2026';
const MINUTE = 60_000;
/** EVENT_STREAM_RECHECK_MS of this suite's server: short, so that the periodic re-check is seen to act. */
const RECHECK_MS = 300;

interface Session {
  cookie: string;
  csrf: string;
}

function cookieOf(response: Response): string {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = header.find((line) => line.startsWith('rk_session='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return cookie.split(';')[0];
}

async function signIn(t: TestApp, username: string, password = PASSWORD): Promise<Session> {
  const response = await t.http().post('/auth/sign-in').send({ username, password });
  expect(response.status).toBe(200);
  return { cookie: cookieOf(response), csrf: response.body.csrfToken as string };
}

/** A person made through the admin API, who has changed the admin-set password (so may use the API with a session). */
async function aPerson(t: TestApp, name: string, role: 'department' | 'supervisor', departmentId: string): Promise<{ userId: string; username: string }> {
  const auth = { Authorization: `Bearer ${t.adminToken}` };
  const created = await t.http().post('/admin/users').set(auth).send({ name, role, departmentId });
  expect(created.status).toBe(201);
  const { id, username } = created.body.user as { id: string; username: string };
  expect((await t.http().post(`/admin/users/${id}/password`).set(auth).send({ password: 'initial password 1' })).status).toBe(200);
  const first = await signIn(t, username, 'initial password 1');
  const changed = await t.http().post('/auth/password').set({ Cookie: first.cookie, 'X-CSRF-Token': first.csrf }).send({ currentPassword: 'initial password 1', newPassword: PASSWORD });
  expect(changed.status).toBe(200);
  return { userId: id, username };
}

/*
 * The console's people open GET /events/stream with their session cookie (a browser's EventSource cannot send
 * Authorization). Same scope as with a token; the stream ends when the session does. Supervisor A heads office A
 * (A1, A1a, A2 below it); office B with unit B1 is another office.
 */
describe('GET /events/stream with a session cookie', () => {
  let t: TestApp;
  let org: MatrixOrganisation;
  let client: MatrixClient;
  let relay: OutboxRelay;
  let people = 0;
  const open: StreamClient[] = [];

  beforeAll(async () => {
    t = await createTestApp({ events: { streamRecheckMs: RECHECK_MS } });
    org = await seedMatrixOrganisation(t.app.get(IdentityService));
    client = new MatrixClient(t, org);
    relay = t.app.get(OutboxRelay);
    await relay.relayOnce();
  });
  afterAll(async () => {
    for (const stream of open) stream.close();
    await t.close();
  });

  async function stream(session: Session): Promise<StreamClient> {
    const opened = await StreamClient.open(t, { cookie: session.cookie });
    open.push(opened);
    return opened;
  }

  /** A person of their own, signed in afresh, so that ending their session disturbs no other test. */
  async function signedIn(role: 'department' | 'supervisor', department: 'officeA' | 'unitA1'): Promise<{ userId: string; username: string; session: Session }> {
    people += 1;
    const person = await aPerson(t, `Stream person ${people}`, role, org.departments[department]);
    return { ...person, session: await signIn(t, person.username) };
  }

  /** A problem filed by inspector B and assigned to `department`. */
  const assignedTo = (department: 'unitA1' | 'subUnitA1a' | 'unitB1') =>
    client.build({ filedBy: 'inspectorB', inspectionRef: client.freshInspection('INSP-SESSION-STREAM'), assignedTo: department, stage: 'assigned' });

  const of = (problemId: string, messages: StreamMessage[]) => messages.filter((message) => message.data.problem.id === problemId);
  const assignedEvent = (problemId: string) => (received: StreamMessage[]) => of(problemId, received).some((m) => m.event === 'problem.assigned');
  const recheck = () => t.app.get(EventStream).recheckAll();
  /** What another server sharing the database does: changes rows this process hears nothing about. */
  const elsewhere = (sql: string, params: unknown[]) => t.app.get(Database).sqlWrite((session) => session.run(sql, params));
  const sessionsOf = (userId: string) =>
    t.app.get(Database).sqlRead((session) => session.all<{ id: string }>('SELECT id FROM user_sessions WHERE user_id = ?', [userId]));

  it("gives a signed-in supervisor the event of a subordinate department's problem, and not that of another office's", async () => {
    // given a supervisor of office A, signed in, whose console opens the stream with the cookie alone
    const { session } = await signedIn('supervisor', 'officeA');
    const live = await stream(session);
    expect(live.status).toBe(200);
    expect(live.headers['content-type']).toMatch(/^text\/event-stream/);
    // counted against the session's own rate limit
    expect(live.headers['ratelimit-limit']).toBeDefined();

    // when one problem is assigned in office B and one below office A, and the relay hands the events out
    const otherOffice = await assignedTo('unitB1');
    const subordinate = await assignedTo('subUnitA1a');
    await relay.relayOnce();

    // then
    const messages = await live.waitFor(assignedEvent(subordinate.id));
    expect(of(subordinate.id, messages).find((m) => m.event === 'problem.assigned')!.data).toEqual(
      expect.objectContaining({ type: 'problem.assigned', problem: expect.objectContaining({ departmentId: org.departments.subUnitA1a }) }),
    );
    expect(of(otherOffice.id, await live.settle())).toEqual([]);
    expect(live.ended).toBe(false);
  });

  it('ends with stream.closed "session_ended" when the person signs out, and sends nothing after', async () => {
    // given a department person's stream that is delivering
    const { session } = await signedIn('department', 'unitA1');
    const live = await stream(session);
    const before = await assignedTo('unitA1');
    await relay.relayOnce();
    await live.waitFor(assignedEvent(before.id));

    // when they sign out (from another tab of the console)
    expect((await t.http().post('/auth/sign-out').set({ Cookie: session.cookie, 'X-CSRF-Token': session.csrf })).status).toBe(204);

    // then the stream says why and ends, within the re-check interval
    expect(await live.waitForEnd(RECHECK_MS * 3)).toBe('session_ended');
    const after = await assignedTo('unitA1');
    await relay.relayOnce();
    expect(of(after.id, await live.settle())).toEqual([]);
    // and reopening it with the same cookie is refused
    const reopened = await stream(session);
    await reopened.settle(100);
    expect(reopened.status).toBe(401);
    expect(JSON.parse(reopened.body)).toMatchObject({ code: 'AUTH.SESSION_ENDED' });
  });

  it('ends on the periodic re-check, within EVENT_STREAM_RECHECK_MS, when the session was signed out through another server', async () => {
    // given
    const { userId, session } = await signedIn('department', 'unitA1');
    const live = await stream(session);

    // when the session row goes where this process's signals do not reach (nothing here calls the re-check)
    await elsewhere('DELETE FROM user_sessions WHERE user_id = ?', [userId]);

    // then the re-check timer ends the stream
    expect(await live.waitForEnd(RECHECK_MS * 5)).toBe('session_ended');
  });

  it('ends with stream.closed "user_deactivated" when an admin deactivates the person', async () => {
    // given
    const { userId, session } = await signedIn('department', 'unitA1');
    const live = await stream(session);

    // when
    expect((await client.request(t.adminToken, 'post', `/admin/users/${userId}/deactivate`)).status).toBe(200);

    // then
    expect(await live.waitForEnd()).toBe('user_deactivated');
  });

  it('ends with "session_ended" when the person changes their password from another session', async () => {
    // given a stream of one session, and a second session of the same person
    const { username, session } = await signedIn('department', 'unitA1');
    const live = await stream(session);
    const other = await signIn(t, username);

    // when the password is changed in the other session (which ends every session but that one)
    const changed = await t.http().post('/auth/password').set({ Cookie: other.cookie, 'X-CSRF-Token': other.csrf }).send({ currentPassword: PASSWORD, newPassword: `${PASSWORD} again` });
    expect(changed.status).toBe(200);

    // then
    expect(await live.waitForEnd()).toBe('session_ended');
  });

  it('goes on while the person uses the console, and ends with "session_expired" once the session idles out', async () => {
    // given a stream opened at T (idle end T + 30 min)
    const { session } = await signedIn('department', 'unitA1');
    const live = await stream(session);

    // when the person uses the console at T + 20 min, and an event comes at T + 40 min
    t.clock.advance(20 * MINUTE);
    expect((await t.http().get('/me').set('Cookie', session.cookie)).status).toBe(200);
    t.clock.advance(20 * MINUTE);
    const whileUsed = await assignedTo('unitA1');
    await relay.relayOnce();

    // then it is delivered: the idle end moved on with the use
    await live.waitFor(assignedEvent(whileUsed.id));
    expect(live.ended).toBe(false);

    // when nothing but the stream is used for 30 minutes more, and an event comes
    t.clock.advance(31 * MINUTE);
    const afterIdle = await assignedTo('unitA1');
    await relay.relayOnce();

    // then the stream ends instead of delivering it (an open stream alone does not keep the session alive)
    expect(await live.waitForEnd()).toBe('session_expired');
    expect(of(afterIdle.id, live.messages)).toEqual([]);
  });

  it('ends with "session_expired" on the re-check 12 hours after sign-in, however busy the person', async () => {
    // given
    const { session } = await signedIn('department', 'unitA1');
    const live = await stream(session);

    // when the person uses the console every 25 minutes, the stream staying open, until 12 hours have passed
    for (let elapsed = 25; elapsed < 12 * 60; elapsed += 25) {
      t.clock.advance(25 * MINUTE);
      expect((await t.http().get('/me').set('Cookie', session.cookie)).status).toBe(200);
      expect(live.ended).toBe(false);
    }
    t.clock.advance(25 * MINUTE);
    await recheck();

    // then
    expect(await live.waitForEnd()).toBe('session_expired');
    expectApiError(await t.http().get('/me').set('Cookie', session.cookie), 401, 'AUTH.SESSION_ENDED');
  });

  it('refuses an expired session 401 AUTH.SESSION_ENDED', async () => {
    // given a session left alone for 30 minutes
    const { session } = await signedIn('department', 'unitA1');
    t.clock.advance(30 * MINUTE);

    // when its cookie opens the stream
    const refused = await stream(session);
    await refused.settle(100);

    // then
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'AUTH.SESSION_ENDED' });
  });

  it("deletes ended sessions, anyone's, at the next sign-in", async () => {
    // given two people whose two sessions each (the password change's and a sign-in) idled out unseen
    const idle = await signedIn('department', 'unitA1');
    const alsoIdle = await signedIn('department', 'unitA1');
    const someoneElse = await aPerson(t, 'Stream sweeper', 'department', org.departments.unitA1);
    t.clock.advance(31 * MINUTE);
    expect(await sessionsOf(idle.userId)).toHaveLength(2);
    expect(await sessionsOf(alsoIdle.userId)).toHaveLength(2);

    // when someone else signs in
    const living = await signIn(t, someoneElse.username);

    // then the ended rows are gone, the new session stays and works
    expect(await sessionsOf(idle.userId)).toEqual([]);
    expect(await sessionsOf(alsoIdle.userId)).toEqual([]);
    expect(await sessionsOf(someoneElse.userId)).toHaveLength(1);
    expect((await t.http().get('/me').set('Cookie', living.cookie)).status).toBe(200);
  });
});

describe('Rate limit of a session', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ rateLimitPerMinute: 3 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts RATE_LIMIT_PER_MINUTE per session (429 "for one session"), each session on its own', async () => {
    // given a person with two fresh sessions
    const { username } = await aPerson(t, 'Rate Limited', 'department', t.org.departments.facilities);
    const first = await signIn(t, username);
    const second = await signIn(t, username);

    // when the second makes four requests in a minute
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await t.http().get('/me').set('Cookie', second.cookie));

    // then the fourth is refused, with the headers of the limit
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0].headers['ratelimit-limit']).toBe('3');
    expectApiError(answers[3], 429, 'AUTH.RATE_LIMITED');
    expect(answers[3].body.message).toContain('for one session');
    expect(answers[3].headers['retry-after']).toBeDefined();
    // while the first session still has its own allowance
    expect((await t.http().get('/me').set('Cookie', first.cookie)).status).toBe(200);
  });
});
