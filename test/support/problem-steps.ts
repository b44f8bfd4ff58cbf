import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import { aFiling, type TestApp } from './test-app.js';

/** Role names of the demo organisation's tokens (`facilities` and `production` are department users). */
export type RoleName = keyof TestApp['tokens'];
export const ROLE_NAMES: readonly RoleName[] = ['admin', 'inspector', 'supervisor', 'facilities', 'production'];

/** Where a problem can be driven to, by its `stateDetail`. */
export type ProblemStage =
  | 'found'
  | 'assigned'
  | 'rectifying.inProgress'
  | 'rectifying.awaitingVerification'
  | 'verified'
  | 'closed'
  | 'cancelled'
  // in progress, with the clock waiting on a supervisor or suspended by one
  | 'extensionRequested'
  | 'suspensionRequested'
  | 'suspended'
  // assigned with a deadline counted by the policy, after which the calendar got a new version (recountable)
  | 'recountable';

/** The rectification state (`stateDetail`) each stage is in. */
export const STAGE_DETAIL: Record<ProblemStage, string> = {
  found: 'found',
  assigned: 'assigned',
  'rectifying.inProgress': 'rectifying.inProgress',
  'rectifying.awaitingVerification': 'rectifying.awaitingVerification',
  verified: 'verified',
  closed: 'closed',
  cancelled: 'cancelled',
  extensionRequested: 'rectifying.inProgress',
  suspensionRequested: 'rectifying.inProgress',
  suspended: 'rectifying.inProgress',
  recountable: 'assigned',
};

export const DEADLINE = '2026-03-20T09:00:00.000Z';

/** Valid payloads, one per event type; the ones naming a department are built from the demo organisation. */
export function eventBody(t: TestApp, type: string): Record<string, unknown> {
  switch (type) {
    case 'ASSIGN':
      return { type, departmentId: t.org.departments.facilities, deadline: DEADLINE };
    case 'REASSIGN':
      return { type, departmentId: t.org.departments.production, reason: 'It is production equipment' };
    case 'START':
      return { type, measures: 'Move pallets to rack B', responsiblePerson: 'Wang Fang', plannedCompletionDate: '2026-03-10' };
    case 'REPORT_PROGRESS':
      return { type, note: 'Half the pallets moved', percent: 50 };
    case 'SUBMIT':
      return { type, summary: 'Exit cleared' };
    case 'APPROVE':
      return { type, comment: 'Verified on site' };
    case 'REJECT':
      return { type, reason: 'Keep-clear zone not marked' };
    case 'CLOSE':
      return { type, comment: '销号' };
    case 'CANCEL':
      return { type, reason: 'Duplicate finding' };
    case 'REOPEN':
      return { type, reason: 'The exit was blocked again' };
    case 'REQUEST_EXTENSION':
      return { type, reason: 'The new racks arrive in April', proposedDeadline: '2026-04-30T18:00:00+08:00' };
    case 'APPROVE_EXTENSION':
      return { type, comment: 'Agreed, racks ordered' };
    case 'REJECT_EXTENSION':
      return { type, reason: 'Move the pallets by hand meanwhile' };
    case 'REQUEST_SUSPENSION':
      return { type, reason: 'Waiting for the fire brigade inspection' };
    case 'APPROVE_SUSPENSION':
      return { type, comment: 'Agreed' };
    case 'REJECT_SUSPENSION':
      return { type, reason: 'The work does not depend on it' };
    case 'RESUME':
      return { type, comment: 'The inspection took place' };
    case 'RECOUNT_DEADLINE':
      return { type, reason: 'A closure was added to the calendar' };
    default:
      throw new Error(`No payload for ${type}`);
  }
}

/** One step of a path: who sends which event, and what to change in its payload (see `eventBody`). */
type PathStep = [RoleName, string, Record<string, unknown>?];

