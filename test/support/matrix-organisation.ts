import type { Response } from 'supertest';
import type { IdentityService, IssuedUser } from '#identity';
import type { RectificationEventType } from '#rectification';
import { uploadEvidence } from './problem-steps.js';
import { aFiling, type TestApp } from './test-app.js';

/**
 * The organisation the authorization matrix runs against, seeded next to the demo organisation:
 *
 *   Leadership L
 *   ├── Office A            inspector A, supervisor A, a department user (helper)
 *   │   ├── Unit A1         department user A1
 *   │   │   └── Sub-unit A1a  department user (helper)
 *   │   └── Unit A2         department user (helper)
 *   └── Office B            inspector B
 *       └── Unit B1         department user B1 (helper)
 *
 * The four callers of the matrix are the admin (no department), inspector A, supervisor A and the department
 * user of A1. Inspector B files the problems that are not the callers' own; the helpers rectify problems
 * assigned to their department so they can be driven to the state a row needs.
 */
export interface MatrixOrganisation {
  departments: Record<DepartmentKey, string>;
  users: Record<UserKey, IssuedUser>;
}

export type DepartmentKey = 'leadership' | 'officeA' | 'unitA1' | 'subUnitA1a' | 'unitA2' | 'officeB' | 'unitB1';
export type UserKey =
  | 'inspectorA'
  | 'inspectorB'
  | 'supervisorA'
  | 'departmentA1'
  | 'departmentA'
  | 'departmentA1a'
  | 'departmentA2'
  | 'departmentB1';

/** The department user who rectifies what is assigned to each department (leadership and office B have none). */
const RECTIFIER: Partial<Record<DepartmentKey, UserKey>> = {
  officeA: 'departmentA',
  unitA1: 'departmentA1',
  subUnitA1a: 'departmentA1a',
  unitA2: 'departmentA2',
  unitB1: 'departmentB1',
};

export async function seedMatrixOrganisation(identity: IdentityService): Promise<MatrixOrganisation> {
  const leadership = await identity.createDepartment('Matrix Leadership L');
  const officeA = await identity.createDepartment('Matrix Office A', leadership);
  const unitA1 = await identity.createDepartment('Matrix Unit A1', officeA);
  const subUnitA1a = await identity.createDepartment('Matrix Sub-unit A1a', unitA1);
  const unitA2 = await identity.createDepartment('Matrix Unit A2', officeA);
  const officeB = await identity.createDepartment('Matrix Office B', leadership);
  const unitB1 = await identity.createDepartment('Matrix Unit B1', officeB);
  const users: Record<UserKey, IssuedUser> = {
    inspectorA: await identity.createUser('Matrix inspector A', 'inspector', officeA),
    inspectorB: await identity.createUser('Matrix inspector B', 'inspector', officeB),
    supervisorA: await identity.createUser('Matrix supervisor A', 'supervisor', officeA),
    departmentA1: await identity.createUser('Matrix department user A1', 'department', unitA1),
    departmentA: await identity.createUser('Matrix department user A', 'department', officeA),
    departmentA1a: await identity.createUser('Matrix department user A1a', 'department', subUnitA1a),
    departmentA2: await identity.createUser('Matrix department user A2', 'department', unitA2),
    departmentB1: await identity.createUser('Matrix department user B1', 'department', unitB1),
  };
  await identity.makeHead(officeA, users.supervisorA.actor.userId);
  await identity.makeHead(unitA1, users.departmentA1.actor.userId);
  await identity.makeHead(subUnitA1a, users.departmentA1a.actor.userId);
  await identity.makeHead(unitA2, users.departmentA2.actor.userId);
  await identity.makeHead(unitB1, users.departmentB1.actor.userId);
  return { departments: { leadership, officeA, unitA1, subUnitA1a, unitA2, officeB, unitB1 }, users };
}

/** States a matrix problem is driven to before a row runs. */
export type MatrixStage = 'found' | 'assigned' | 'rectifying.inProgress' | 'rectifying.awaitingVerification';

/** A problem as the matrix needs it: who filed it, under which inspection, where it is assigned, its state. */
export interface ProblemSpec {
  filedBy: 'inspectorA' | 'inspectorB';
  inspectionRef: string;
  /** null: never assigned, so it stays `found`. */
  assignedTo: DepartmentKey | null;
  stage: MatrixStage;
}

/** What the responsible department sends after ASSIGN to reach each stage. */
const RECTIFICATION_STEPS: Record<Exclude<MatrixStage, 'found'>, RectificationEventType[]> = {
  assigned: [],
  'rectifying.inProgress': ['START'],
  'rectifying.awaitingVerification': ['START', 'SUBMIT'],
};

export const MATRIX_DEADLINE = '2026-03-20T09:00:00.000Z';

