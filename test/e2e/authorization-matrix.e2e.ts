import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { type ErrorCode, newId, type Role } from '#domain';
import { OutboxRelay } from '#events';
import { Database } from '#persistence';
import { IdentityService } from '#identity';
import { POLICY_PRESETS, type RectificationEventType } from '#rectification';
import {
  type DepartmentKey,
  MatrixClient,
  type MatrixOrganisation,
  type MatrixStage,
  matrixEvent,
  seedMatrixOrganisation,
  type UserKey,
} from '../support/matrix-organisation.js';
import { StreamClient } from '../support/event-stream.js';
import { expectApiError, uploadEvidence } from '../support/problem-steps.js';
import { aFiling, createTestApp, type TestApp } from '../support/test-app.js';

/*
 * The authorization matrix: every endpoint × role × relation, with its documented outcome.
 *
 * Organisation (test/support/matrix-organisation.ts): leadership L → office A → unit A1 → sub-unit A1a,
 * office A → unit A2, L → office B → unit B1.
 *
 * Roles — who calls:
 *   admin       the administrator (no department)
 *   inspector   inspector A, in office A
 *   supervisor  supervisor A, heading office A (supervises A, A1, A1a, A2)
 *   department  the department user of unit A1
 *
 * Relations — how the problem relates to the caller (see SUBJECTS for the exact problem of each cell):
 *   own                 assigned to the caller's own department (for the inspector: filed by them, assigned to office A)
 *   subordinate         assigned to a department below the caller's (A1a; for the inspector A1)
 *   other               assigned to a department outside the caller's subtree (B1)
 *   none                not assigned to anyone yet (found), filed by inspector B of office B
 *   same inspection     (inspector) filed by inspector B under an inspection of inspector A's with B on its team
 *   other, filed by us  (supervisor) assigned to B1 but filed by inspector A, a member of office A
 *   none, filed by us   (supervisor) unassigned, filed by inspector A, a member of office A
 *   —                   the endpoint is about no problem
 * Problems that are not the caller's own are filed by inspector B, under inspections inspector A is not on the team of,
 * so neither the filer rule nor the inspection rule makes them visible by accident. The admin has no
 * department, so for them every assigned problem is `other`.
 *
 * Outcomes: an HTTP status and, for errors, the code. GET /problems and GET /problems/counts answer 200 either
 * way; their last column says whether the list includes the problem (following every page) and whether the counts
 * (filtered by the problem's unique title) count it. Out of scope is always 404 PROBLEM.NOT_FOUND, never 403.
 *
 * POST /problems/:id/events sends the role's representative event (EVENTS), on a fresh problem first driven
 * to a state that accepts it; "(never its)" sends an event the role may never send:
 *                its event                                                never its event
 *   admin        CANCEL                                                   APPROVE (awaitingVerification); START if unassigned
 *   inspector    APPROVE (awaitingVerification); ASSIGN if unassigned     START (assigned; found if unassigned)
 *   supervisor   APPROVE (awaitingVerification); ASSIGN if unassigned     START (assigned; found if unassigned)
 *   department   REPORT_PROGRESS (inProgress); START if unassigned        APPROVE (awaitingVerification); ASSIGN if unassigned
 * Permission is checked before the state (404 → 403 → 409), so a refused event on a `found` problem is still a 403.
 */

const ROLES = ['admin', 'inspector', 'supervisor', 'department'] as const satisfies readonly Role[];
type MatrixRole = (typeof ROLES)[number];

const PROBLEM_ENDPOINTS = [
  'GET /problems/:id',
  'GET /problems/:id/history',
  'GET /problems/:id/history/verify',
  'GET /problems/:id/deadline',
  'GET /problems/:id/sheets',
  'GET /sheets/:number',
  'GET /sheets/:number/verify',
  'POST /sheets/:number/verify',
  'POST /sheets/:number/response',
  'GET /sheets',
  'GET /problems/:id/evidence',
  'GET /problems/:id/evidence/:evidenceId/content',
  'POST /problems/:id/evidence',
  'GET /problems',
  'GET /problems/counts',
  'GET /ledger',
  'GET /ledger/summary',
  'GET /ledger/ranking',
  'GET /ledger/dashboard',
  'POST /problems/:id/events (its event)',
  'POST /problems/:id/events (never its)',
] as const;
const OTHER_ENDPOINTS = [
  'POST /problems',
  'POST /inspections/:ref/problems/import',
  'POST /inspections',
  'GET /inspections',
  'GET /inspections/:inspection',
  'PATCH /inspections/:inspection',
  'POST /inspections/:inspection/members',
  'DELETE /inspections/:inspection/members/:userId',
  'GET /me',
  'GET /departments',
  'GET /deadline-policy',
  'GET /deadline-policy/versions',
  'GET /me/notices',
  'POST /me/notices/:id/acknowledge',
  'GET /me/notification-settings',
  'PUT /me/notification-settings',
  'GET /health',
  'GET /health/ready',
  'GET /events/stream',
  'POST /auth/sign-in',
  'POST /auth/invitation',
  'GET /auth/session',
  'POST /auth/password',
  'POST /auth/sign-out',
] as const;
const ADMIN_ENDPOINTS = [
  'GET /admin/departments',
  'POST /admin/departments',
  'GET /admin/departments/:id',
  'PATCH /admin/departments/:id',
  'POST /admin/departments/:id/deactivate',
  'GET /admin/users',
  'POST /admin/users',
  'GET /admin/users/:id',
  'POST /admin/users/:id/deactivate',
  'POST /admin/users/:id/reactivate',
  'POST /admin/users/:id/password',
  'POST /admin/users/:id/invitation',
  'GET /admin/users/:id/tokens',
  'POST /admin/users/:id/tokens',
  'POST /admin/tokens/:id/revoke',
  'GET /admin/audit',
  'POST /admin/webhooks',
  'GET /admin/webhooks',
  'GET /admin/webhooks/:id',
  'POST /admin/webhooks/:id/disable',
  'POST /admin/webhooks/:id/enable',
  'GET /admin/webhooks/:id/deliveries',
  'GET /admin/webhook-deliveries/:id',
  'POST /admin/webhook-deliveries/:id/redeliver',
  'GET /admin/calendar',
  'GET /admin/calendar/days',
  'POST /admin/calendar/closures',
  'DELETE /admin/calendar/closures/:date',
  'POST /admin/calendar/import',
  'POST /admin/calendar/refresh-national',
  'GET /admin/deadline-policy/presets',
  'POST /admin/deadline-policy',
  'GET /admin/evidence/verify',
  'POST /admin/notification-channels',
  'GET /admin/notification-channels',
  'PATCH /admin/notification-channels/:id',
  'POST /admin/notification-channels/:id/test',
  'GET /admin/notifications/routing',
  'PUT /admin/notifications/routing',
  'GET /admin/notifications',
  'GET /admin/notifications/:id',
  'POST /admin/notifications/:id/redeliver',
  'PUT /admin/users/:id/notification-settings',
] as const;
const ENDPOINTS = [...PROBLEM_ENDPOINTS, ...OTHER_ENDPOINTS, ...ADMIN_ENDPOINTS] as const;
type ProblemEndpoint = (typeof PROBLEM_ENDPOINTS)[number];
type Endpoint = (typeof ENDPOINTS)[number];

type Relation = 'own' | 'subordinate' | 'other' | 'none' | 'same inspection' | 'other, filed by us' | 'none, filed by us' | '—';

const RELATIONS_OF: Record<MatrixRole, readonly Relation[]> = {
  admin: ['other', 'none'],
  inspector: ['own', 'subordinate', 'other', 'none', 'same inspection'],
  supervisor: ['own', 'subordinate', 'other', 'none', 'other, filed by us', 'none, filed by us'],
  department: ['own', 'subordinate', 'other', 'none'],
};

function isProblemEndpoint(endpoint: Endpoint): endpoint is ProblemEndpoint {
  return (PROBLEM_ENDPOINTS as readonly string[]).includes(endpoint);
}

function relationsFor(endpoint: Endpoint, role: MatrixRole): readonly Relation[] {
  return isProblemEndpoint(endpoint) ? RELATIONS_OF[role] : ['—'];
}

/** The problem behind each (role, relation). `mine`: a fresh inspection of inspector A; `theirs`: of inspector B. */
interface Subject {
  filedBy: 'inspectorA' | 'inspectorB';
  inspection: 'mine' | 'theirs' | 'shared';
  assignedTo: DepartmentKey | null;
}

// prettier-ignore
const SUBJECTS: Record<MatrixRole, Partial<Record<Relation, Subject>>> = {
  admin: {
    'other':              { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'unitB1'     },
    'none':               { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: null         },
  },
  inspector: {
    'own':                { filedBy: 'inspectorA', inspection: 'mine',   assignedTo: 'officeA'    },
    'subordinate':        { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'unitA1'     },
    'other':              { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'unitB1'     },
    'none':               { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: null         },
    'same inspection':    { filedBy: 'inspectorB', inspection: 'shared', assignedTo: 'unitB1'     },
  },
  supervisor: {
    'own':                { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'officeA'    },
    'subordinate':        { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'subUnitA1a' },
    'other':              { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'unitB1'     },
    'none':               { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: null         },
    'other, filed by us': { filedBy: 'inspectorA', inspection: 'mine',   assignedTo: 'unitB1'     },
    'none, filed by us':  { filedBy: 'inspectorA', inspection: 'mine',   assignedTo: null         },
  },
  department: {
    'own':                { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'unitA1'     },
    'subordinate':        { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'subUnitA1a' },
    'other':              { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: 'unitB1'     },
    'none':               { filedBy: 'inspectorB', inspection: 'theirs', assignedTo: null         },
  },
};

interface EventChoice {
  /** On an assigned problem: the event, and the state the problem is driven to so that it accepts it. */
  assigned: { type: RectificationEventType; stage: MatrixStage };
  /** On an unassigned problem (state found). */
  unassigned: RectificationEventType;
}

// prettier-ignore
const EVENTS: Record<MatrixRole, { its: EventChoice; never: EventChoice }> = {
  admin: {
    its:   { assigned: { type: 'CANCEL',          stage: 'rectifying.inProgress' },           unassigned: 'CANCEL' },
    never: { assigned: { type: 'APPROVE',         stage: 'rectifying.awaitingVerification' }, unassigned: 'START'  },
  },
  inspector: {
    its:   { assigned: { type: 'APPROVE',         stage: 'rectifying.awaitingVerification' }, unassigned: 'ASSIGN' },
    never: { assigned: { type: 'START',           stage: 'assigned' },                        unassigned: 'START'  },
  },
  supervisor: {
    its:   { assigned: { type: 'APPROVE',         stage: 'rectifying.awaitingVerification' }, unassigned: 'ASSIGN' },
    never: { assigned: { type: 'START',           stage: 'assigned' },                        unassigned: 'START'  },
  },
  department: {
    its:   { assigned: { type: 'REPORT_PROGRESS', stage: 'rectifying.inProgress' },           unassigned: 'START'  },
    never: { assigned: { type: 'APPROVE',         stage: 'rectifying.awaitingVerification' }, unassigned: 'ASSIGN' },
  },
};

type Expectation = ErrorCode | 'listed' | 'not listed' | 'counted' | 'not counted';
type Row = readonly [endpoint: Endpoint, role: MatrixRole, relation: Relation, status: number, expected?: Expectation];

const NOT_FOUND = 'PROBLEM.NOT_FOUND';
/** A sheet outside the caller's scope: as one that does not exist, like its problem. */
const SHEET_NOT_FOUND = 'SHEET.NOT_FOUND';
const SHEET_ENDPOINTS: readonly Endpoint[] = ['GET /sheets/:number', 'GET /sheets/:number/verify', 'POST /sheets/:number/verify', 'POST /sheets/:number/response'];
const FORBIDDEN = 'AUTH.FORBIDDEN';
const NOT_YOUR_PROBLEM = 'AUTH.NOT_YOUR_PROBLEM';
const INSPECTION_NOT_FOUND = 'INSPECTION.NOT_FOUND';