/** The events (and who sends them) that take a freshly filed problem, assigned to facilities, to each stage. */
const PATH: Record<ProblemStage, PathStep[]> = {
  found: [],
  assigned: [['inspector', 'ASSIGN']],
  'rectifying.inProgress': [['inspector', 'ASSIGN'], ['facilities', 'START']],
  'rectifying.awaitingVerification': [['inspector', 'ASSIGN'], ['facilities', 'START'], ['facilities', 'SUBMIT']],
  verified: [['inspector', 'ASSIGN'], ['facilities', 'START'], ['facilities', 'SUBMIT'], ['inspector', 'APPROVE']],
  closed: [['inspector', 'ASSIGN'], ['facilities', 'START'], ['facilities', 'SUBMIT'], ['inspector', 'APPROVE'], ['supervisor', 'CLOSE']],
  cancelled: [['inspector', 'CANCEL']],
  extensionRequested: [['inspector', 'ASSIGN'], ['facilities', 'START'], ['facilities', 'REQUEST_EXTENSION']],
  suspensionRequested: [['inspector', 'ASSIGN'], ['facilities', 'START'], ['facilities', 'REQUEST_SUSPENSION']],
  suspended: [['inspector', 'ASSIGN'], ['facilities', 'START'], ['facilities', 'REQUEST_SUSPENSION'], ['supervisor', 'APPROVE_SUSPENSION']],
  // no deadline given: the policy counts it (then `inStage` publishes a new calendar version)
  recountable: [['inspector', 'ASSIGN', { deadline: undefined }]],
};

export interface StageOptions {
  /**
   * Assign the problem to production first and then REASSIGN it to facilities, instead of assigning it to
   * facilities directly: production then keeps seeing the problem (it was once theirs) without being
   * responsible for it. Only for stages reached through ASSIGN.
   */
  handedOverFromProduction?: boolean;
}

/** The path to `stage`, with the assignment replaced by a hand-over from production when asked. */
function pathTo(t: TestApp, stage: ProblemStage, options: StageOptions): PathStep[] {
  if (!options.handedOverFromProduction) return PATH[stage];
  if (!PATH[stage].some(([, type]) => type === 'ASSIGN')) throw new Error(`A problem in ${stage} was never assigned, so cannot be handed over`);
  return PATH[stage].flatMap((step): PathStep[] =>
    step[1] === 'ASSIGN'
      ? [
          ['inspector', 'ASSIGN', { departmentId: t.org.departments.production }],
          ['inspector', 'REASSIGN', { departmentId: t.org.departments.facilities, reason: 'It is facilities equipment after all' }],
        ]
      : [step],
  );
}

export interface ProblemRef {
  id: string;
  version: number;
}

/** POST /problems/:id/evidence as multipart (a text file unless `type` says otherwise). */
export function uploadEvidence(
  t: TestApp,
  token: string,
  id: string,
  kind: 'finding' | 'rectification' = 'rectification',
  content: string | Buffer = 'Photo note: done.\n',
  name = 'note.txt',
  type = 'text/plain',
) {
  return t
    .http()
    .post(`/problems/${id}/evidence`)
    .auth(token, { type: 'bearer' })
    .field('kind', kind)
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), { filename: name, contentType: type });
}

/** Small verbs over the HTTP API, so tests read as the workflow they drive. */
export class ProblemSteps {
  constructor(private readonly t: TestApp) {}

  file(role: RoleName = 'inspector', overrides: Record<string, unknown> = {}) {
    return this.t.http().post('/problems').auth(this.t.tokens[role], { type: 'bearer' }).send(aFiling(overrides));
  }

  /**
   * Sends an event. Before a SUBMIT the sender first uploads a small `rectification` file, as a department would
   * (a submission of a general-or-worse problem must carry one); the upload's own outcome is not the point here,
   * and it changes neither the version nor the history. Tests of the requirement itself use `sendOnly`.
   */
  async send(role: RoleName, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    if (body.type === 'SUBMIT') await this.uploadEvidence(role, id);
    return this.sendOnly(role, id, body, headers);
  }

  /** Sends `type` with the body eventBody gives it and `payload` over that, failing unless it is accepted. */
  async accepted(role: RoleName, id: string, type: string, payload: Record<string, unknown> = {}) {
    const response = await this.send(role, id, { ...eventBody(this.t, type), ...payload });
    expect({ type, status: response.status }).toEqual({ type, status: 200 });
    return response;
  }

  sendOnly(role: RoleName, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return this.t.http().post(`/problems/${id}/events`).auth(this.t.tokens[role], { type: 'bearer' }).set(headers).send(body);
  }

  uploadEvidence(role: RoleName, id: string, kind: 'finding' | 'rectification' = 'rectification', content = 'Photo note: done.\n', name = 'note.txt') {
    return uploadEvidence(this.t, this.t.tokens[role], id, kind, content, name);
  }

