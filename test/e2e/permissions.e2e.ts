import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Role } from '#domain';
import {
  rolesFor,
  RECTIFICATION_EVENT_TYPES,
  type RectificationEventType,
} from '#rectification';
import {
  eventBody,
  expectApiError,
  type ProblemStage,
  ProblemSteps,
  ROLE_NAMES,
  type RoleName,
} from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * ok        the event is accepted (200)
 * forbidden 403 AUTH.FORBIDDEN: the role may never send it
 * hidden    404 PROBLEM.NOT_FOUND: the problem lies outside the caller's read scope, so to them it does not exist
 *
 * Every problem below is filed by the inspector and (from `assigned` on) assigned to facilities, so
 * `facilities` is the responsible department and `production` is a department user from elsewhere, who sees
 * none of it. A department that sees a problem without being responsible for it (403 AUTH.NOT_YOUR_DEPARTMENT)
 * is under "the own-department rule" below.
 */
type Outcome = 'ok' | 'forbidden' | 'hidden';

// prettier-ignore
const EXPECTED: Record<RectificationEventType, { stage: ProblemStage } & Record<RoleName, Outcome>> = {
  //                                                  admin         inspector     supervisor    facilities    production
  ASSIGN:          { stage: 'found',                           admin: 'ok',        inspector: 'ok',        supervisor: 'ok',        facilities: 'hidden',    production: 'hidden' },
  REASSIGN:        { stage: 'assigned',                        admin: 'ok',        inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  START:           { stage: 'assigned',                        admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'hidden' },
  REPORT_PROGRESS: { stage: 'rectifying.inProgress',           admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'hidden' },
  SUBMIT:          { stage: 'rectifying.inProgress',           admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'hidden' },
  APPROVE:         { stage: 'rectifying.awaitingVerification', admin: 'forbidden', inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  REJECT:          { stage: 'rectifying.awaitingVerification', admin: 'forbidden', inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  CLOSE:           { stage: 'verified',                        admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  CANCEL:          { stage: 'assigned',                        admin: 'ok',        inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  REOPEN:          { stage: 'closed',                          admin: 'forbidden', inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  // Extensions and suspensions: the department asks, a supervisor decides; either resumes a suspended clock.
  REQUEST_EXTENSION:  { stage: 'assigned',                     admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'hidden' },
  APPROVE_EXTENSION:  { stage: 'extensionRequested',           admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  REJECT_EXTENSION:   { stage: 'extensionRequested',           admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  REQUEST_SUSPENSION: { stage: 'rectifying.inProgress',        admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'hidden' },
  APPROVE_SUSPENSION: { stage: 'suspensionRequested',          admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  REJECT_SUSPENSION:  { stage: 'suspensionRequested',          admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
  RESUME:             { stage: 'suspended',                    admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'ok',        production: 'hidden' },
  // A policy deadline recounted on a newer calendar version: a supervisor over the problem or an admin.
  RECOUNT_DEADLINE:   { stage: 'recountable',                  admin: 'ok',        inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'hidden' },
};

const ROLE_OF: Record<RoleName, Role> = {
  admin: 'admin',
  inspector: 'inspector',
  supervisor: 'supervisor',
  facilities: 'department',
  production: 'department',
};

/**
 * Whether the caller can see a problem in this stage at all (read scope; 404 otherwise). Admins see
 * everything; the inspector filed it; the supervisor heads the office above every department. A department
 * user sees only problems once assigned to their own department: here, facilities from `assigned` on.
 */
function visibleTo(name: RoleName, stage: ProblemStage): boolean {
  if (ROLE_OF[name] !== 'department') return true;
  return name === 'facilities' && stage !== 'found' && stage !== 'cancelled';
}

const ALL_STAGES: ProblemStage[] = [
  'found',
  'assigned',
  'rectifying.inProgress',
  'rectifying.awaitingVerification',
  'verified',
  'closed',
  'cancelled',
  'extensionRequested',
  'suspensionRequested',
  'suspended',
  'recountable',
];

describe('Who may send which event, over HTTP', () => {
  let t: TestApp;
  let steps: ProblemSteps;
  beforeAll(async () => {
    t = await createTestApp();
    steps = new ProblemSteps(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the table above says the same as EVENT_PERMISSIONS and the read scope', () => {
    for (const type of RECTIFICATION_EVENT_TYPES) {
      for (const name of ROLE_NAMES) {
        const outcome = EXPECTED[type][name];
        // a cell is hidden exactly when the problem lies outside the caller's scope
        const visible = visibleTo(name, EXPECTED[type].stage);
        expect({ type, name, hidden: outcome === 'hidden' }).toEqual({ type, name, hidden: !visible });
        // a visible cell is forbidden exactly when the role may never send the event
        if (visible) {
          const permitted = rolesFor(type).includes(ROLE_OF[name]);
          expect({ type, name, forbidden: outcome === 'forbidden' }).toEqual({ type, name, forbidden: !permitted });
        }
      }
    }
  });

  describe.each(RECTIFICATION_EVENT_TYPES.map((type) => [type, EXPECTED[type]] as const))('%s', (type, row) => {
    it.each(ROLE_NAMES.map((name) => [name, row[name]] as const))(`sent by %s in ${row.stage}: %s`, async (name, outcome) => {
      // given a problem, assigned to facilities where that applies, in a state that accepts the event
      const { id, version } = await steps.inStage(row.stage);
      const before = await steps.footprint(id);

      // when
      const response = await steps.send(name, id, { ...eventBody(t, type), expectedVersion: version });

      // then
      if (outcome === 'ok') {
        expect({ status: response.status, body: response.body }).toMatchObject({ status: 200, body: { version: version + 1 } });
        expect((await steps.footprint(id)).historyLength).toBe(before.historyLength + 1);
        return;
      }
      if (outcome === 'hidden') {
        expectApiError(response, 404, 'PROBLEM.NOT_FOUND');
      } else {
        expectApiError(response, 403, 'AUTH.FORBIDDEN');
        expect(response.body.details).toEqual({ role: ROLE_OF[name], event: type, allowedRoles: rolesFor(type) });
      }
      expect(await steps.footprint(id)).toEqual(before);
    });
  });

  describe('the own-department rule', () => {
    const RECTIFYING_EVENTS = [
      ['START', 'assigned'],
      ['REPORT_PROGRESS', 'rectifying.inProgress'],
      ['SUBMIT', 'rectifying.inProgress'],
    ] as const;

    it('answers production with 404 for START, REPORT_PROGRESS and SUBMIT on a problem only ever assigned to facilities', async () => {
      for (const [type, stage] of RECTIFYING_EVENTS) {
        // given
        const { id } = await steps.inStage(stage);
        const before = await steps.footprint(id);

        // when
        const response = await steps.send('production', id, eventBody(t, type));
        const read = await steps.get('production', id);
        const history = await steps.history('production', id);

        // then the problem is outside production's scope, so it does not exist for them
        expectApiError(response, 404, 'PROBLEM.NOT_FOUND');
        expectApiError(read, 404, 'PROBLEM.NOT_FOUND');
        expectApiError(history, 404, 'PROBLEM.NOT_FOUND');
        expect(await steps.footprint(id)).toEqual(before);
      }
    });

    it('refuses START, REPORT_PROGRESS and SUBMIT with 403 AUTH.NOT_YOUR_DEPARTMENT from production on a problem handed over from production to facilities', async () => {
      for (const [type, stage] of RECTIFYING_EVENTS) {
        // given a problem production once had, now facilities' responsibility
        const { id } = await steps.inStage(stage, {}, { handedOverFromProduction: true });
        const before = await steps.footprint(id);

        // when
        const read = await steps.get('production', id);
        const response = await steps.send('production', id, eventBody(t, type));

        // then production still sees it, may send nothing, and is refused for not being responsible
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ departmentId: t.org.departments.facilities, stateDetail: stage, allowedEvents: [] });
        expectApiError(response, 403, 'AUTH.NOT_YOUR_DEPARTMENT');
        expect(await steps.footprint(id)).toEqual(before);
      }
    });

    it('answers a department user acting on a problem not yet assigned to anyone with 404', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const response = await steps.send('facilities', id, eventBody(t, 'START'));

      // then
      expectApiError(response, 404, 'PROBLEM.NOT_FOUND');
      expect(await steps.footprint(id)).toMatchObject({ version: 1, historyLength: 1 });
    });

    it('hands the problem over on REASSIGN: the new department may act, the old one no longer', async () => {
      // given a problem in rectification at facilities, reassigned to production
      const { id, version } = await steps.inStage('rectifying.inProgress');
      const reassigned = await steps.send('inspector', id, { ...eventBody(t, 'REASSIGN'), expectedVersion: version });
      expect(reassigned.body).toMatchObject({ state: 'assigned', departmentId: t.org.departments.production });

      // when
      const byFacilities = await steps.send('facilities', id, eventBody(t, 'START'));
      const byProduction = await steps.send('production', id, eventBody(t, 'START'));

      // then facilities, which had it, still sees it but may no longer act on it
      expectApiError(byFacilities, 403, 'AUTH.NOT_YOUR_DEPARTMENT');
      expect(byProduction.status).toBe(200);
      expect(byProduction.body).toMatchObject({ stateDetail: 'rectifying.inProgress', version: version + 2 });
    });
  });

  describe('role rules for department users who can see a found problem', () => {
    it('refuses ASSIGN and CANCEL with 403 AUTH.FORBIDDEN, even on a problem filed from their own department', async () => {
      // given a supervisor in facilities files a problem, so facilities sees it while it is still found
      const supervisor = await t
        .http()
        .post('/admin/users')
        .auth(t.tokens.admin, { type: 'bearer' })
        .send({ name: 'Facilities supervisor', role: 'supervisor', departmentId: t.org.departments.facilities });
      expect(supervisor.status).toBe(201);
      const filed = await t.http().post('/problems').auth(supervisor.body.token.token, { type: 'bearer' }).send(aFiling({ inspectionRef: 'INSP-FACILITIES' }));
      expect(filed.status).toBe(201);
      const id = filed.body.id as string;
      const shown = await steps.get('facilities', id);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ stateDetail: 'found', allowedEvents: [] });
      const before = await steps.footprint(id);

      for (const type of ['ASSIGN', 'CANCEL'] as const) {
        // when
        const response = await steps.send('facilities', id, { ...eventBody(t, type), expectedVersion: before.version });

        // then
        expectApiError(response, 403, 'AUTH.FORBIDDEN');
        expect(response.body.details).toEqual({ role: 'department', event: type, allowedRoles: rolesFor(type) });
      }
      expect(await steps.footprint(id)).toEqual(before);
    });
  });

  describe('filing', () => {
    it.each(['facilities', 'production'] as const)('refuses a filing by the department user %s with 403', async (name) => {
      // given
      const before = await steps.problemCount();

      // when
      const response = await steps.file(name);

      // then
      expectApiError(response, 403, 'AUTH.FORBIDDEN');
      expect(await steps.problemCount()).toBe(before);
    });

    it.each(['admin', 'inspector', 'supervisor'] as const)('accepts a filing by %s', async (name) => {
      // when
      const response = await steps.file(name);

      // then
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ state: 'found', version: 1 });
    });
  });

  describe('allowedEvents', () => {
    /**
     * For each stage and caller: allowedEvents in GET /problems/:id must be exactly the events that caller
     * can send successfully. Every event type is tried; a refused one leaves the problem as it was, so the
     * next is tried on the same problem, and an accepted one uses up the problem, so a fresh one is made.
     */
    it.each(ALL_STAGES)('in %s, equals what each caller can actually send', async (stage) => {
      for (const name of ROLE_NAMES) {
        // given
        let problem = await steps.inStage(stage);
        const shown = await steps.get(name, problem.id);

        if (!visibleTo(name, stage)) {
          // then a caller who cannot see the problem gets 404 for it and for every event
          expectApiError(shown, 404, 'PROBLEM.NOT_FOUND');
          for (const type of RECTIFICATION_EVENT_TYPES) {
            const response = await steps.send(name, problem.id, { ...eventBody(t, type), expectedVersion: problem.version });
            expect({ stage, name, type, status: response.status, code: response.body.code }).toEqual({
              stage,
              name,
              type,
              status: 404,
              code: 'PROBLEM.NOT_FOUND',
            });
          }
          continue;
        }
        expect(shown.status).toBe(200);

        // when every event type is tried by this caller
        const accepted: string[] = [];
        for (const type of RECTIFICATION_EVENT_TYPES) {
          const response = await steps.send(name, problem.id, { ...eventBody(t, type), expectedVersion: problem.version });
          if (response.status === 200) {
            accepted.push(type);
            problem = await steps.inStage(stage);
          } else if (type === 'RECOUNT_DEADLINE' && response.status === 422 && response.body.code === 'PROBLEM.DEADLINE_NOT_FROM_POLICY') {
            // state and caller would admit it, but this problem's deadline was given explicitly, so it is not
            // offered in allowedEvents either, and nothing changed
          } else {
            // refused for who is asking (403) or for the state the problem is in (409), never for anything else
            expect({ name, type, refused: [403, 409].includes(response.status) }).toEqual({ name, type, refused: true });
          }
        }

        // then
        expect({ stage, name, allowedEvents: [...shown.body.allowedEvents].sort() }).toEqual({ stage, name, allowedEvents: accepted.sort() });
      }
    });

    it('is what the table predicts for each caller in rectifying.awaitingVerification', async () => {
      // given
      const { id } = await steps.inStage('rectifying.awaitingVerification');

      // when
      const seen = Object.fromEntries(
        await Promise.all(
          ROLE_NAMES.map(async (name) => {
            const response = await steps.get(name, id);
            return [name, response.status === 200 ? response.body.allowedEvents : response.status] as const;
          }),
        ),
      );

      // then
      expect(seen).toEqual({
        admin: ['REASSIGN', 'CANCEL'],
        inspector: ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
        supervisor: ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
        facilities: [],
        production: 404,
      });
    });
  });
});
