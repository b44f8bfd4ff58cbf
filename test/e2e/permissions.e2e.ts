import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Role } from '../../libs/domain/src/index.js';
import {
  EVENT_PERMISSIONS,
  RECTIFICATION_EVENT_TYPES,
  type RectificationEventType,
} from '../../workflows/rectification/index.js';
import {
  eventBody,
  expectApiError,
  type ProblemStage,
  ProblemSteps,
  ROLE_NAMES,
  type RoleName,
} from '../support/problem-steps.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * ok        the event is accepted (200)
 * forbidden 403 AUTH.FORBIDDEN: the role may never send it
 * not-yours 403 AUTH.NOT_YOUR_DEPARTMENT: a department user, but the problem belongs to another department
 *
 * Every problem below is assigned to facilities, so `facilities` is the responsible department and
 * `production` is a department user from elsewhere.
 */
type Outcome = 'ok' | 'forbidden' | 'not-yours';

// prettier-ignore
const EXPECTED: Record<RectificationEventType, { stage: ProblemStage } & Record<RoleName, Outcome>> = {
  //                                                  admin         inspector     supervisor    facilities    production
  ASSIGN:          { stage: 'found',                           admin: 'ok',        inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
  REASSIGN:        { stage: 'assigned',                        admin: 'ok',        inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
  START:           { stage: 'assigned',                        admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'not-yours' },
  REPORT_PROGRESS: { stage: 'rectifying.inProgress',           admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'not-yours' },
  SUBMIT:          { stage: 'rectifying.inProgress',           admin: 'forbidden', inspector: 'forbidden', supervisor: 'forbidden', facilities: 'ok',        production: 'not-yours' },
  APPROVE:         { stage: 'rectifying.awaitingVerification', admin: 'forbidden', inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
  REJECT:          { stage: 'rectifying.awaitingVerification', admin: 'forbidden', inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
  CLOSE:           { stage: 'verified',                        admin: 'forbidden', inspector: 'forbidden', supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
  CANCEL:          { stage: 'assigned',                        admin: 'ok',        inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
  REOPEN:          { stage: 'closed',                          admin: 'forbidden', inspector: 'ok',        supervisor: 'ok',        facilities: 'forbidden', production: 'forbidden' },
};

const ROLE_OF: Record<RoleName, Role> = {
  admin: 'admin',
  inspector: 'inspector',
  supervisor: 'supervisor',
  facilities: 'department',
  production: 'department',
};

const ALL_STAGES: ProblemStage[] = [
  'found',
  'assigned',
  'rectifying.inProgress',
  'rectifying.awaitingVerification',
  'verified',
  'closed',
  'cancelled',
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

  it('the table above says the same as EVENT_PERMISSIONS', () => {
    // a role may send an event exactly when some cell of its row says it may, for its own department
    for (const type of RECTIFICATION_EVENT_TYPES) {
      for (const name of ROLE_NAMES) {
        const permitted = EVENT_PERMISSIONS[type].includes(ROLE_OF[name]);
        expect({ type, name, forbidden: EXPECTED[type][name] === 'forbidden' }).toEqual({ type, name, forbidden: !permitted });
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
      expectApiError(response, 403, outcome === 'forbidden' ? 'AUTH.FORBIDDEN' : 'AUTH.NOT_YOUR_DEPARTMENT');
      if (outcome === 'forbidden') {
        expect(response.body.details).toEqual({ role: ROLE_OF[name], event: type, allowedRoles: [...EVENT_PERMISSIONS[type]] });
      }
      expect(await steps.footprint(id)).toEqual(before);
    });
  });

  describe('the own-department rule', () => {
    it('refuses START, REPORT_PROGRESS and SUBMIT from production on a problem assigned to facilities', async () => {
      for (const [type, stage] of [
        ['START', 'assigned'],
        ['REPORT_PROGRESS', 'rectifying.inProgress'],
        ['SUBMIT', 'rectifying.inProgress'],
      ] as const) {
        // given
        const { id } = await steps.inStage(stage);
        const before = await steps.footprint(id);

        // when
        const response = await steps.send('production', id, eventBody(t, type));

        // then
        expectApiError(response, 403, 'AUTH.NOT_YOUR_DEPARTMENT');
        expect(await steps.footprint(id)).toEqual(before);
      }
    });

    it('refuses a department user acting on a problem not yet assigned to anyone', async () => {
      // given
      const { id } = await steps.inStage('found');

      // when
      const response = await steps.send('facilities', id, eventBody(t, 'START'));

      // then
      expectApiError(response, 403, 'AUTH.NOT_YOUR_DEPARTMENT');
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

      // then
      expectApiError(byFacilities, 403, 'AUTH.NOT_YOUR_DEPARTMENT');
      expect(byProduction.status).toBe(200);
      expect(byProduction.body).toMatchObject({ stateDetail: 'rectifying.inProgress', version: version + 2 });
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
        expect(shown.status).toBe(200);

        // when every event type is tried by this caller
        const accepted: string[] = [];
        for (const type of RECTIFICATION_EVENT_TYPES) {
          const response = await steps.send(name, problem.id, { ...eventBody(t, type), expectedVersion: problem.version });
          if (response.status === 200) {
            accepted.push(type);
            problem = await steps.inStage(stage);
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
        await Promise.all(ROLE_NAMES.map(async (name) => [name, (await steps.get(name, id)).body.allowedEvents] as const)),
      );

      // then
      expect(seen).toEqual({
        admin: ['REASSIGN', 'CANCEL'],
        inspector: ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
        supervisor: ['REASSIGN', 'APPROVE', 'REJECT', 'CANCEL'],
        facilities: [],
        production: [],
      });
    });
  });
});