  get(role: RoleName, id: string) {
    return this.t.http().get(`/problems/${id}`).auth(this.t.tokens[role], { type: 'bearer' });
  }

  history(role: RoleName, id: string) {
    return this.t.http().get(`/problems/${id}/history`).auth(this.t.tokens[role], { type: 'bearer' });
  }

  list(role: RoleName, query: Record<string, string | number> = {}) {
    return this.t.http().get('/problems').auth(this.t.tokens[role], { type: 'bearer' }).query(query);
  }

  /** Files a problem and drives it to `stage` through the API, failing loudly if any step is refused. */
  async inStage(stage: ProblemStage, overrides: Record<string, unknown> = {}, options: StageOptions = {}): Promise<ProblemRef> {
    const filed = await this.file('inspector', overrides);
    expect(filed.status).toBe(201);
    let version = filed.body.version as number;
    const id = filed.body.id as string;
    for (const [role, type, payload] of pathTo(this.t, stage, options)) {
      const response = await this.send(role, id, { ...eventBody(this.t, type), ...payload, expectedVersion: version });
      if (response.status !== 200) throw new Error(`${role} ${type} → ${response.status} ${JSON.stringify(response.body)}`);
      version = response.body.version as number;
    }
    if (stage === 'recountable') await this.newCalendarVersion();
    const problem = await this.get('supervisor', id);
    expect(problem.body.stateDetail).toBe(STAGE_DETAIL[stage]);
    return { id, version };
  }

  /**
   * Publishes a new version of the organisation's calendar (as the admin), toggling a closure far in the future
   * so that no deadline counted in the tests is affected by it.
   */
  async newCalendarVersion(): Promise<number> {
    const admin = this.t.tokens.admin;
    const date = '2030-01-07';
    const calendar = await this.t.http().get('/admin/calendar').auth(admin, { type: 'bearer' });
    expect(calendar.status).toBe(200);
    const response =
      date in (calendar.body.closures as Record<string, string>)
        ? await this.t.http().delete(`/admin/calendar/closures/${date}`).auth(admin, { type: 'bearer' })
        : await this.t.http().post('/admin/calendar/closures').auth(admin, { type: 'bearer' }).send({ date, reason: 'Test closure' });
    expect(response.status).toBeLessThan(300);
    expect(response.body.version).toBe((calendar.body.version as number) + 1);
    return response.body.version as number;
  }

  /** What a rejected request must leave untouched: the version and the number of history rows. */
  async footprint(id: string): Promise<{ version: number; stateDetail: string; historyLength: number }> {
    const problem = await this.get('supervisor', id);
    const history = await this.history('supervisor', id);
    expect(problem.status).toBe(200);
    expect(history.status).toBe(200);
    return { version: problem.body.version, stateDetail: problem.body.stateDetail, historyLength: history.body.items.length };
  }

  async problemCount(): Promise<number> {
    const response = await this.list('supervisor', { limit: 200 });
    expect(response.status).toBe(200);
    return response.body.items.length as number;
  }
}

/**
 * Asserts the documented error shape: status and code, a non-empty message, the correlation id both in the
 * body and in the `x-correlation-id` header, and nothing else (in particular no stack trace).
 */
export function expectApiError(response: Response, status: number, code: string): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toMatch(/application\/json/);
  const header = response.headers['x-correlation-id'];
  expect(header).toEqual(expect.any(String));
  expect(response.body).toEqual({
    code,
    message: expect.any(String),
    correlationId: header,
    ...(response.body.details === undefined ? {} : { details: expect.any(Object) }),
  });
  expect((response.body.message as string).trim().length).toBeGreaterThan(0);
  const raw = response.text;
  expect(raw).not.toMatch(/"stack"/);
  expect(raw).not.toMatch(/\bat \S+ \(?[^)]*:\d+:\d+\)?/);
  expect(raw).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
}

/** The field names listed in a VALIDATION_FAILED body. */
export function invalidFields(response: Response): string[] {
  const fields = (response.body?.details?.fields ?? []) as Array<{ field: string; messages: string[] }>;
  for (const entry of fields) {
    expect(entry.messages.length).toBeGreaterThan(0);
  }
  return fields.map((entry) => entry.field).sort();
}