/** A valid payload for each event type; ASSIGN and REASSIGN name a department of the matrix organisation. */
export function matrixEvent(org: MatrixOrganisation, type: RectificationEventType, departmentId?: string): Record<string, unknown> {
  switch (type) {
    case 'ASSIGN':
      return { type, departmentId: departmentId ?? org.departments.unitA2, deadline: MATRIX_DEADLINE };
    case 'REASSIGN':
      return { type, departmentId: departmentId ?? org.departments.unitA2, reason: 'Belongs to another unit' };
    case 'START':
      return { type, measures: 'Fix it', responsiblePerson: 'Matrix rectifier', plannedCompletionDate: '2026-03-10' };
    case 'REPORT_PROGRESS':
      return { type, note: 'Half done', percent: 50 };
    case 'SUBMIT':
      return { type, summary: 'Done' };
    case 'APPROVE':
      return { type, comment: 'Verified on site' };
    case 'REJECT':
      return { type, reason: 'Not done' };
    case 'CLOSE':
      return { type, comment: '销号' };
    case 'CANCEL':
      return { type, reason: 'Duplicate finding' };
    case 'REOPEN':
      return { type, reason: 'It recurred' };
    case 'REQUEST_EXTENSION':
      return { type, reason: 'Parts on back-order', proposedDeadline: '2026-04-30T09:00:00.000Z' };
    case 'APPROVE_EXTENSION':
    case 'APPROVE_SUSPENSION':
    case 'RESUME':
      return { type, comment: 'Agreed' };
    case 'REJECT_EXTENSION':
    case 'REJECT_SUSPENSION':
      return { type, reason: 'Not justified' };
    case 'REQUEST_SUSPENSION':
      return { type, reason: 'Waiting for the supplier' };
    case 'RECOUNT_DEADLINE':
      return { type, reason: 'The calendar changed' };
  }
}

/** HTTP over the test app with the matrix organisation's tokens, and problems built to a ProblemSpec. */
export class MatrixClient {
  private filings = 0;
  private titles = 0;

  constructor(
    private readonly t: TestApp,
    readonly org: MatrixOrganisation,
  ) {}

  tokenOf(user: UserKey | 'admin'): string {
    return user === 'admin' ? this.t.adminToken : this.org.users[user].token;
  }

  request(token: string, method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: Record<string, unknown>, query?: Record<string, string | number>) {
    let call = this.t.http()[method](path).auth(token, { type: 'bearer' });
    if (query) call = call.query(query);
    return body === undefined ? call : call.send(body);
  }

  /** Every problem id `token` can list, following the cursor to the last page. */
  async listAll(token: string, query: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const response: Response = await this.request(token, 'get', '/problems', undefined, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
      if (response.status !== 200) throw new Error(`GET /problems → ${response.status} ${JSON.stringify(response.body)}`);
      items.push(...(response.body.items as Array<Record<string, unknown>>));
      cursor = response.body.nextCursor as string | null;
    } while (cursor !== null);
    return items;
  }

  /** `Matrix problem #n#`: searching for it (GET /problems?text=) finds this problem alone. */
  uniqueTitle(): string {
    this.titles += 1;
    return `Matrix problem #${this.titles}#`;
  }

  /** A fresh inspection reference, so no inspector takes part in it unless they file under it. */
  freshInspection(prefix: string): string {
    this.filings += 1;
    return `${prefix}-${this.filings}`;
  }

  /** Files a problem and drives it to `spec.stage` through the API, failing loudly if any step is refused. */
  async build(spec: ProblemSpec): Promise<{ id: string; version: number }> {
    if ((spec.assignedTo === null) !== (spec.stage === 'found')) {
      throw new Error(`A problem is found exactly while unassigned: ${JSON.stringify(spec)}`);
    }
    const filer = this.tokenOf(spec.filedBy);
    const filed = await this.request(filer, 'post', '/problems', aFiling({ inspectionRef: spec.inspectionRef, title: this.uniqueTitle() }));
    if (filed.status !== 201) throw new Error(`filing → ${filed.status} ${JSON.stringify(filed.body)}`);
    const id = filed.body.id as string;
    let version = filed.body.version as number;
    if (spec.assignedTo !== null && spec.stage !== 'found') {
      const rectifier = RECTIFIER[spec.assignedTo];
      if (!rectifier) throw new Error(`Nobody rectifies for ${spec.assignedTo}`);
      const steps: Array<[string, RectificationEventType, string?]> = [
        [filer, 'ASSIGN', this.org.departments[spec.assignedTo]],
        ...RECTIFICATION_STEPS[spec.stage].map((type): [string, RectificationEventType] => [this.tokenOf(rectifier), type]),
      ];
      for (const [token, type, departmentId] of steps) {
        // A submission carries the department's "after" evidence (the evidence policy requires it).
        if (type === 'SUBMIT') {
          const uploaded = await uploadEvidence(this.t, token, id);
          if (uploaded.status !== 201) throw new Error(`evidence → ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
        }
        const response = await this.request(token, 'post', `/problems/${id}/events`, {
          ...matrixEvent(this.org, type, departmentId),
          expectedVersion: version,
        });
        if (response.status !== 200) throw new Error(`${type} → ${response.status} ${JSON.stringify(response.body)}`);
        version = response.body.version as number;
      }
    }
    const check = await this.request(this.t.adminToken, 'get', `/problems/${id}`);
    if (check.body.stateDetail !== spec.stage) throw new Error(`expected ${spec.stage}, got ${check.body.stateDetail}`);
    return { id, version };
  }

  /** Version, state and history length, read as the admin: what a refused request must leave untouched. */
  async footprint(id: string): Promise<{ version: number; stateDetail: string; historyLength: number }> {
    const problem = await this.request(this.t.adminToken, 'get', `/problems/${id}`);
    const history = await this.request(this.t.adminToken, 'get', `/problems/${id}/history`);
    if (problem.status !== 200 || history.status !== 200) throw new Error(`footprint of ${id}: ${problem.status}/${history.status}`);
    return { version: problem.body.version, stateDetail: problem.body.stateDetail, historyLength: history.body.items.length };
  }
}
