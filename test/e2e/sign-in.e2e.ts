import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { expectApiError } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'rectify by friday 2026';
const FAR_DEADLINE = '2027-06-30T09:00:00.000Z';
const MINUTE = 60_000;

interface Session {
  cookie: string;
  csrf: string;
}

describe('Sign-in for people (POST /auth/sign-in, session cookie, CSRF, lock-out)', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A fresh inspector with a password already changed (so not pending), and their username. */
  async function aPerson(name: string): Promise<{ id: string; username: string }> {
    const created = await t.http().post('/admin/users').set(auth(t.adminToken)).send({ name, role: 'inspector', departmentId: t.org.departments.office });
    expect(created.status).toBe(201);
    const { id, username } = created.body.user as { id: string; username: string };
    expect((await t.http().post(`/admin/users/${id}/password`).set(auth(t.adminToken)).send({ password: 'initial password 1' })).status).toBe(200);
    const first = await signIn(username, 'initial password 1');
    const changed = await t.http().post('/auth/password').set(cookieHeaders(first)).send({ currentPassword: 'initial password 1', newPassword: PASSWORD });
    expect(changed.status).toBe(200);
    return { id, username };
  }

  function cookieOf(response: Response): string {
    const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = header.find((line) => line.startsWith('rk_session='));
    if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
    return cookie.split(';')[0];
  }

  async function signIn(username: string, password: string): Promise<Session> {
    const response = await t.http().post('/auth/sign-in').send({ username, password });
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: expect.objectContaining({ csrfToken: expect.any(String) }) });
    return { cookie: cookieOf(response), csrf: response.body.csrfToken as string };
  }

  const cookieHeaders = (session: Session) => ({ Cookie: session.cookie, 'X-CSRF-Token': session.csrf });

  it('signs in with username and password: HttpOnly, SameSite=Strict, Path=/ cookie (not Secure in tests), the user and a CSRF token', async () => {
    // given
    const { username, id } = await aPerson('Sun Yu');
    // when
    const response = await t.http().post('/auth/sign-in').send({ username: username.toUpperCase(), password: PASSWORD });
    // then
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: expect.objectContaining({ id, username, mustChangePassword: false }),
      csrfToken: expect.any(String),
      expiresAt: new Date(t.clock.now().getTime() + 30 * MINUTE).toISOString(),
    });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    const [cookie] = ([] as string[]).concat(response.headers['set-cookie']);
    expect(cookie.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);
  });

  it('works as the caller on GET /me, and on a problem event with the CSRF header; without it 403 AUTH.CSRF, changing nothing', async () => {
    // given an inspector signed in with a session
    const { username, id } = await aPerson('Zhao Lei');
    const session = await signIn(username, PASSWORD);
    const filed = await t.http().post('/problems').set(auth(t.tokens.inspector)).send(aFiling({ inspectionRef: 'INSP-SIGN-IN-1' }));
    expect(filed.status).toBe(201);
    // when / then: reads need no CSRF token
    const me = await t.http().get('/me').set('Cookie', session.cookie);
    expect({ status: me.status, id: me.body.user.id }).toEqual({ status: 200, id });
    // a problem they file themselves, with the CSRF header
    const filedByThem = await t.http().post('/problems').set(cookieHeaders(session)).send(aFiling({ inspectionRef: 'INSP-SIGN-IN-2' }));
    expect(filedByThem.status).toBe(201);
    const assign = { type: 'ASSIGN', departmentId: t.org.departments.facilities, deadline: FAR_DEADLINE };
    const refused = await t.http().post(`/problems/${filedByThem.body.id}/events`).set('Cookie', session.cookie).send(assign);
    expectApiError(refused, 403, 'AUTH.CSRF');
    const wrong = await t.http().post(`/problems/${filedByThem.body.id}/events`).set({ Cookie: session.cookie, 'X-CSRF-Token': 'x'.repeat(43) }).send(assign);
    expectApiError(wrong, 403, 'AUTH.CSRF');
    expect((await t.http().get(`/problems/${filedByThem.body.id}`).set(auth(t.adminToken))).body.state).toBe('found');
    const assigned = await t.http().post(`/problems/${filedByThem.body.id}/events`).set(cookieHeaders(session)).send(assign);
    expect({ status: assigned.status, state: assigned.body.state }).toEqual({ status: 200, state: 'assigned' });
    // and a bearer request needs no CSRF header, even with a cookie beside it
    const byToken = await t.http().post('/problems').set({ ...auth(t.tokens.inspector), Cookie: session.cookie }).send(aFiling({ inspectionRef: 'INSP-SIGN-IN-1' }));
    expect(byToken.status).toBe(201);
  });

  it('makes a user with an admin-set password change it before anything else; the change is audited and ends other sessions', async () => {
    // given a password set by the admin
    const created = await t.http().post('/admin/users').set(auth(t.adminToken)).send({ name: 'Qian Hua', username: 'qian.hua', role: 'inspector', departmentId: t.org.departments.office });
    const { id } = created.body.user as { id: string };
    const set = await t.http().post(`/admin/users/${id}/password`).set(auth(t.adminToken)).send({ password: 'first of many 1' });
    expect({ status: set.status, must: set.body.mustChangePassword }).toEqual({ status: 200, must: true });
    const first = await signIn('Qian.Hua', 'first of many 1');
    const second = await signIn('qian.hua', 'first of many 1');
    // when / then: only the session, the password change and sign-out are open
    expectApiError(await t.http().get('/me').set('Cookie', first.cookie), 403, 'AUTH.PASSWORD_CHANGE_REQUIRED');
    const session = await t.http().get('/auth/session').set('Cookie', first.cookie);
    expect(session.body).toEqual({ user: expect.objectContaining({ id, mustChangePassword: true }), csrfToken: first.csrf, expiresAt: expect.any(String), via: 'session' });
    const changed = await t.http().post('/auth/password').set(cookieHeaders(first)).send({ currentPassword: 'first of many 1', newPassword: 'mine and only mine' });
    expect({ status: changed.status, must: changed.body.user.mustChangePassword }).toEqual({ status: 200, must: false });
    expect((await t.http().get('/me').set('Cookie', first.cookie)).status).toBe(200);
    expectApiError(await t.http().get('/me').set('Cookie', second.cookie), 401, 'AUTH.SESSION_ENDED');
    // and the admin's setting and the user's change are in the audit log, without the password
    const audit = await t.http().get('/admin/audit').set(auth(t.adminToken)).query({ limit: 5 });
    const entries = (audit.body.items as Array<{ action: string; targetId: string; actorId: string; details: unknown }>).filter((entry) => entry.targetId === id);
    expect(entries.map((entry) => [entry.action, entry.actorId === id ? 'user' : 'admin'])).toEqual([
      ['user.password_changed', 'user'],
      ['user.password_set', 'admin'],
      ['user.created', 'admin'],
    ]);
    expect(JSON.stringify(entries)).not.toContain('first of many');
  });

  it('lets a user set their password with an invitation code, once, until it expires after 7 days', async () => {
    // given
    const created = await t.http().post('/admin/users').set(auth(t.adminToken)).send({ name: 'Zhou Ning', role: 'supervisor', departmentId: t.org.departments.office });
    const { id, username } = created.body.user as { id: string; username: string };
    expect(username).toBe('zhou.ning');
    const invitation = await t.http().post(`/admin/users/${id}/invitation`).set(auth(t.adminToken));
    expect(invitation.status).toBe(201);
    expect(invitation.body).toEqual({ userId: id, username, code: expect.any(String), expiresAt: new Date(t.clock.now().getTime() + 7 * 24 * 60 * MINUTE).toISOString() });
    // when a wrong code, then a weak password with the right one
    expectApiError(await t.http().post('/auth/invitation').send({ username, code: 'not-the-code', password: PASSWORD }), 401, 'AUTH.INVALID_INVITATION');
    const weak = await t.http().post('/auth/invitation').send({ username, code: invitation.body.code, password: 'password123' });
    expectApiError(weak, 422, 'AUTH.WEAK_PASSWORD');
    // then the right code with a good password signs them in, not to be changed again
    const accepted = await t.http().post('/auth/invitation').send({ username, code: invitation.body.code, password: PASSWORD });
    expect({ status: accepted.status, must: accepted.body.user.mustChangePassword }).toEqual({ status: 200, must: false });
    expect((await t.http().get('/me').set('Cookie', cookieOf(accepted))).status).toBe(200);
    expectApiError(await t.http().post('/auth/invitation').send({ username, code: invitation.body.code, password: 'another good one' }), 401, 'AUTH.INVALID_INVITATION');
    // and a code older than 7 days is refused
    const later = await t.http().post(`/admin/users/${id}/invitation`).set(auth(t.adminToken));
    t.clock.advance(7 * 24 * 60 * MINUTE + 1);
    expectApiError(await t.http().post('/auth/invitation').send({ username, code: later.body.code, password: 'another good one' }), 401, 'AUTH.INVALID_INVITATION');
    expect((await t.http().post('/auth/sign-in').send({ username, password: PASSWORD })).status).toBe(200);
    const audit = await t.http().get('/admin/audit').set(auth(t.adminToken)).query({ limit: 10 });
    expect((audit.body.items as Array<{ action: string; targetId: string }>).filter((entry) => entry.targetId === id).map((entry) => entry.action)).toEqual([
      'user.invitation_issued',
      'user.invitation_accepted',
      'user.invitation_issued',
      'user.created',
    ]);
  });

  it('answers a wrong password and an unknown user alike, locks after 5 wrong passwords (429 with Retry-After), and unlocks after 15 minutes', async () => {
    // given
    const { username } = await aPerson('Wu Gang');
    // when / then
    const unknown = await t.http().post('/auth/sign-in').send({ username: 'nobody.here', password: PASSWORD });
    const wrong = await t.http().post('/auth/sign-in').send({ username, password: 'not my password' });
    expectApiError(unknown, 401, 'AUTH.INVALID_CREDENTIALS');
    expectApiError(wrong, 401, 'AUTH.INVALID_CREDENTIALS');
    expect(wrong.body.message).toBe(unknown.body.message);
    for (let attempt = 2; attempt <= 4; attempt += 1) {
      expectApiError(await t.http().post('/auth/sign-in').send({ username, password: 'not my password' }), 401, 'AUTH.INVALID_CREDENTIALS');
    }
    const fifth = await t.http().post('/auth/sign-in').send({ username, password: 'not my password' });
    expectApiError(fifth, 429, 'AUTH.LOCKED');
    expect(fifth.headers['retry-after']).toBe(String(15 * 60));
    // even the right password is refused while locked
    t.clock.advance(14 * MINUTE);
    const stillLocked = await t.http().post('/auth/sign-in').send({ username, password: PASSWORD });
    expectApiError(stillLocked, 429, 'AUTH.LOCKED');
    expect(stillLocked.headers['retry-after']).toBe(String(60));
    t.clock.advance(MINUTE);
    expect((await t.http().post('/auth/sign-in').send({ username, password: PASSWORD })).status).toBe(200);
  });

  it('ends the session at sign-out, at deactivation, after 30 idle minutes and 12 hours after sign-in', async () => {
    // given
    const { id, username } = await aPerson('Zheng Tao');
    // sign-out
    const out = await signIn(username, PASSWORD);
    const signedOut = await t.http().post('/auth/sign-out').set(cookieHeaders(out));
    expect(signedOut.status).toBe(204);
    expect(([] as string[]).concat(signedOut.headers['set-cookie']).join()).toContain('rk_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expectApiError(await t.http().get('/me').set('Cookie', out.cookie), 401, 'AUTH.SESSION_ENDED');
    // idle: used at 29 minutes keeps it, 30 minutes without use ends it
    const idle = await signIn(username, PASSWORD);
    t.clock.advance(29 * MINUTE);
    expect((await t.http().get('/me').set('Cookie', idle.cookie)).status).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await t.http().get('/me').set('Cookie', idle.cookie)).status).toBe(200);
    t.clock.advance(30 * MINUTE);
    expectApiError(await t.http().get('/me').set('Cookie', idle.cookie), 401, 'AUTH.SESSION_ENDED');
    // absolute: busy all along, it still ends after 12 hours
    const busy = await signIn(username, PASSWORD);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      expect((await t.http().get('/me').set('Cookie', busy.cookie)).status).toBe(200);
    }
    t.clock.advance(20 * MINUTE);
    expectApiError(await t.http().get('/me').set('Cookie', busy.cookie), 401, 'AUTH.SESSION_ENDED');
    // deactivation
    const active = await signIn(username, PASSWORD);
    expect((await t.http().post(`/admin/users/${id}/deactivate`).set(auth(t.adminToken))).status).toBe(200);
    expect((await t.http().post(`/admin/users/${id}/reactivate`).set(auth(t.adminToken))).status).toBe(200);
    expectApiError(await t.http().get('/me').set('Cookie', active.cookie), 401, 'AUTH.SESSION_ENDED');
  });

  it.each([
    ['short', 'too_short'],
    ['chen.ming.2026', 'same_as_username'],
    ['qwertyuiop', 'too_common'],
  ])('refuses the weak password %j (%s) with 422 AUTH.WEAK_PASSWORD, changing nothing', async (password, reason) => {
    // given
    const created = await t.http().post('/admin/users').set(auth(t.adminToken)).send({ name: `Chen Ming ${reason}`, username: `Chen.Ming.2026.${reason}`, role: 'inspector', departmentId: t.org.departments.office });
    const { id } = created.body.user as { id: string };
    // when (the username, in other letter case, stands for the password of the same_as_username case)
    const response = await t.http().post(`/admin/users/${id}/password`).set(auth(t.adminToken)).send({ password: reason === 'same_as_username' ? `chen.ming.2026.${reason}` : password });
    // then
    expectApiError(response, 422, 'AUTH.WEAK_PASSWORD');
    expect(response.body.details).toEqual({ field: 'password', reason });
    expect((await t.http().get(`/admin/users/${id}`).set(auth(t.adminToken))).body.mustChangePassword).toBe(false);
  });

  it('refuses a taken username ignoring case (409 USER.USERNAME_TAKEN) and a password over 200 characters (400)', async () => {
    const taken = await t.http().post('/admin/users').set(auth(t.adminToken)).send({ name: 'Another admin', username: 'ADMIN', role: 'admin' });
    expectApiError(taken, 409, 'USER.USERNAME_TAKEN');
    expectApiError(await t.http().post('/auth/sign-in').send({ username: 'admin', password: 'x'.repeat(201) }), 400, 'VALIDATION_FAILED');
  });

  it('gives API token callers the session endpoints harmlessly: GET /auth/session says token, sign-out ends nothing', async () => {
    const session = await t.http().get('/auth/session').set(auth(t.tokens.inspector));
    expect(session.body).toEqual({ user: expect.objectContaining({ id: t.org.users.inspector.actor.userId }), csrfToken: null, expiresAt: null, via: 'token' });
    expect((await t.http().post('/auth/sign-out').set(auth(t.tokens.inspector))).status).toBe(204);
    expect((await t.http().get('/me').set(auth(t.tokens.inspector))).status).toBe(200);
  });
});