// prettier-ignore
const MATRIX: readonly Row[] = [
  // endpoint                                  role          relation              status  code / listed?
  ['GET /problems/:id',                        'admin',      'other',              200],
  ['GET /problems/:id',                        'admin',      'none',               200],
  ['GET /problems/:id',                        'inspector',  'own',                200],
  ['GET /problems/:id',                        'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id',                        'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id',                        'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id',                        'inspector',  'same inspection',    200],
  ['GET /problems/:id',                        'supervisor', 'own',                200],
  ['GET /problems/:id',                        'supervisor', 'subordinate',        200],
  ['GET /problems/:id',                        'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id',                        'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id',                        'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id',                        'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id',                        'department', 'own',                200],
  ['GET /problems/:id',                        'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id',                        'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id',                        'department', 'none',               404,    NOT_FOUND],

  ['GET /problems/:id/history',                'admin',      'other',              200],
  ['GET /problems/:id/history',                'admin',      'none',               200],
  ['GET /problems/:id/history',                'inspector',  'own',                200],
  ['GET /problems/:id/history',                'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/history',                'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id/history',                'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id/history',                'inspector',  'same inspection',    200],
  ['GET /problems/:id/history',                'supervisor', 'own',                200],
  ['GET /problems/:id/history',                'supervisor', 'subordinate',        200],
  ['GET /problems/:id/history',                'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/history',                'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/history',                'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id/history',                'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id/history',                'department', 'own',                200],
  ['GET /problems/:id/history',                'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/history',                'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/history',                'department', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'admin',      'other',              200],
  ['GET /problems/:id/history/verify',         'admin',      'none',               200],
  ['GET /problems/:id/history/verify',         'inspector',  'own',                200],
  ['GET /problems/:id/history/verify',         'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'inspector',  'same inspection',    200],
  ['GET /problems/:id/history/verify',         'supervisor', 'own',                200],
  ['GET /problems/:id/history/verify',         'supervisor', 'subordinate',        200],
  ['GET /problems/:id/history/verify',         'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id/history/verify',         'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id/history/verify',         'department', 'own',                200],
  ['GET /problems/:id/history/verify',         'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/history/verify',         'department', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'admin',      'other',              200],
  ['GET /problems/:id/sheets',                  'admin',      'none',               200],
  ['GET /problems/:id/sheets',                  'inspector',  'own',                200],
  ['GET /problems/:id/sheets',                  'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'inspector',  'same inspection',    200],
  ['GET /problems/:id/sheets',                  'supervisor', 'own',                200],
  ['GET /problems/:id/sheets',                  'supervisor', 'subordinate',        200],
  ['GET /problems/:id/sheets',                  'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id/sheets',                  'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id/sheets',                  'department', 'own',                200],
  ['GET /problems/:id/sheets',                  'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/sheets',                  'department', 'none',               404,    NOT_FOUND],
  ['GET /sheets/:number',                       'admin',      'other',              200],
  ['GET /sheets/:number',                       'admin',      'none',               200],
  ['GET /sheets/:number',                       'inspector',  'own',                200],
  ['GET /sheets/:number',                       'inspector',  'subordinate',        404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'inspector',  'other',              404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'inspector',  'none',               404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'inspector',  'same inspection',    200],
  ['GET /sheets/:number',                       'supervisor', 'own',                200],
  ['GET /sheets/:number',                       'supervisor', 'subordinate',        200],
  ['GET /sheets/:number',                       'supervisor', 'other',              404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'supervisor', 'none',               404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'supervisor', 'other, filed by us', 200],
  ['GET /sheets/:number',                       'supervisor', 'none, filed by us',  200],
  ['GET /sheets/:number',                       'department', 'own',                200],
  ['GET /sheets/:number',                       'department', 'subordinate',        404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'department', 'other',              404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number',                       'department', 'none',               404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'admin',      'other',              200],
  ['GET /sheets/:number/verify',                'admin',      'none',               200],
  ['GET /sheets/:number/verify',                'inspector',  'own',                200],
  ['GET /sheets/:number/verify',                'inspector',  'subordinate',        404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'inspector',  'other',              404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'inspector',  'none',               404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'inspector',  'same inspection',    200],
  ['GET /sheets/:number/verify',                'supervisor', 'own',                200],
  ['GET /sheets/:number/verify',                'supervisor', 'subordinate',        200],
  ['GET /sheets/:number/verify',                'supervisor', 'other',              404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'supervisor', 'none',               404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'supervisor', 'other, filed by us', 200],
  ['GET /sheets/:number/verify',                'supervisor', 'none, filed by us',  200],
  ['GET /sheets/:number/verify',                'department', 'own',                200],
  ['GET /sheets/:number/verify',                'department', 'subordinate',        404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'department', 'other',              404,    SHEET_NOT_FOUND],
  ['GET /sheets/:number/verify',                'department', 'none',               404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'admin',      'other',              200],
  ['POST /sheets/:number/verify',               'admin',      'none',               200],
  ['POST /sheets/:number/verify',               'inspector',  'own',                200],
  ['POST /sheets/:number/verify',               'inspector',  'subordinate',        404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'inspector',  'other',              404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'inspector',  'none',               404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'inspector',  'same inspection',    200],
  ['POST /sheets/:number/verify',               'supervisor', 'own',                200],
  ['POST /sheets/:number/verify',               'supervisor', 'subordinate',        200],
  ['POST /sheets/:number/verify',               'supervisor', 'other',              404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'supervisor', 'none',               404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'supervisor', 'other, filed by us', 200],
  ['POST /sheets/:number/verify',               'supervisor', 'none, filed by us',  200],
  ['POST /sheets/:number/verify',               'department', 'own',                200],
  ['POST /sheets/:number/verify',               'department', 'subordinate',        404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'department', 'other',              404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/verify',               'department', 'none',               404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'admin',      'other',              403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'admin',      'none',               403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'inspector',  'own',                403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'inspector',  'subordinate',        404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'inspector',  'other',              404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'inspector',  'none',               404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'inspector',  'same inspection',    403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'supervisor', 'own',                403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'supervisor', 'subordinate',        403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'supervisor', 'other',              404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'supervisor', 'none',               404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'supervisor', 'other, filed by us', 403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'supervisor', 'none, filed by us',  403,    'AUTH.NOT_YOUR_DEPARTMENT'],
  ['POST /sheets/:number/response',             'department', 'own',                409,    'SHEET.NO_RESPONSE_ASKED'],
  ['POST /sheets/:number/response',             'department', 'subordinate',        404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'department', 'other',              404,    SHEET_NOT_FOUND],
  ['POST /sheets/:number/response',             'department', 'none',               404,    SHEET_NOT_FOUND],
  ['GET /sheets',                              'admin',      'other',              200,    'listed'],
  ['GET /sheets',                              'admin',      'none',               200,    'listed'],
  ['GET /sheets',                              'inspector',  'own',                200,    'listed'],
  ['GET /sheets',                              'inspector',  'subordinate',        200,    'not listed'],
  ['GET /sheets',                              'inspector',  'other',              200,    'not listed'],
  ['GET /sheets',                              'inspector',  'none',               200,    'not listed'],
  ['GET /sheets',                              'inspector',  'same inspection',    200,    'listed'],
  ['GET /sheets',                              'supervisor', 'own',                200,    'listed'],
  ['GET /sheets',                              'supervisor', 'subordinate',        200,    'listed'],
  ['GET /sheets',                              'supervisor', 'other',              200,    'not listed'],
  ['GET /sheets',                              'supervisor', 'none',               200,    'not listed'],
  ['GET /sheets',                              'supervisor', 'other, filed by us', 200,    'listed'],
  ['GET /sheets',                              'supervisor', 'none, filed by us',  200,    'listed'],
  ['GET /sheets',                              'department', 'own',                200,    'listed'],
  ['GET /sheets',                              'department', 'subordinate',        200,    'not listed'],
  ['GET /sheets',                              'department', 'other',              200,    'not listed'],
  ['GET /sheets',                              'department', 'none',               200,    'not listed'],
  ['GET /problems/:id/deadline',               'admin',      'other',              200],
  ['GET /problems/:id/deadline',               'admin',      'none',               200],
  ['GET /problems/:id/deadline',               'inspector',  'own',                200],
  ['GET /problems/:id/deadline',               'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'inspector',  'same inspection',    200],
  ['GET /problems/:id/deadline',               'supervisor', 'own',                200],
  ['GET /problems/:id/deadline',               'supervisor', 'subordinate',        200],
  ['GET /problems/:id/deadline',               'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id/deadline',               'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id/deadline',               'department', 'own',                200],
  ['GET /problems/:id/deadline',               'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/deadline',               'department', 'none',               404,    NOT_FOUND],

  ['GET /problems/:id/evidence',               'admin',      'other',              200],
  ['GET /problems/:id/evidence',               'admin',      'none',               200],
  ['GET /problems/:id/evidence',               'inspector',  'own',                200],
  ['GET /problems/:id/evidence',               'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'inspector',  'same inspection',    200],
  ['GET /problems/:id/evidence',               'supervisor', 'own',                200],
  ['GET /problems/:id/evidence',               'supervisor', 'subordinate',        200],
  ['GET /problems/:id/evidence',               'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id/evidence',               'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id/evidence',               'department', 'own',                200],
  ['GET /problems/:id/evidence',               'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/evidence',               'department', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'admin',      'other',              200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'admin',      'none',               200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'inspector',  'own',                200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'inspector',  'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'inspector',  'other',              404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'inspector',  'none',               404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'inspector',  'same inspection',    200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'supervisor', 'own',                200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'supervisor', 'subordinate',        200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'supervisor', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'supervisor', 'none',               404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'supervisor', 'other, filed by us', 200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'supervisor', 'none, filed by us',  200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'department', 'own',                200],
  ['GET /problems/:id/evidence/:evidenceId/content', 'department', 'subordinate',        404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'department', 'other',              404,    NOT_FOUND],
  ['GET /problems/:id/evidence/:evidenceId/content', 'department', 'none',               404,    NOT_FOUND],
  // Uploading evidence (finding for the inspecting side and admins, rectification for the department): the same
  // relations as sending one's own event; out of scope is 404, in scope without the relation 403.
  ['POST /problems/:id/evidence',              'admin',      'other',              201],
  ['POST /problems/:id/evidence',              'admin',      'none',               201],
  ['POST /problems/:id/evidence',              'inspector',  'own',                201],
  ['POST /problems/:id/evidence',              'inspector',  'subordinate',        404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'inspector',  'other',              404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'inspector',  'none',               404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'inspector',  'same inspection',    403,    NOT_YOUR_PROBLEM],
  ['POST /problems/:id/evidence',              'supervisor', 'own',                201],
  ['POST /problems/:id/evidence',              'supervisor', 'subordinate',        201],
  ['POST /problems/:id/evidence',              'supervisor', 'other',              404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'supervisor', 'none',               404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'supervisor', 'other, filed by us', 403,    NOT_YOUR_PROBLEM],
  ['POST /problems/:id/evidence',              'supervisor', 'none, filed by us',  201],
  ['POST /problems/:id/evidence',              'department', 'own',                201],
  ['POST /problems/:id/evidence',              'department', 'subordinate',        404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'department', 'other',              404,    NOT_FOUND],
  ['POST /problems/:id/evidence',              'department', 'none',               404,    NOT_FOUND],

  ['GET /problems',                            'admin',      'other',              200,    'listed'],
  ['GET /problems',                            'admin',      'none',               200,    'listed'],
  ['GET /problems',                            'inspector',  'own',                200,    'listed'],
  ['GET /problems',                            'inspector',  'subordinate',        200,    'not listed'],
  ['GET /problems',                            'inspector',  'other',              200,    'not listed'],
  ['GET /problems',                            'inspector',  'none',               200,    'not listed'],
  ['GET /problems',                            'inspector',  'same inspection',    200,    'listed'],
  ['GET /problems',                            'supervisor', 'own',                200,    'listed'],
  ['GET /problems',                            'supervisor', 'subordinate',        200,    'listed'],
  ['GET /problems',                            'supervisor', 'other',              200,    'not listed'],
  ['GET /problems',                            'supervisor', 'none',               200,    'not listed'],
  ['GET /problems',                            'supervisor', 'other, filed by us', 200,    'listed'],
  ['GET /problems',                            'supervisor', 'none, filed by us',  200,    'listed'],
  ['GET /problems',                            'department', 'own',                200,    'listed'],
  ['GET /problems',                            'department', 'subordinate',        200,    'not listed'],
  ['GET /problems',                            'department', 'other',              200,    'not listed'],
  ['GET /problems',                            'department', 'none',               200,    'not listed'],

  ['GET /problems/counts',                     'admin',      'other',              200,    'counted'],
  ['GET /problems/counts',                     'admin',      'none',               200,    'counted'],
  ['GET /problems/counts',                     'inspector',  'own',                200,    'counted'],
  ['GET /problems/counts',                     'inspector',  'subordinate',        200,    'not counted'],
  ['GET /problems/counts',                     'inspector',  'other',              200,    'not counted'],
  ['GET /problems/counts',                     'inspector',  'none',               200,    'not counted'],
  ['GET /problems/counts',                     'inspector',  'same inspection',    200,    'counted'],
  ['GET /problems/counts',                     'supervisor', 'own',                200,    'counted'],
  ['GET /problems/counts',                     'supervisor', 'subordinate',        200,    'counted'],
  ['GET /problems/counts',                     'supervisor', 'other',              200,    'not counted'],
  ['GET /problems/counts',                     'supervisor', 'none',               200,    'not counted'],
  ['GET /problems/counts',                     'supervisor', 'other, filed by us', 200,    'counted'],
  ['GET /problems/counts',                     'supervisor', 'none, filed by us',  200,    'counted'],
  ['GET /problems/counts',                     'department', 'own',                200,    'counted'],
  ['GET /problems/counts',                     'department', 'subordinate',        200,    'not counted'],
  ['GET /problems/counts',                     'department', 'other',              200,    'not counted'],
  ['GET /problems/counts',                     'department', 'none',               200,    'not counted'],

  ['GET /ledger',                               'admin',      'other',              200,    'listed'],
  ['GET /ledger',                               'admin',      'none',               200,    'listed'],
  ['GET /ledger',                               'inspector',  'own',                200,    'listed'],
  ['GET /ledger',                               'inspector',  'subordinate',        200,    'not listed'],
  ['GET /ledger',                               'inspector',  'other',              200,    'not listed'],
  ['GET /ledger',                               'inspector',  'none',               200,    'not listed'],
  ['GET /ledger',                               'inspector',  'same inspection',    200,    'listed'],
  ['GET /ledger',                               'supervisor', 'own',                200,    'listed'],
  ['GET /ledger',                               'supervisor', 'subordinate',        200,    'listed'],
  ['GET /ledger',                               'supervisor', 'other',              200,    'not listed'],
  ['GET /ledger',                               'supervisor', 'none',               200,    'not listed'],
  ['GET /ledger',                               'supervisor', 'other, filed by us', 200,    'listed'],
  ['GET /ledger',                               'supervisor', 'none, filed by us',  200,    'listed'],
  ['GET /ledger',                               'department', 'own',                200,    'listed'],
  ['GET /ledger',                               'department', 'subordinate',        200,    'not listed'],
  ['GET /ledger',                               'department', 'other',              200,    'not listed'],
  ['GET /ledger',                               'department', 'none',               200,    'not listed'],

  ['GET /ledger/summary',                       'admin',      'other',              200,    'counted'],
  ['GET /ledger/summary',                       'admin',      'none',               200,    'counted'],
  ['GET /ledger/summary',                       'inspector',  'own',                200,    'counted'],
  ['GET /ledger/summary',                       'inspector',  'subordinate',        200,    'not counted'],
  ['GET /ledger/summary',                       'inspector',  'other',              200,    'not counted'],
  ['GET /ledger/summary',                       'inspector',  'none',               200,    'not counted'],
  ['GET /ledger/summary',                       'inspector',  'same inspection',    200,    'counted'],
  ['GET /ledger/summary',                       'supervisor', 'own',                200,    'counted'],
  ['GET /ledger/summary',                       'supervisor', 'subordinate',        200,    'counted'],
  ['GET /ledger/summary',                       'supervisor', 'other',              200,    'not counted'],
  ['GET /ledger/summary',                       'supervisor', 'none',               200,    'not counted'],
  ['GET /ledger/summary',                       'supervisor', 'other, filed by us', 200,    'counted'],
  ['GET /ledger/summary',                       'supervisor', 'none, filed by us',  200,    'counted'],
  ['GET /ledger/summary',                       'department', 'own',                200,    'counted'],
  ['GET /ledger/summary',                       'department', 'subordinate',        200,    'not counted'],
  ['GET /ledger/summary',                       'department', 'other',              200,    'not counted'],
  ['GET /ledger/summary',                       'department', 'none',               200,    'not counted'],

  // The ranking sums departments: a problem not assigned yet is in no department's figures, whoever reads.
  ['GET /ledger/ranking',                       'admin',      'other',              200,    'counted'],
  ['GET /ledger/ranking',                       'admin',      'none',               200,    'not counted'],
  ['GET /ledger/ranking',                       'inspector',  'own',                200,    'counted'],
  ['GET /ledger/ranking',                       'inspector',  'subordinate',        200,    'not counted'],
  ['GET /ledger/ranking',                       'inspector',  'other',              200,    'not counted'],
  ['GET /ledger/ranking',                       'inspector',  'none',               200,    'not counted'],
  ['GET /ledger/ranking',                       'inspector',  'same inspection',    200,    'counted'],
  ['GET /ledger/ranking',                       'supervisor', 'own',                200,    'counted'],
  ['GET /ledger/ranking',                       'supervisor', 'subordinate',        200,    'counted'],
  ['GET /ledger/ranking',                       'supervisor', 'other',              200,    'not counted'],
  ['GET /ledger/ranking',                       'supervisor', 'none',               200,    'not counted'],
  ['GET /ledger/ranking',                       'supervisor', 'other, filed by us', 200,    'counted'],
  ['GET /ledger/ranking',                       'supervisor', 'none, filed by us',  200,    'not counted'],
  ['GET /ledger/ranking',                       'department', 'own',                200,    'counted'],
  ['GET /ledger/ranking',                       'department', 'subordinate',        200,    'not counted'],
  ['GET /ledger/ranking',                       'department', 'other',              200,    'not counted'],
  ['GET /ledger/ranking',                       'department', 'none',               200,    'not counted'],

  // The dashboard counts what the summary counts: found this year in the trend, assigned or not.
  ['GET /ledger/dashboard',                     'admin',      'other',              200,    'counted'],
  ['GET /ledger/dashboard',                     'admin',      'none',               200,    'counted'],
  ['GET /ledger/dashboard',                     'inspector',  'own',                200,    'counted'],
  ['GET /ledger/dashboard',                     'inspector',  'subordinate',        200,    'not counted'],
  ['GET /ledger/dashboard',                     'inspector',  'other',              200,    'not counted'],
  ['GET /ledger/dashboard',                     'inspector',  'none',               200,    'not counted'],
  ['GET /ledger/dashboard',                     'inspector',  'same inspection',    200,    'counted'],
  ['GET /ledger/dashboard',                     'supervisor', 'own',                200,    'counted'],
  ['GET /ledger/dashboard',                     'supervisor', 'subordinate',        200,    'counted'],
  ['GET /ledger/dashboard',                     'supervisor', 'other',              200,    'not counted'],
  ['GET /ledger/dashboard',                     'supervisor', 'none',               200,    'not counted'],
  ['GET /ledger/dashboard',                     'supervisor', 'other, filed by us', 200,    'counted'],
  ['GET /ledger/dashboard',                     'supervisor', 'none, filed by us',  200,    'counted'],
  ['GET /ledger/dashboard',                     'department', 'own',                200,    'counted'],
  ['GET /ledger/dashboard',                     'department', 'subordinate',        200,    'not counted'],
  ['GET /ledger/dashboard',                     'department', 'other',              200,    'not counted'],
  ['GET /ledger/dashboard',                     'department', 'none',               200,    'not counted'],

  ['POST /problems/:id/events (its event)',    'admin',      'other',              200],
  ['POST /problems/:id/events (its event)',    'admin',      'none',               200],
  ['POST /problems/:id/events (its event)',    'inspector',  'own',                200],
  ['POST /problems/:id/events (its event)',    'inspector',  'subordinate',        404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'inspector',  'other',              404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'inspector',  'none',               404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'inspector',  'same inspection',    403,    NOT_YOUR_PROBLEM],
  ['POST /problems/:id/events (its event)',    'supervisor', 'own',                200],
  ['POST /problems/:id/events (its event)',    'supervisor', 'subordinate',        200],
  ['POST /problems/:id/events (its event)',    'supervisor', 'other',              404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'supervisor', 'none',               404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'supervisor', 'other, filed by us', 403,    NOT_YOUR_PROBLEM],
  ['POST /problems/:id/events (its event)',    'supervisor', 'none, filed by us',  200],
  ['POST /problems/:id/events (its event)',    'department', 'own',                200],
  ['POST /problems/:id/events (its event)',    'department', 'subordinate',        404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'department', 'other',              404,    NOT_FOUND],
  ['POST /problems/:id/events (its event)',    'department', 'none',               404,    NOT_FOUND],

  ['POST /problems/:id/events (never its)',    'admin',      'other',              403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'admin',      'none',               403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'inspector',  'own',                403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'inspector',  'subordinate',        404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'inspector',  'other',              404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'inspector',  'none',               404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'inspector',  'same inspection',    403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'supervisor', 'own',                403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'supervisor', 'subordinate',        403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'supervisor', 'other',              404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'supervisor', 'none',               404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'supervisor', 'other, filed by us', 403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'supervisor', 'none, filed by us',  403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'department', 'own',                403,    FORBIDDEN],
  ['POST /problems/:id/events (never its)',    'department', 'subordinate',        404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'department', 'other',              404,    NOT_FOUND],
  ['POST /problems/:id/events (never its)',    'department', 'none',               404,    NOT_FOUND],

  ['POST /problems',                           'admin',      '—',                  201],
  ['POST /problems',                           'inspector',  '—',                  201],
  ['POST /problems',                           'supervisor', '—',                  201],
  ['POST /problems',                           'department', '—',                  403,    FORBIDDEN],
  // Bulk filing: the same roles as filing one problem.
  ['POST /inspections/:ref/problems/import',   'admin',      '—',                  201],
  ['POST /inspections/:ref/problems/import',   'inspector',  '—',                  201],
  ['POST /inspections/:ref/problems/import',   'supervisor', '—',                  201],
  ['POST /inspections/:ref/problems/import',   'department', '—',                  403,    FORBIDDEN],
  // Inspections. GET one: inspector B's inspection of unit A1 (the department sees what inspects it; A's side does
  // not). PATCH and team changes: a fresh inspection of inspector A's (the creator) inspecting unit A1.
  ['POST /inspections',                        'admin',      '—',                  201],
  ['POST /inspections',                        'inspector',  '—',                  201],
  ['POST /inspections',                        'supervisor', '—',                  201],
  ['POST /inspections',                        'department', '—',                  403,    FORBIDDEN],
  ['GET /inspections',                         'admin',      '—',                  200],
  ['GET /inspections',                         'inspector',  '—',                  200],
  ['GET /inspections',                         'supervisor', '—',                  200],
  ['GET /inspections',                         'department', '—',                  200],
  ['GET /inspections/:inspection',             'admin',      '—',                  200],
  ['GET /inspections/:inspection',             'inspector',  '—',                  404,    INSPECTION_NOT_FOUND],
  ['GET /inspections/:inspection',             'supervisor', '—',                  404,    INSPECTION_NOT_FOUND],
  ['GET /inspections/:inspection',             'department', '—',                  200],
  ['PATCH /inspections/:inspection',           'admin',      '—',                  200],
  ['PATCH /inspections/:inspection',           'inspector',  '—',                  200],
  ['PATCH /inspections/:inspection',           'supervisor', '—',                  200],
  ['PATCH /inspections/:inspection',           'department', '—',                  403,    FORBIDDEN],
  ['POST /inspections/:inspection/members',    'admin',      '—',                  200],
  ['POST /inspections/:inspection/members',    'inspector',  '—',                  200],
  ['POST /inspections/:inspection/members',    'supervisor', '—',                  200],
  ['POST /inspections/:inspection/members',    'department', '—',                  403,    FORBIDDEN],
  ['DELETE /inspections/:inspection/members/:userId', 'admin',      '—',           200],
  ['DELETE /inspections/:inspection/members/:userId', 'inspector',  '—',           200],
  ['DELETE /inspections/:inspection/members/:userId', 'supervisor', '—',           200],
  ['DELETE /inspections/:inspection/members/:userId', 'department', '—',           403,    FORBIDDEN],

  ['GET /deadline-policy',                   'admin',    '—',                  200],
  ['GET /deadline-policy',                   'inspector','—',                  200],
  ['GET /deadline-policy',                   'supervisor','—',                  200],
  ['GET /deadline-policy',                   'department','—',                  200],
  ['GET /deadline-policy/versions',          'admin',    '—',                  200],
  ['GET /deadline-policy/versions',          'inspector','—',                  200],
  ['GET /deadline-policy/versions',          'supervisor','—',                  200],
  ['GET /deadline-policy/versions',          'department','—',                  200],
  ['GET /me',                                  'admin',      '—',                  200],
  ['GET /me',                                  'inspector',  '—',                  200],
  ['GET /me',                                  'supervisor', '—',                  200],
  ['GET /me',                                  'department', '—',                  200],
  // The departments of one's own organisation, for pickers and names: every signed-in person.
  ['GET /departments',                         'admin',      '—',                  200],
  ['GET /departments',                         'inspector',  '—',                  200],
  ['GET /departments',                         'supervisor', '—',                  200],
  ['GET /departments',                         'department', '—',                  200],
  // A user's inbox holds only what is addressed to them or their department; someone else's notice (here: one
  // that does not exist for them) answers 404.
  ['GET /me/notices',                          'admin',      '—',                  200],
  ['GET /me/notices',                          'inspector',  '—',                  200],
  ['GET /me/notices',                          'supervisor', '—',                  200],
  ['GET /me/notices',                          'department', '—',                  200],
  ['POST /me/notices/:id/acknowledge',         'admin',      '—',                  404,    'NOTICE.NOT_FOUND'],
  ['POST /me/notices/:id/acknowledge',         'inspector',  '—',                  404,    'NOTICE.NOT_FOUND'],
  ['POST /me/notices/:id/acknowledge',         'supervisor', '—',                  404,    'NOTICE.NOT_FOUND'],
  ['POST /me/notices/:id/acknowledge',         'department', '—',                  404,    'NOTICE.NOT_FOUND'],
  // Everyone keeps their own contact settings.
  ['GET /me/notification-settings',            'admin',      '—',                  200],
  ['GET /me/notification-settings',            'inspector',  '—',                  200],
  ['GET /me/notification-settings',            'supervisor', '—',                  200],
  ['GET /me/notification-settings',            'department', '—',                  200],
  ['PUT /me/notification-settings',            'admin',      '—',                  200],
  ['PUT /me/notification-settings',            'inspector',  '—',                  200],
  ['PUT /me/notification-settings',            'supervisor', '—',                  200],
  ['PUT /me/notification-settings',            'department', '—',                  200],

  ['GET /health',                              'admin',      '—',                  200],
  ['GET /health',                              'inspector',  '—',                  200],
  ['GET /health',                              'supervisor', '—',                  200],
  ['GET /health',                              'department', '—',                  200],
  ['GET /health/ready',                        'admin',      '—',                  200],
  ['GET /health/ready',                        'inspector',  '—',                  200],
  ['GET /health/ready',                        'supervisor', '—',                  200],
  ['GET /health/ready',                        'department', '—',                  200],

  ['GET /admin/departments',                   'admin',      '—',                  200],
  ['GET /admin/departments',                   'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/departments',                   'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/departments',                   'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/departments',                  'admin',      '—',                  201],
  ['POST /admin/departments',                  'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/departments',                  'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/departments',                  'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/departments/:id',               'admin',      '—',                  200],
  ['GET /admin/departments/:id',               'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/departments/:id',               'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/departments/:id',               'department', '—',                  403,    FORBIDDEN],
  ['PATCH /admin/departments/:id',             'admin',      '—',                  200],
  ['PATCH /admin/departments/:id',             'inspector',  '—',                  403,    FORBIDDEN],
  ['PATCH /admin/departments/:id',             'supervisor', '—',                  403,    FORBIDDEN],
  ['PATCH /admin/departments/:id',             'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/departments/:id/deactivate',   'admin',      '—',                  200],
  ['POST /admin/departments/:id/deactivate',   'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/departments/:id/deactivate',   'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/departments/:id/deactivate',   'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/users',                         'admin',      '—',                  200],
  ['GET /admin/users',                         'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/users',                         'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/users',                         'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/users',                        'admin',      '—',                  201],
  ['POST /admin/users',                        'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/users',                        'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/users',                        'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/users/:id',                     'admin',      '—',                  200],
  ['GET /admin/users/:id',                     'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/users/:id',                     'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/users/:id',                     'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/deactivate',         'admin',      '—',                  200],
  ['POST /admin/users/:id/deactivate',         'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/deactivate',         'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/deactivate',         'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/reactivate',         'admin',      '—',                  200],
  ['POST /admin/users/:id/reactivate',         'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/reactivate',         'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/reactivate',         'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/users/:id/tokens',              'admin',      '—',                  200],
  ['GET /admin/users/:id/tokens',              'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/users/:id/tokens',              'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/users/:id/tokens',              'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/tokens',             'admin',      '—',                  201],
  ['POST /admin/users/:id/tokens',             'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/tokens',             'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/tokens',             'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/tokens/:id/revoke',            'admin',      '—',                  200],
  ['POST /admin/tokens/:id/revoke',            'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/tokens/:id/revoke',            'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/tokens/:id/revoke',            'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/audit',                         'admin',      '—',                  200],
  ['GET /admin/audit',                         'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/audit',                         'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/audit',                         'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks',                     'admin',      '—',                  201],
  ['POST /admin/webhooks',                     'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks',                     'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks',                     'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks',                      'admin',      '—',                  200],
  ['GET /admin/webhooks',                      'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks',                      'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks',                      'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks/:id',                  'admin',      '—',                  200],
  ['GET /admin/webhooks/:id',                  'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks/:id',                  'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks/:id',                  'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks/:id/disable',         'admin',      '—',                  200],
  ['POST /admin/webhooks/:id/disable',         'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks/:id/disable',         'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks/:id/disable',         'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks/:id/enable',          'admin',      '—',                  200],
  ['POST /admin/webhooks/:id/enable',          'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks/:id/enable',          'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhooks/:id/enable',          'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks/:id/deliveries',       'admin',      '—',                  200],
  ['GET /admin/webhooks/:id/deliveries',       'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks/:id/deliveries',       'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhooks/:id/deliveries',       'department', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhook-deliveries/:id',        'admin',      '—',                  200],
  ['GET /admin/webhook-deliveries/:id',        'inspector',  '—',                  403,    FORBIDDEN],
  ['GET /admin/webhook-deliveries/:id',        'supervisor', '—',                  403,    FORBIDDEN],
  ['GET /admin/webhook-deliveries/:id',        'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhook-deliveries/:id/redeliver','admin',      '—',                  200],
  ['POST /admin/webhook-deliveries/:id/redeliver','inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/webhook-deliveries/:id/redeliver','supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/webhook-deliveries/:id/redeliver','department', '—',                  403,    FORBIDDEN],
  // The calendar: an admin deleting a closure that does not exist passes authorization and gets the business error.
  ['GET /admin/calendar',                       'admin',     '—',                  200],
  ['GET /admin/calendar',                       'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/calendar',                       'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/calendar',                       'department','—',                  403,    FORBIDDEN],
  ['GET /admin/calendar/days',                  'admin',     '—',                  200],
  ['GET /admin/calendar/days',                  'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/calendar/days',                  'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/calendar/days',                  'department','—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/closures',             'admin',     '—',                  201],
  ['POST /admin/calendar/closures',             'inspector', '—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/closures',             'supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/closures',             'department','—',                  403,    FORBIDDEN],
  ['DELETE /admin/calendar/closures/:date',     'admin',     '—',                  422,    'CALENDAR.NO_SUCH_CLOSURE'],
  ['DELETE /admin/calendar/closures/:date',     'inspector', '—',                  403,    FORBIDDEN],
  ['DELETE /admin/calendar/closures/:date',     'supervisor','—',                  403,    FORBIDDEN],
  ['DELETE /admin/calendar/closures/:date',     'department','—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/import',               'admin',     '—',                  201],
  ['POST /admin/calendar/import',               'inspector', '—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/import',               'supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/import',               'department','—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/refresh-national',     'admin',     '—',                  200],
  ['POST /admin/calendar/refresh-national',     'inspector', '—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/refresh-national',     'supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/calendar/refresh-national',     'department','—',                  403,    FORBIDDEN],
  ['GET /admin/deadline-policy/presets',     'admin',    '—',                  200],
  ['GET /admin/deadline-policy/presets',     'inspector','—',                  403,    FORBIDDEN],
  ['GET /admin/deadline-policy/presets',     'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/deadline-policy/presets',     'department','—',                  403,    FORBIDDEN],
  ['POST /admin/deadline-policy',            'admin',    '—',                  409,    'POLICY.VERSION_CONFLICT'],
  ['POST /admin/deadline-policy',            'inspector','—',                  403,    FORBIDDEN],
  ['POST /admin/deadline-policy',            'supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/deadline-policy',            'department','—',                  403,    FORBIDDEN],
  ['GET /admin/evidence/verify',               'admin',     '—',                  200],
  ['GET /admin/evidence/verify',               'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/evidence/verify',               'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/evidence/verify',               'department','—',                  403,    FORBIDDEN],
  // Notifications: channels, routing, the delivery log, and an admin setting someone's contact.
  ['POST /admin/notification-channels',         'admin',     '—',                  201],
  ['POST /admin/notification-channels',         'inspector', '—',                  403,    FORBIDDEN],
  ['POST /admin/notification-channels',         'supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/notification-channels',         'department','—',                  403,    FORBIDDEN],
  ['GET /admin/notification-channels',          'admin',     '—',                  200],
  ['GET /admin/notification-channels',          'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/notification-channels',          'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/notification-channels',          'department','—',                  403,    FORBIDDEN],
  ['PATCH /admin/notification-channels/:id',    'admin',     '—',                  200],
  ['PATCH /admin/notification-channels/:id',    'inspector', '—',                  403,    FORBIDDEN],
  ['PATCH /admin/notification-channels/:id',    'supervisor','—',                  403,    FORBIDDEN],
  ['PATCH /admin/notification-channels/:id',    'department','—',                  403,    FORBIDDEN],
  ['POST /admin/notification-channels/:id/test','admin',     '—',                  200],
  ['POST /admin/notification-channels/:id/test','inspector', '—',                  403,    FORBIDDEN],
  ['POST /admin/notification-channels/:id/test','supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/notification-channels/:id/test','department','—',                  403,    FORBIDDEN],
  ['GET /admin/notifications/routing',          'admin',     '—',                  200],
  ['GET /admin/notifications/routing',          'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/notifications/routing',          'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/notifications/routing',          'department','—',                  403,    FORBIDDEN],
  ['PUT /admin/notifications/routing',          'admin',     '—',                  200],
  ['PUT /admin/notifications/routing',          'inspector', '—',                  403,    FORBIDDEN],
  ['PUT /admin/notifications/routing',          'supervisor','—',                  403,    FORBIDDEN],
  ['PUT /admin/notifications/routing',          'department','—',                  403,    FORBIDDEN],
  ['GET /admin/notifications',                  'admin',     '—',                  200],
  ['GET /admin/notifications',                  'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/notifications',                  'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/notifications',                  'department','—',                  403,    FORBIDDEN],
  ['GET /admin/notifications/:id',              'admin',     '—',                  200],
  ['GET /admin/notifications/:id',              'inspector', '—',                  403,    FORBIDDEN],
  ['GET /admin/notifications/:id',              'supervisor','—',                  403,    FORBIDDEN],
  ['GET /admin/notifications/:id',              'department','—',                  403,    FORBIDDEN],
  ['POST /admin/notifications/:id/redeliver',   'admin',     '—',                  200],
  ['POST /admin/notifications/:id/redeliver',   'inspector', '—',                  403,    FORBIDDEN],
  ['POST /admin/notifications/:id/redeliver',   'supervisor','—',                  403,    FORBIDDEN],
  ['POST /admin/notifications/:id/redeliver',   'department','—',                  403,    FORBIDDEN],
  ['PUT /admin/users/:id/notification-settings','admin',     '—',                  200],
  ['PUT /admin/users/:id/notification-settings','inspector', '—',                  403,    FORBIDDEN],
  ['PUT /admin/users/:id/notification-settings','supervisor','—',                  403,    FORBIDDEN],
  ['PUT /admin/users/:id/notification-settings','department','—',                  403,    FORBIDDEN],

  ['GET /events/stream',                       'admin',      '—',                  200],
  ['GET /events/stream',                       'inspector',  '—',                  200],
  ['GET /events/stream',                       'supervisor', '—',                  200],
  ['GET /events/stream',                       'department', '—',                  200],
  // Sign-in for people: public, so the same for every caller (an unknown user, a wrong code).
  ['POST /auth/sign-in',                       'admin',      '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/sign-in',                       'inspector',  '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/sign-in',                       'supervisor', '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/sign-in',                       'department', '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/invitation',                    'admin',      '—',                  401,    'AUTH.INVALID_INVITATION'],
  ['POST /auth/invitation',                    'inspector',  '—',                  401,    'AUTH.INVALID_INVITATION'],
  ['POST /auth/invitation',                    'supervisor', '—',                  401,    'AUTH.INVALID_INVITATION'],
  ['POST /auth/invitation',                    'department', '—',                  401,    'AUTH.INVALID_INVITATION'],
  // With an API token: who I am, no session; no password to check; nothing to sign out of.
  ['GET /auth/session',                        'admin',      '—',                  200],
  ['GET /auth/session',                        'inspector',  '—',                  200],
  ['GET /auth/session',                        'supervisor', '—',                  200],
  ['GET /auth/session',                        'department', '—',                  200],
  ['POST /auth/password',                      'admin',      '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/password',                      'inspector',  '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/password',                      'supervisor', '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/password',                      'department', '—',                  401,    'AUTH.INVALID_CREDENTIALS'],
  ['POST /auth/sign-out',                      'admin',      '—',                  204],
  ['POST /auth/sign-out',                      'inspector',  '—',                  204],
  ['POST /auth/sign-out',                      'supervisor', '—',                  204],
  ['POST /auth/sign-out',                      'department', '—',                  204],
  ['POST /admin/users/:id/password',           'admin',      '—',                  200],
  ['POST /admin/users/:id/password',           'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/password',           'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/password',           'department', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/invitation',         'admin',      '—',                  201],
  ['POST /admin/users/:id/invitation',         'inspector',  '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/invitation',         'supervisor', '—',                  403,    FORBIDDEN],
  ['POST /admin/users/:id/invitation',         'department', '—',                  403,    FORBIDDEN],
];

/** Who plays each role. */
const CALLER: Record<MatrixRole, UserKey | 'admin'> = {
  admin: 'admin',
  inspector: 'inspectorA',
  supervisor: 'supervisorA',
  department: 'departmentA1',
};

const cellKey = (endpoint: Endpoint, role: MatrixRole, relation: Relation) => `${endpoint} | ${role} | ${relation}`;

function caseName([endpoint, role, relation, status, expected]: Row): string {
  const on = relation === '—' ? '' : ` on a problem of relation "${relation}"`;
  return `${endpoint} as ${role}${on} → ${status}${expected ? ` ${expected}` : ''}`;
}

/** `GET /problems/:id/events (its event)` → `GET /problems/{id}/events`, as the OpenAPI document names it. */
function openApiOperation(endpoint: Endpoint): string {
  return endpoint.replace(/ \(.*\)$/, '').replace(/:(\w+)/g, '{$1}');
}

describe('Authorization matrix: every endpoint × role × relation', () => {
  let t: TestApp;
  let org: MatrixOrganisation;
  let client: MatrixClient;
  let sharedInspection: string;
  /** Problems the read rows (GET, history, list) look at, one per (role, relation), built once. */
  const readSubjects = new Map<string, string>();
  /** Targets of the admin endpoints. */
  let targets: {
    renameDepartment: string;
    retireDepartment: string;
    user: string;
    token: string;
    webhook: string;
    delivery: string;
    channel: string;
    notification: string;
  };
  let ran = 0;

  beforeAll(async () => {
    t = await createTestApp();
    org = await seedMatrixOrganisation(t.app.get(IdentityService));
    client = new MatrixClient(t, org);

    // Inspector A runs one inspection and puts inspector B on its team; B files there (SUBJECTS).
    sharedInspection = client.freshInspection('INSP-SHARED');
    await client.build({ filedBy: 'inspectorA', inspectionRef: sharedInspection, assignedTo: null, stage: 'found' });
    const joined = await client.request(client.tokenOf('inspectorA'), 'post', `/inspections/${sharedInspection}/members`, {
      userId: org.users.inspectorB.actor.userId,
    });
    expect(joined.status).toBe(200);

    const identity = t.app.get(IdentityService);
    const renameDepartment = await identity.createDepartment('Matrix scratch (renamed)', org.departments.leadership);
    const retireDepartment = await identity.createDepartment('Matrix scratch (deactivated)', org.departments.leadership);
    const user = await identity.createUser('Matrix scratch user', 'inspector', org.departments.officeB);
    const issued = await client.request(t.adminToken, 'post', `/admin/users/${user.actor.userId}/tokens`, { label: 'to be revoked' });
    expect(issued.status).toBe(201);
    // A subscription with one queued delivery (the outbox already holds the problems filed above); never sent.
    const webhook = await client.request(t.adminToken, 'post', '/admin/webhooks', { url: 'http://127.0.0.1:9/matrix' });
    await t.app.get(OutboxRelay).relayOnce();
    const deliveries = await client.request(t.adminToken, 'get', `/admin/webhooks/${webhook.body.id}/deliveries`);
    // A robot nobody listens at, and the logged (failed) test message sent to it.
    const channel = await client.request(t.adminToken, 'post', '/admin/notification-channels', {
      kind: 'dingtalk',
      name: 'Matrix robot',
      webhookUrl: 'http://127.0.0.1:9/robot/send?access_token=matrix',
    });
    expect(channel.status).toBe(201);
    const tested = await client.request(t.adminToken, 'post', `/admin/notification-channels/${channel.body.id}/test`);
    expect(tested.status).toBe(200);
    targets = {
      renameDepartment,
      retireDepartment,
      user: user.actor.userId,
      token: issued.body.id as string,
      webhook: webhook.body.id as string,
      delivery: deliveries.body.items[0].id as string,
      channel: channel.body.id as string,
      notification: tested.body.notification.id as string,
    };
  });

  afterAll(async () => {
    console.log(`Authorization matrix: ${MATRIX.length} cases (${ran} run) on ${t?.database.kind ?? 'no database'}`);
    await t?.close();
  });

  function specOf(subject: Subject, stage: MatrixStage) {
    const inspectionRef =
      subject.inspection === 'shared'
        ? sharedInspection
        : client.freshInspection(subject.inspection === 'mine' ? 'INSP-A' : 'INSP-B');
    return { filedBy: subject.filedBy, inspectionRef, assignedTo: subject.assignedTo, stage };
  }

  function subjectOf(role: MatrixRole, relation: Relation): Subject {
    const subject = SUBJECTS[role][relation];
    if (!subject) throw new Error(`No subject for ${role} / ${relation}`);
    return subject;
  }

  async function readSubject(role: MatrixRole, relation: Relation): Promise<string> {
    const key = `${role} | ${relation}`;
    const known = readSubjects.get(key);
    if (known) return known;
    const subject = subjectOf(role, relation);
    const { id } = await client.build(specOf(subject, subject.assignedTo === null ? 'found' : 'rectifying.inProgress'));
    readSubjects.set(key, id);
    return id;
  }

  /**
   * A supervision sheet of a read subject, written straight into the table (the subjects are never left overdue long
   * enough to escalate): numbered in a year of its own, it is about the subject's first history row, which is no
   * escalation, so it verifies as altered. Visibility is all these rows test. Its plain number, e.g. 2090-3.
   */
  const subjectSheets = new Map<string, string>();
  async function sheetOf(problemId: string): Promise<string> {
    const known = subjectSheets.get(problemId);
    if (known) return known;
    const sequence = subjectSheets.size + 1;
    const [first] = (await client.request(t.adminToken, 'get', `/problems/${problemId}/history`)).body.items as Array<{ hash: string }>;
    const { departmentId } = (await client.request(t.adminToken, 'get', `/problems/${problemId}`)).body as { departmentId: string | null };
    const facts = {
      stepName: '一级督办',
      level: 1,
      problem: { id: problemId },
      responsibleDepartment: { id: departmentId ?? 'none', name: 'matrix' },
      requirement: 'matrix',
      responseDue: null,
    };
    await t.app.get(Database).sqlWrite((sql) =>
      sql.run(
        'INSERT INTO supervision_sheets (id, organisation_id, year, sequence, problem_id, problem_version, history_hash, issued_at, facts, department_id) VALUES (?, ?, 2090, ?, ?, 1, ?, ?, ?, ?)',
        [newId(), org.departments.leadership, sequence, problemId, first.hash, new Date().toISOString(), JSON.stringify(facts), facts.responsibleDepartment.id],
      ),
    );
    subjectSheets.set(problemId, `2090-${sequence}`);
    return `2090-${sequence}`;
  }

  /** An evidence file of a read subject (uploaded once, by the admin, as finding evidence). */
  const subjectEvidence = new Map<string, string>();
  async function evidenceOf(problemId: string): Promise<string> {
    const known = subjectEvidence.get(problemId);
    if (known) return known;
    const uploaded = await uploadEvidence(t, t.adminToken, problemId, 'finding', `matrix evidence of ${problemId}`);
    if (uploaded.status !== 201) throw new Error(`evidence → ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
    subjectEvidence.set(problemId, uploaded.body.id as string);
    return uploaded.body.id as string;
  }

  /** A fresh inspection created by `creator` in their office, inspecting unit A1, with `members` on its team too. */
  async function inspectionOf(creator: 'inspectorA' | 'inspectorB', members: string[] = []): Promise<string> {
    const created = await client.request(client.tokenOf(creator), 'post', '/inspections', {
      reference: client.freshInspection('INSP-MATRIX'),
      title: 'Matrix inspection',
      inspectedDepartmentIds: [org.departments.unitA1],
      memberIds: members,
    });
    if (created.status !== 201) throw new Error(`inspection → ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id as string;
  }

  async function latestAuditId(): Promise<string | null> {
    const response = await client.request(t.adminToken, 'get', '/admin/audit', undefined, { limit: 1 });
    expect(response.status).toBe(200);
    return (response.body.items[0]?.id as string | undefined) ?? null;
  }

  /** MatrixClient.request, and PUT. */
  function send(token: string, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: Record<string, unknown>) {
    return method === 'put' ? t.http().put(path).auth(token, { type: 'bearer' }).send(body ?? {}) : client.request(token, method, path, body);
  }

  function adminRequest(
    endpoint: (typeof ADMIN_ENDPOINTS)[number],
    role: MatrixRole,
  ): { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string; body?: Record<string, unknown> } {
    switch (endpoint) {
      case 'GET /admin/departments':
        return { method: 'get', path: '/admin/departments' };
      case 'POST /admin/departments':
        return { method: 'post', path: '/admin/departments', body: { name: `Matrix department by ${role}`, parentId: org.departments.leadership } };
      case 'GET /admin/departments/:id':
        return { method: 'get', path: `/admin/departments/${org.departments.officeA}` };
      case 'PATCH /admin/departments/:id':
        return { method: 'patch', path: `/admin/departments/${targets.renameDepartment}`, body: { name: `Renamed by ${role}` } };
      case 'POST /admin/departments/:id/deactivate':
        return { method: 'post', path: `/admin/departments/${targets.retireDepartment}/deactivate` };
      case 'GET /admin/users':
        return { method: 'get', path: '/admin/users' };
      case 'POST /admin/users':
        return { method: 'post', path: '/admin/users', body: { name: `Matrix user by ${role}`, role: 'inspector', departmentId: org.departments.officeB } };
      case 'GET /admin/users/:id':
        return { method: 'get', path: `/admin/users/${targets.user}` };
      case 'POST /admin/users/:id/deactivate':
        return { method: 'post', path: `/admin/users/${targets.user}/deactivate` };
      case 'POST /admin/users/:id/reactivate':
        return { method: 'post', path: `/admin/users/${targets.user}/reactivate` };
      case 'POST /admin/users/:id/password':
        return { method: 'post', path: `/admin/users/${targets.user}/password`, body: { password: `set by ${role} in the matrix` } };
      case 'POST /admin/users/:id/invitation':
        return { method: 'post', path: `/admin/users/${targets.user}/invitation` };
      case 'GET /admin/users/:id/tokens':
        return { method: 'get', path: `/admin/users/${targets.user}/tokens` };
      case 'POST /admin/users/:id/tokens':
        return { method: 'post', path: `/admin/users/${targets.user}/tokens`, body: { label: `issued by ${role}` } };
      case 'POST /admin/tokens/:id/revoke':
        return { method: 'post', path: `/admin/tokens/${targets.token}/revoke` };
      case 'GET /admin/audit':
        return { method: 'get', path: '/admin/audit' };
      case 'POST /admin/webhooks':
        return { method: 'post', path: '/admin/webhooks', body: { url: `http://127.0.0.1:9/by-${role}`, eventTypes: ['problem.assigned'] } };
      case 'GET /admin/webhooks':
        return { method: 'get', path: '/admin/webhooks' };
      case 'GET /admin/webhooks/:id':
        return { method: 'get', path: `/admin/webhooks/${targets.webhook}` };
      case 'POST /admin/webhooks/:id/disable':
        return { method: 'post', path: `/admin/webhooks/${targets.webhook}/disable` };
      case 'POST /admin/webhooks/:id/enable':
        return { method: 'post', path: `/admin/webhooks/${targets.webhook}/enable` };
      case 'GET /admin/webhooks/:id/deliveries':
        return { method: 'get', path: `/admin/webhooks/${targets.webhook}/deliveries` };
      case 'GET /admin/webhook-deliveries/:id':
        return { method: 'get', path: `/admin/webhook-deliveries/${targets.delivery}` };
      case 'POST /admin/webhook-deliveries/:id/redeliver':
        return { method: 'post', path: `/admin/webhook-deliveries/${targets.delivery}/redeliver` };
      case 'GET /admin/calendar':
        return { method: 'get', path: '/admin/calendar' };
      case 'GET /admin/calendar/days':
        return { method: 'get', path: '/admin/calendar/days?year=2026' };
      case 'POST /admin/calendar/closures':
        return { method: 'post', path: '/admin/calendar/closures', body: { date: '2026-12-30', reason: `Closure by ${role}` } };
      case 'DELETE /admin/calendar/closures/:date':
        return { method: 'delete', path: '/admin/calendar/closures/2031-01-02' };
      case 'POST /admin/calendar/import':
        return {
          method: 'post',
          path: '/admin/calendar/import',
          body: { as: 'closure', ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x@t\r\nDTSTART;VALUE=DATE:20261229\r\nDTEND;VALUE=DATE:20261230\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' },
        };
      case 'GET /admin/evidence/verify':
        return { method: 'get', path: '/admin/evidence/verify' };
      case 'GET /admin/deadline-policy/presets':
        return { method: 'get', path: '/admin/deadline-policy/presets' };
      case 'POST /admin/deadline-policy': {
        // Edited from a version that is not the one in force: the admin gets through to the version check, and
        // nothing is published whatever the order the rows run in.
        const { draft } = POLICY_PRESETS[0];
        return { method: 'post', path: '/admin/deadline-policy', body: { basedOnVersion: 99, policy: draft } };
      }
      case 'POST /admin/calendar/refresh-national':
        return { method: 'post', path: '/admin/calendar/refresh-national' };
      case 'POST /admin/notification-channels':
        return { method: 'post', path: '/admin/notification-channels', body: { kind: 'feishu', name: `Robot by ${role}`, webhookUrl: `http://127.0.0.1:9/by-${role}` } };
      case 'GET /admin/notification-channels':
        return { method: 'get', path: '/admin/notification-channels' };
      case 'PATCH /admin/notification-channels/:id':
        return { method: 'patch', path: `/admin/notification-channels/${targets.channel}`, body: { name: `Renamed by ${role}` } };
      case 'POST /admin/notification-channels/:id/test':
        return { method: 'post', path: `/admin/notification-channels/${targets.channel}/test` };
      case 'GET /admin/notifications/routing':
        return { method: 'get', path: '/admin/notifications/routing' };
      case 'PUT /admin/notifications/routing':
        return { method: 'put', path: '/admin/notifications/routing', body: { rules: [{ event: 'problem.escalated', audience: 'escalationRecipients', route: 'email' }] } };
      case 'GET /admin/notifications':
        return { method: 'get', path: '/admin/notifications' };
      case 'GET /admin/notifications/:id':
        return { method: 'get', path: `/admin/notifications/${targets.notification}` };
      case 'POST /admin/notifications/:id/redeliver':
        return { method: 'post', path: `/admin/notifications/${targets.notification}/redeliver` };
      case 'PUT /admin/users/:id/notification-settings':
        return { method: 'put', path: `/admin/users/${targets.user}/notification-settings`, body: { email: `set.by.${role}@example.org` } };
    }
  }

  /** The success status and, for errors, the documented error shape; a 404 names the id that was asked for. */
  function expectOutcome(response: Response, status: number, expected: Expectation | undefined, askedId?: string): void {
    if (status >= 400) {
      if (!expected) throw new Error('An error row needs its code');
      expectApiError(response, status, expected);
      if (status === 404 && askedId) expect(response.body.message).toContain(askedId);
      return;
    }
    expect({ status: response.status, body: response.body }).toEqual({ status, body: expect.anything() });
  }

  async function runProblemRow([endpoint, role, relation, status, expected]: Row & { 0: ProblemEndpoint }): Promise<void> {
    const token = client.tokenOf(CALLER[role]);
    if (endpoint === 'POST /problems/:id/events (its event)' || endpoint === 'POST /problems/:id/events (never its)') {
      // given a fresh problem of this relation, in a state that accepts the event
      const subject = subjectOf(role, relation);
      const choice = EVENTS[role][endpoint === 'POST /problems/:id/events (its event)' ? 'its' : 'never'];
      const type = subject.assignedTo === null ? choice.unassigned : choice.assigned.type;
      const stage = subject.assignedTo === null ? 'found' : choice.assigned.stage;
      const { id } = await client.build(specOf(subject, stage));
      const before = await client.footprint(id);

      // when
      const response = await client.request(token, 'post', `/problems/${id}/events`, matrixEvent(org, type));

      // then
      expectOutcome(response, status, expected, id);
      const after = await client.footprint(id);
      if (status === 200) {
        expect(response.body).toMatchObject({ id, version: before.version + 1 });
        expect(after).toMatchObject({ version: before.version + 1, historyLength: before.historyLength + 1 });
      } else {
        expect(after).toEqual(before);
      }
      return;
    }

    const id = await readSubject(role, relation);
    if (endpoint === 'POST /problems/:id/evidence') {
      const kind = role === 'department' ? 'rectification' : 'finding';
      const before = (await client.request(t.adminToken, 'get', `/problems/${id}/evidence`)).body.items.length as number;
      const response = await uploadEvidence(t, token, id, kind, `evidence by ${role} (${relation})`);
      expectOutcome(response, status, expected, id);
      const after = (await client.request(t.adminToken, 'get', `/problems/${id}/evidence`)).body.items.length as number;
      if (status === 201) expect(response.body).toMatchObject({ problemId: id, kind });
      expect(after).toBe(status === 201 ? before + 1 : before);
      return;
    }
    if (endpoint === 'GET /problems/:id/evidence/:evidenceId/content') {
      const evidenceId = await evidenceOf(id);
      const response = await client.request(token, 'get', `/problems/${id}/evidence/${evidenceId}/content`);
      expectOutcome(response, status, expected, id);
      if (status === 200) expect(response.headers.etag).toEqual(expect.stringMatching(/^"[0-9a-f]{64}"$/));
      return;
    }
    if (endpoint === 'GET /problems/:id/evidence') {
      await evidenceOf(id);
      const response = await client.request(token, 'get', `/problems/${id}/evidence`);
      expectOutcome(response, status, expected, id);
      if (status === 200) expect(response.body.items.length).toBeGreaterThan(0);
      return;
    }
    if (endpoint === 'GET /problems') {
      const listed = (await client.listAll(token)).map((item) => item.id);
      expect({ problem: id, listed: listed.includes(id) }).toEqual({ problem: id, listed: expected === 'listed' });
      return;
    }
    if (endpoint === 'GET /problems/counts') {
      const title = (await client.request(t.adminToken, 'get', `/problems/${id}`)).body.title as string;
      const everyone = await client.request(t.adminToken, 'get', '/problems/counts', undefined, { text: title });
      expect(everyone.body).toMatchObject({ total: 1 });
      const response = await client.request(token, 'get', '/problems/counts', undefined, { text: title });
      expect(response.status).toBe(200);
      expect({ problem: id, counted: response.body.total }).toEqual({ problem: id, counted: expected === 'counted' ? 1 : 0 });
      return;
    }
    if (endpoint === 'GET /ledger/ranking') {
      const title = (await client.request(t.adminToken, 'get', `/problems/${id}`)).body.title as string;
      const received = (body: { departments: Array<{ received: number }> }) => body.departments.reduce((sum, row) => sum + row.received, 0);
      const response = await client.request(token, 'get', '/ledger/ranking', undefined, { text: title });
      expect(response.status).toBe(200);
      expect({ problem: id, counted: received(response.body) }).toEqual({ problem: id, counted: expected === 'counted' ? 1 : 0 });
      return;
    }
    if (endpoint === 'GET /ledger/dashboard') {
      const title = (await client.request(t.adminToken, 'get', `/problems/${id}`)).body.title as string;
      const found = (body: { trend: Array<{ found: number }> }) => body.trend.reduce((sum, week) => sum + week.found, 0);
      expect(found((await client.request(t.adminToken, 'get', '/ledger/dashboard', undefined, { text: title, weeks: '52' })).body)).toBe(1);
      const response = await client.request(token, 'get', '/ledger/dashboard', undefined, { text: title, weeks: '52' });
      expect(response.status).toBe(200);
      expect({ problem: id, counted: found(response.body) }).toEqual({ problem: id, counted: expected === 'counted' ? 1 : 0 });
      return;
    }
    if (endpoint === 'GET /ledger' || endpoint === 'GET /ledger/summary') {
      // The ledger reads through the same scope as GET /problems: filtered by the problem's unique title, the row
      // is there (and counted) exactly when the problem can be opened.
      const title = (await client.request(t.adminToken, 'get', `/problems/${id}`)).body.title as string;
      if (endpoint === 'GET /ledger') {
        const response = await client.request(token, 'get', '/ledger', undefined, { text: title });
        expect(response.status).toBe(200);
        const listed = (response.body.items as Array<{ id: string }>).map((row) => row.id);
        expect({ problem: id, listed: listed.includes(id) }).toEqual({ problem: id, listed: expected === 'listed' });
      } else {
        expect((await client.request(t.adminToken, 'get', '/ledger/summary', undefined, { text: title })).body.all).toMatchObject({ total: 1 });
        const response = await client.request(token, 'get', '/ledger/summary', undefined, { text: title });
        expect(response.status).toBe(200);
        expect({ problem: id, counted: response.body.all.total }).toEqual({ problem: id, counted: expected === 'counted' ? 1 : 0 });
      }
      return;
    }
    if (endpoint === 'GET /sheets') {
      // the registry lists a sheet exactly when its problem can be opened (the subjects' sheets are of the year 2090)
      const number = await sheetOf(id);
      const response = await client.request(token, 'get', '/sheets', undefined, { year: '2090', limit: '200' });
      expect(response.status).toBe(200);
      const listed = (response.body.items as Array<{ year: number; sequence: number }>).map((sheet) => `${sheet.year}-${sheet.sequence}`);
      expect({ problem: id, listed: listed.includes(number) }).toEqual({ problem: id, listed: expected === 'listed' });
      return;
    }
    if (endpoint === 'POST /sheets/:number/response') {
      // the subjects' sheets ask for no response: only the responsible department gets that far (409), and nothing is kept
      const number = await sheetOf(id);
      const response = await client.request(token, 'post', `/sheets/${number}/response`, { text: `response by ${role} (${relation})` });
      expectOutcome(response, status, expected, status === 404 ? number : undefined);
      expect((await client.request(t.adminToken, 'get', `/sheets/${number}`)).body.response).toBeNull();
      return;
    }
    if (endpoint === 'GET /sheets/:number' || endpoint === 'GET /sheets/:number/verify' || endpoint === 'POST /sheets/:number/verify') {
      const number = await sheetOf(id);
      const path = `/sheets/${number}${endpoint === 'GET /sheets/:number' ? '' : '/verify'}`;
      const response =
        endpoint === 'POST /sheets/:number/verify'
          ? await t.http().post(path).auth(token, { type: 'bearer' }).attach('file', Buffer.from('%PDF-1.7 not the sheet'), { filename: 'copy.pdf', contentType: 'application/pdf' })
          : await client.request(token, 'get', path);
      expectOutcome(response, status, expected, number);
      if (status === 200 && endpoint === 'GET /sheets/:number') expect(response.body).toMatchObject({ problemId: id, number: expect.stringMatching(/^督〔2090〕\d+号$/) });
      if (status === 200 && endpoint === 'GET /sheets/:number/verify') expect(response.body).toMatchObject({ historyRow: 'altered', pdf: 'notChecked' });
      if (status === 200 && endpoint === 'POST /sheets/:number/verify') expect(response.body).toMatchObject({ valid: false, pdf: 'differs' });
      return;
    }
    const paths: Record<string, string> = {
      'GET /problems/:id': `/problems/${id}`,
      'GET /problems/:id/sheets': `/problems/${id}/sheets`,
      'GET /problems/:id/deadline': `/problems/${id}/deadline`,
      'GET /problems/:id/history': `/problems/${id}/history`,
      'GET /problems/:id/history/verify': `/problems/${id}/history/verify`,
    };
    const path = paths[endpoint];
    if (path === undefined) throw new Error(`No request for ${endpoint}`);
    const response = await client.request(token, 'get', path);
    expectOutcome(response, status, expected, id);
    if (status === 200 && endpoint === 'GET /problems/:id') {
      expect(response.body).toMatchObject({ id, allowedEvents: expect.any(Array) });
    }
    if (status === 200 && endpoint === 'GET /problems/:id/deadline') {
      expect(response.body).toMatchObject({ problemId: id, calendar: { id: expect.any(String) } });
    }
    if (status === 200 && endpoint === 'GET /problems/:id/history/verify') {
      expect(response.body).toMatchObject({ problemId: id, intact: true, firstBroken: null });
    }
    if (status === 200 && endpoint === 'GET /problems/:id/sheets') {
      await sheetOf(id);
      expect((await client.request(token, 'get', path)).body.items).toEqual([expect.objectContaining({ problemId: id })]);
    }
    if (status === 200 && endpoint === 'GET /problems/:id/history') {
      const items = response.body.items as Array<{ problemId: string; eventType: string; version: number }>;
      expect(items[0]).toMatchObject({ problemId: id, eventType: 'FILE', version: 1 });
      expect(items.every((item) => item.problemId === id)).toBe(true);
    }
  }

  async function runOtherRow([endpoint, role, , status, expected]: Row): Promise<void> {
    const caller = CALLER[role];
    const token = client.tokenOf(caller);
    const callerId = caller === 'admin' ? null : org.users[caller].actor.userId;
    switch (endpoint) {
      case 'POST /problems': {
        const before = (await client.listAll(t.adminToken)).length;
        const response = await client.request(token, 'post', '/problems', aFiling({ inspectionRef: client.freshInspection('INSP-FILING') }));
        expectOutcome(response, status, expected);
        const after = (await client.listAll(t.adminToken)).length;
        if (status === 201) {
          expect(response.body).toMatchObject({ state: 'found', version: 1, departmentId: null });
          if (callerId) expect(response.body.filedBy).toBe(callerId);
          expect(after).toBe(before + 1);
        } else {
          expect(after).toBe(before);
        }
        return;
      }
      case 'POST /inspections/:ref/problems/import': {
        const inspection = client.freshInspection('INSP-IMPORT');
        const file = Buffer.from('title,description,category,severity,location,requirement\nExit blocked,Pallets at the exit,fire-safety,major,Warehouse 3,Clear it\n');
        const response = await t.http().post(`/inspections/${inspection}/problems/import`).auth(token, { type: 'bearer' }).attach('file', file, 'findings.csv');
        expectOutcome(response, status, expected);
        const filed = await client.listAll(t.adminToken, { inspection });
        expect(filed).toHaveLength(status === 201 ? 1 : 0);
        if (status === 201 && callerId) expect(filed[0].filedBy).toBe(callerId);
        return;
      }
      case 'POST /inspections': {
        const reference = client.freshInspection('INSP-NEW');
        const response = await client.request(token, 'post', '/inspections', { reference, title: 'Matrix inspection' });
        expectOutcome(response, status, expected);
        const found = await client.request(t.adminToken, 'get', '/inspections', undefined, { reference });
        expect(found.body.items).toHaveLength(status === 201 ? 1 : 0);
        if (status === 201 && callerId) expect(found.body.items[0]).toMatchObject({ createdBy: callerId, members: caller === 'admin' ? [] : [expect.objectContaining({ userId: callerId })] });
        return;
      }
      case 'GET /inspections': {
        const response = await client.request(token, 'get', '/inspections');
        expectOutcome(response, status, expected);
        expect(response.body.items).toEqual(expect.any(Array));
        return;
      }
      case 'GET /inspections/:inspection': {
        const inspection = await inspectionOf('inspectorB');
        const response = await client.request(token, 'get', `/inspections/${inspection}`);
        expectOutcome(response, status, expected);
        if (status === 200) expect(response.body.id).toBe(inspection);
        return;
      }
      case 'PATCH /inspections/:inspection': {
        const inspection = await inspectionOf('inspectorA');
        const auditBefore = await latestAuditId();
        const response = await client.request(token, 'patch', `/inspections/${inspection}`, { title: 'Renamed by the matrix' });
        expectOutcome(response, status, expected);
        const now = await client.request(t.adminToken, 'get', `/inspections/${inspection}`);
        expect(now.body.title).toBe(status === 200 ? 'Renamed by the matrix' : 'Matrix inspection');
        if (status >= 400) expect(await latestAuditId()).toBe(auditBefore);
        return;
      }
      case 'POST /inspections/:inspection/members':
      case 'DELETE /inspections/:inspection/members/:userId': {
        const adding = endpoint === 'POST /inspections/:inspection/members';
        const member = org.users.inspectorB.actor.userId;
        const inspection = await inspectionOf('inspectorA', adding ? [] : [member]);
        const response = adding
          ? await client.request(token, 'post', `/inspections/${inspection}/members`, { userId: member })
          : await client.request(token, 'delete', `/inspections/${inspection}/members/${member}`);
        expectOutcome(response, status, expected);
        const now = await client.request(t.adminToken, 'get', `/inspections/${inspection}`);
        const onTeam = (now.body.members as Array<{ userId: string }>).some((entry) => entry.userId === member);
        expect(onTeam).toBe(adding === (status === 200));
        return;
      }
      case 'GET /me': {
        const response = await client.request(token, 'get', '/me');
        expectOutcome(response, status, expected);
        expect(response.body.user.role).toBe(role);
        if (callerId) expect(response.body.user.id).toBe(callerId);
        return;
      }
      case 'GET /departments': {
        const response = await client.request(token, 'get', '/departments');
        expectOutcome(response, status, expected);
        // Which departments (one's own organisation's only) is departments-directory.e2e's to check.
        expect(response.body.items.length).toBeGreaterThan(0);
        expect(Object.keys(response.body.items[0]).sort()).toEqual(['active', 'id', 'name', 'parentId']);
        return;
      }
      case 'GET /deadline-policy':
      case 'GET /deadline-policy/versions': {
        const response = await client.request(token, 'get', endpoint.split(' ')[1]);
        expectOutcome(response, status, expected);
        const published = endpoint === 'GET /deadline-policy' ? response.body : response.body[0];
        expect(published.policy).toMatchObject({ id: 'default', version: expect.any(Number), rectificationWorkingDays: expect.any(Object) });
        return;
      }
      case 'GET /me/notices': {
        const response = await client.request(token, 'get', '/me/notices');
        expectOutcome(response, status, expected);
        expect(response.body.items).toEqual(expect.any(Array));
        return;
      }
      case 'POST /me/notices/:id/acknowledge': {
        const response = await client.request(token, 'post', `/me/notices/${randomUUID()}/acknowledge`);
        expectOutcome(response, status, expected);
        return;
      }
      case 'GET /me/notification-settings': {
        const response = await client.request(token, 'get', '/me/notification-settings');
        expectOutcome(response, status, expected);
        expect(response.body).toMatchObject({ language: expect.stringMatching(/^(zh|en)$/), optOuts: expect.any(Array), mandatory: expect.any(Array) });
        return;
      }
      case 'PUT /me/notification-settings': {
        const email = `${role}.matrix@example.org`;
        const response = await send(token, 'put', '/me/notification-settings', { email, optOuts: ['daily.digest'] });
        expectOutcome(response, status, expected);
        expect(response.body).toMatchObject({ email, optOuts: ['daily.digest'] });
        expect((await client.request(token, 'get', '/me/notification-settings')).body).toMatchObject({ email });
        return;
      }
      case 'GET /health': {
        const response = await client.request(token, 'get', '/health');
        expectOutcome(response, status, expected);
        expect(response.body).toMatchObject({ status: 'ok', database: t.database.kind });
        return;
      }
      case 'GET /health/ready': {
        const response = await client.request(token, 'get', '/health/ready');
        expectOutcome(response, status, expected);
        expect(response.body).toMatchObject({ status: 'ready', database: { kind: t.database.kind, reachable: true } });
        return;
      }
      case 'POST /auth/sign-in':
      case 'POST /auth/invitation':
      case 'GET /auth/session':
      case 'POST /auth/password':
      case 'POST /auth/sign-out': {
        const [method, path] = endpoint.split(' ') as ['GET' | 'POST', string];
        const bodies: Record<string, Record<string, unknown> | undefined> = {
          '/auth/sign-in': { username: 'nobody.in.the.matrix', password: 'not a password 1' },
          '/auth/invitation': { username: 'nobody.in.the.matrix', password: 'not a password 1', code: 'not-a-code' },
          '/auth/password': { currentPassword: 'not a password 1', newPassword: 'a new password 1' },
        };
        const response = await client.request(token, method === 'GET' ? 'get' : 'post', path, bodies[path]);
        expectOutcome(response, status, expected);
        if (endpoint === 'GET /auth/session') expect(response.body.via).toBe('token');
        return;
      }
      case 'GET /events/stream': {
        const stream = await StreamClient.open(t, token);
        try {
          expect({ status: stream.status, type: stream.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^text\/event-stream/) });
        } finally {
          stream.close();
        }
        return;
      }
      default: {
        // every other endpoint is an admin one; a refused admin action leaves no audit entry behind
        const request = adminRequest(endpoint as (typeof ADMIN_ENDPOINTS)[number], role);
        const auditBefore = await latestAuditId();
        const response = await send(token, request.method, request.path, request.body);
        expectOutcome(response, status, expected);
        if (status >= 400) expect(await latestAuditId()).toBe(auditBefore);
        return;
      }
    }
  }

  describe('the table', () => {
    it('has exactly one row for every declared endpoint × role × relation', () => {
      const declared = ENDPOINTS.flatMap((endpoint) =>
        ROLES.flatMap((role) => relationsFor(endpoint, role).map((relation) => cellKey(endpoint, role, relation))),
      );
      const rows = MATRIX.map(([endpoint, role, relation]) => cellKey(endpoint, role, relation));
      expect(rows.filter((key, index) => rows.indexOf(key) !== index)).toEqual([]);
      expect([...rows].sort()).toEqual([...declared].sort());
      for (const role of ROLES) {
        for (const relation of RELATIONS_OF[role]) expect({ role, relation, subject: SUBJECTS[role][relation] }).toEqual({ role, relation, subject: expect.any(Object) });
        expect(Object.keys(SUBJECTS[role]).sort()).toEqual([...RELATIONS_OF[role]].sort());
      }
    });

    it('names every endpoint the API documents, and only those', async () => {
      const response = await t.http().get('/docs-json');
      expect(response.status).toBe(200);
      const documented = Object.entries(response.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => `${method.toUpperCase()} ${path}`),
      );
      const covered = [...new Set(ENDPOINTS.map(openApiOperation))];
      expect(covered.sort()).toEqual([...new Set(documented)].sort());
    });

    it('agrees with itself on scope: a problem is listed exactly when it can be opened, and out of scope is 404 everywhere, never 403', () => {
      const outcome = (endpoint: Endpoint, role: MatrixRole, relation: Relation) =>
        MATRIX.find(([e, r, rel]) => e === endpoint && r === role && rel === relation);
      for (const role of ROLES) {
        for (const relation of RELATIONS_OF[role]) {
          const visible = outcome('GET /problems/:id', role, relation)?.[3] === 200;
          const cells = PROBLEM_ENDPOINTS.map((endpoint) => {
            const row = outcome(endpoint, role, relation);
            return { endpoint, status: row?.[3], expected: row?.[4] };
          });
          for (const cell of cells) {
            if (cell.endpoint === 'GET /problems' || cell.endpoint === 'GET /ledger' || cell.endpoint === 'GET /sheets') {
              expect({ role, relation, ...cell }).toEqual({ role, relation, ...cell, status: 200, expected: visible ? 'listed' : 'not listed' });
            } else if (cell.endpoint === 'GET /problems/counts' || cell.endpoint === 'GET /ledger/summary' || cell.endpoint === 'GET /ledger/dashboard') {
              expect({ role, relation, ...cell }).toEqual({ role, relation, ...cell, status: 200, expected: visible ? 'counted' : 'not counted' });
            } else if (cell.endpoint === 'GET /ledger/ranking') {
              const ranked = visible && SUBJECTS[role][relation]?.assignedTo !== null;
              expect({ role, relation, ...cell }).toEqual({ role, relation, ...cell, status: 200, expected: ranked ? 'counted' : 'not counted' });
            } else if (visible) {
              expect({ role, relation, ...cell, notFound: cell.status === 404 }).toEqual({ role, relation, ...cell, notFound: false });
            } else {
              const notFound = SHEET_ENDPOINTS.includes(cell.endpoint) ? SHEET_NOT_FOUND : NOT_FOUND;
              expect({ role, relation, ...cell }).toEqual({ role, relation, ...cell, status: 404, expected: notFound });
            }
          }
        }
      }
    });
  });

  describe('cases', () => {
    it.each(MATRIX.map((row) => [caseName(row), row] as const))('%s', async (_name, row) => {
      ran += 1;
      if (isProblemEndpoint(row[0])) {
        await runProblemRow(row as Row & { 0: ProblemEndpoint });
      } else {
        await runOtherRow(row);
      }
    });
  });

  describe('a department user cannot learn whether another department\'s problem exists', () => {
    const PROBES = ['GET /problems/:id', 'GET /problems/:id/history', 'POST /problems/:id/events'] as const;

    function probe(endpoint: (typeof PROBES)[number], id: string) {
      const token = client.tokenOf('departmentA1');
      switch (endpoint) {
        case 'GET /problems/:id':
          return client.request(token, 'get', `/problems/${id}`);
        case 'GET /problems/:id/history':
          return client.request(token, 'get', `/problems/${id}/history`);
        case 'POST /problems/:id/events':
          return client.request(token, 'post', `/problems/${id}/events`, matrixEvent(org, 'REPORT_PROGRESS'));
      }
    }

    /** The body with the asked id and the correlation id taken out: what must not differ. */
    function comparableBody(response: Response, askedId: string) {
      const { correlationId, message, ...rest } = response.body as { correlationId: string; message: string };
      expect(correlationId).toEqual(expect.any(String));
      expect(message).toContain(askedId);
      return { ...rest, message: message.split(askedId).join('<id>') };
    }

    /** Headers that vary per response whatever the answer: correlation id, date, etag, length, and the rate-limit counter. */
    function comparableHeaders(response: Response): Record<string, string> {
      const varying = new Set(['x-correlation-id', 'date', 'etag', 'content-length', 'ratelimit-remaining']);
      const kept = Object.fromEntries(Object.entries(response.headers as Record<string, string>).filter(([name]) => !varying.has(name)));
      expect(kept).toMatchObject({ 'content-type': expect.stringMatching(/application\/json/) });
      return kept;
    }

    it.each(PROBES.map((endpoint) => [endpoint] as const))(
      '%s answers a random id and B1\'s real problem identically',
      async (endpoint) => {
        // given a problem of unit B1 that A1 could act on if it were theirs (REPORT_PROGRESS is accepted now)
        const { id: foreign } = await client.build({
          filedBy: 'inspectorB',
          inspectionRef: client.freshInspection('INSP-B'),
          assignedTo: 'unitB1',
          stage: 'rectifying.inProgress',
        });
        expect((await client.request(t.adminToken, 'get', `/problems/${foreign}`)).status).toBe(200);
        const before = await client.footprint(foreign);

        for (const missing of [randomUUID(), newId()]) {
          expect((await client.request(t.adminToken, 'get', `/problems/${missing}`)).status).toBe(404);

          // when
          const forMissing = await probe(endpoint, missing);
          const forForeign = await probe(endpoint, foreign);

          // then
          expectApiError(forMissing, 404, NOT_FOUND);
          expectApiError(forForeign, 404, NOT_FOUND);
          expect(comparableBody(forForeign, foreign)).toEqual(comparableBody(forMissing, missing));
          expect(comparableHeaders(forForeign)).toEqual(comparableHeaders(forMissing));
          // the rate-limit counter just counts this token's requests
          expect(Number(forForeign.headers['ratelimit-remaining'])).toBe(Number(forMissing.headers['ratelimit-remaining']) - 1);
        }
        expect(await client.footprint(foreign)).toEqual(before);
      },
    );

    it('the list holds exactly the problems assigned (now or before) to A1, never another department\'s', async () => {
      // given problems all over the tree, at least one of them A1's
      for (const assignedTo of ['unitA1', 'subUnitA1a', 'unitA2', 'officeA', 'unitB1', null] as const) {
        await client.build({
          filedBy: 'inspectorB',
          inspectionRef: client.freshInspection('INSP-B'),
          assignedTo,
          stage: assignedTo === null ? 'found' : 'assigned',
        });
      }
      const all = await client.listAll(t.adminToken);
      const a1 = org.departments.unitA1;
      const inScope: string[] = [];
      for (const problem of all) {
        const history = await client.request(t.adminToken, 'get', `/problems/${problem.id as string}/history`);
        const everAssigned = (history.body.items as Array<{ eventType: string; payload: { departmentId?: string } }>).some(
          (item) => (item.eventType === 'ASSIGN' || item.eventType === 'REASSIGN') && item.payload.departmentId === a1,
        );
        if (problem.departmentId === a1 || problem.filerDepartmentId === a1 || everAssigned) inScope.push(problem.id as string);
      }
      expect(inScope.length).toBeGreaterThan(0);
      expect(all.length).toBeGreaterThan(inScope.length);

      // when
      const listed = (await client.listAll(client.tokenOf('departmentA1'))).map((item) => item.id as string);

      // then
      expect([...listed].sort()).toEqual([...inScope].sort());
    });

    it.each([
      ['another office\'s unit (B1)', 'unitB1'],
      ['their own sub-unit (A1a)', 'subUnitA1a'],
    ] as const)('?department= %s answers an empty page and zero counts', async (_name, department) => {
      // given the filter finds problems for someone who may see them
      await client.build({ filedBy: 'inspectorB', inspectionRef: client.freshInspection('INSP-B'), assignedTo: department, stage: 'assigned' });
      const query = { department: org.departments[department] };
      const forAdmin = await client.request(t.adminToken, 'get', '/problems', undefined, query);
      expect(forAdmin.status).toBe(200);
      expect(forAdmin.body.items.length).toBeGreaterThan(0);

      // when
      const forA1 = await client.request(client.tokenOf('departmentA1'), 'get', '/problems', undefined, query);

      // then
      expect({ status: forA1.status, body: forA1.body }).toEqual({ status: 200, body: { items: [], nextCursor: null } });
      const counts = await client.request(client.tokenOf('departmentA1'), 'get', '/problems/counts', undefined, query);
      expect({ status: counts.status, total: counts.body.total }).toEqual({ status: 200, total: 0 });
    });
  });

  describe('history scope: a problem reassigned from A1 to A2', () => {
    it('stays visible to A1 (GET, history, list), but A1 may no longer act on it', async () => {
      // given a problem A1 started rectifying, then reassigned to A2 by the inspector who filed it
      const { id, version } = await client.build({
        filedBy: 'inspectorA',
        inspectionRef: client.freshInspection('INSP-A'),
        assignedTo: 'unitA1',
        stage: 'rectifying.inProgress',
      });
      const reassigned = await client.request(client.tokenOf('inspectorA'), 'post', `/problems/${id}/events`, {
        ...matrixEvent(org, 'REASSIGN', org.departments.unitA2),
        expectedVersion: version,
      });
      expect(reassigned.status).toBe(200);
      expect(reassigned.body).toMatchObject({ stateDetail: 'assigned', departmentId: org.departments.unitA2 });
      const before = await client.footprint(id);
      const a1 = client.tokenOf('departmentA1');

      // when / then: A1 still sees it and its whole history
      const problem = await client.request(a1, 'get', `/problems/${id}`);
      expect(problem.status).toBe(200);
      expect(problem.body).toMatchObject({ id, departmentId: org.departments.unitA2, allowedEvents: [] });
      const history = await client.request(a1, 'get', `/problems/${id}/history`);
      const fullHistory = await client.request(t.adminToken, 'get', `/problems/${id}/history`);
      expect(history.status).toBe(200);
      expect(history.body).toEqual(fullHistory.body);
      expect(history.body.items.map((item: { eventType: string }) => item.eventType)).toEqual(['FILE', 'ASSIGN', 'START', 'REASSIGN']);
      expect((await client.listAll(a1)).map((item) => item.id)).toContain(id);

      // but may no longer act on it
      for (const type of ['START', 'REPORT_PROGRESS', 'SUBMIT'] as const) {
        const refused = await client.request(a1, 'post', `/problems/${id}/events`, matrixEvent(org, type));
        expectApiError(refused, 403, 'AUTH.NOT_YOUR_DEPARTMENT');
      }
      expect(await client.footprint(id)).toEqual(before);

      // while A2, now responsible, may
      const started = await client.request(client.tokenOf('departmentA2'), 'post', `/problems/${id}/events`, matrixEvent(org, 'START'));
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ stateDetail: 'rectifying.inProgress', departmentId: org.departments.unitA2 });
    });
  });
});
