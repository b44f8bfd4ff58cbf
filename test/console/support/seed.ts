import { ADMIN_ONE_TIME_PASSWORD, type ConsoleServer } from './console-server.js';

/** The reference of the inspection the journeys file under. */
export const INSPECTION = 'INSP-2026-041';

/** One person of the demo organisation: how they sign in, and their API token for setting the scene quickly. */
export interface Person {
  id: string;
  name: string;
  username: string;
  password: string;
  token: string;
}

/** The demo organisation the journeys work in (the one `npm run demo` seeds, made through the admin API). */
export interface Organisation {
  officeId: string;
  facilitiesId: string;
  productionId: string;
  inspector: Person;
  supervisor: Person;
  facilities: Person;
  production: Person;
  /** A department user the lock-out journey may lock (nobody else signs in as them). */
  locksmith: Person;
}

interface ProblemResponse {
  id: string;
  version: number;
  state: string;
  stateDetail: string;
  allowedEvents: string[];
}

/** JSON over HTTP with an API token; a refusal throws with the server's answer. */
export async function api<T>(server: ConsoleServer, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Signs in as the person with the password an admin gave them and replaces it with their own, as a person does
 * at first sign-in; the journeys then sign in with that one. (The admin's own first sign-in goes through the
 * console's change-password screen instead, in sign-in.pw.ts.)
 */
async function chooseOwnPassword(server: ConsoleServer, username: string, initial: string, chosen: string): Promise<void> {
  const signIn = await fetch(`${server.baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: initial }),
  });
  if (!signIn.ok) throw new Error(`sign-in of ${username} → ${signIn.status}: ${await signIn.text()}`);
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const change = await fetch(`${server.baseUrl}/auth/password`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrfToken },
    body: JSON.stringify({ currentPassword: initial, newPassword: chosen }),
  });
  if (!change.ok) throw new Error(`password change of ${username} → ${change.status}: ${await change.text()}`);
  await fetch(`${server.baseUrl}/auth/sign-out`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken } });
}

/** The Safety Supervision Office with Facilities and Production under it, an inspector, a supervisor and a clerk per department. */
export async function seedOrganisation(server: ConsoleServer): Promise<Organisation> {
  const admin = server.adminToken;
  const department = async (name: string, parentId?: string) =>
    (await api<{ id: string }>(server, admin, 'POST', '/admin/departments', { name, ...(parentId ? { parentId } : {}) })).id;
  const officeId = await department('安全督查办');
  const facilitiesId = await department('设施部', officeId);
  const productionId = await department('生产部', officeId);

  const person = async (name: string, username: string, role: string, departmentId: string): Promise<Person> => {
    const created = await api<{ user: { id: string }; token: { token: string } }>(server, admin, 'POST', '/admin/users', { name, username, role, departmentId });
    const initial = `initial-${username}-2026`;
    const password = `own-${username}-pass-2026`;
    await api(server, admin, 'POST', `/admin/users/${created.user.id}/password`, { password: initial });
    await chooseOwnPassword(server, username, initial, password);
    return { id: created.user.id, name, username, password, token: created.token.token };
  };
  const inspector = await person('李伟', 'li.wei', 'inspector', officeId);
  const supervisor = await person('张敏', 'zhang.min', 'supervisor', officeId);
  const facilities = await person('王芳', 'wang.fang', 'department', facilitiesId);
  const production = await person('陈杰', 'chen.jie', 'department', productionId);
  const locksmith = await person('赵磊', 'zhao.lei', 'department', productionId);
  // The inspection the inspector is working on today (they are on its team, having created it).
  await api(server, inspector.token, 'POST', '/inspections', {
    reference: INSPECTION, title: '仓库消防安全专项检查', kind: 'safety', inspectedDepartmentIds: [facilitiesId, productionId],
  });
  return { officeId, facilitiesId, productionId, inspector, supervisor, facilities, production, locksmith };
}

/**
 * The administrator, having replaced the one-time password with their own (sign-in.pw.ts does that through the
 * console's screen; journeys that only need an admin signed in do it here).
 */
export async function adminPerson(server: ConsoleServer): Promise<Person> {
  const password = 'admin-own-password-2026';
  await chooseOwnPassword(server, 'admin', ADMIN_ONE_TIME_PASSWORD, password);
  const me = await api<{ user: { id: string } }>(server, server.adminToken, 'GET', '/me');
  return { id: me.user.id, name: 'Administrator', username: 'admin', password, token: server.adminToken };
}

/** A problem filed by the inspector through the API, for journeys that start later in its life. */
export async function fileProblem(server: ConsoleServer, inspector: Person, title: string): Promise<ProblemResponse> {
  return api<ProblemResponse>(server, inspector.token, 'POST', '/problems', {
    inspectionRef: INSPECTION,
    title,
    description: `${title}：现场检查发现`,
    category: '消防安全',
    severity: 'minor',
    location: '三号仓库',
    requirement: '按规范整改并拍照留证',
  });
}

/** One event through the API at the problem's current version. */
export async function sendEvent(server: ConsoleServer, person: Person, problemId: string, event: Record<string, unknown>): Promise<ProblemResponse> {
  const current = await api<ProblemResponse>(server, person.token, 'GET', `/problems/${problemId}`);
  return api<ProblemResponse>(server, person.token, 'POST', `/problems/${problemId}/events`, { ...event, expectedVersion: current.version });
}

export async function getProblem(server: ConsoleServer, person: Person, problemId: string): Promise<ProblemResponse> {
  return api<ProblemResponse>(server, person.token, 'GET', `/problems/${problemId}`);
}
