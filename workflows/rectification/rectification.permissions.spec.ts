import { describe, expect, it } from '@jest/globals';
import { type Actor, DomainError, ForbiddenEventError, NotYourDepartmentError, ROLES, type Role } from '#domain';
import { RECTIFICATION_EVENT_TYPES, type RectificationEventType } from './rectification.events.js';
import {
  EVENT_PERMISSIONS,
  FILING_ROLES,
  mayFile,
  type PermissionFacts,
  permissionError,
  rolesFor,
} from './rectification.permissions.js';

const OWN_DEPARTMENT = 'dept-own';
const OTHER_DEPARTMENT = 'dept-other';

function actor(role: Role, departmentId: string | null = role === 'department' ? OWN_DEPARTMENT : null): Actor {
  return { userId: `${role}-1`, name: `A ${role}`, role, departmentId };
}

/** A problem for which every relation holds for the actor: filed by them, their department's, supervised by them. */
function related(who: Actor, overrides: Partial<PermissionFacts> = {}): PermissionFacts {
  return { departmentId: OWN_DEPARTMENT, filedBy: who.userId, supervisedByActor: who.role === 'supervisor', ...overrides };
}

const Y = 'allowed';
const N = 'AUTH.FORBIDDEN';
type Outcome = typeof Y | typeof N;

// Who may send what when the relation holds, written out independently of EVENT_PERMISSIONS so a change to
// either shows up here.
//                                                     inspector department supervisor admin
const MATRIX: ReadonlyArray<readonly [RectificationEventType, Outcome, Outcome, Outcome, Outcome]> = [
  ['ASSIGN', /*           */ Y, N, Y, Y],
  ['REASSIGN', /*         */ Y, N, Y, Y],
  ['START', /*            */ N, Y, N, N],
  ['REPORT_PROGRESS', /*  */ N, Y, N, N],
  ['SUBMIT', /*           */ N, Y, N, N],
  ['APPROVE', /*          */ Y, N, Y, N],
  ['REJECT', /*           */ Y, N, Y, N],
  ['CLOSE', /*            */ N, N, Y, N],
  ['CANCEL', /*           */ Y, N, Y, Y],
  ['REOPEN', /*           */ Y, N, Y, N],
  ['REQUEST_EXTENSION', /**/ N, Y, N, N],
  ['APPROVE_EXTENSION', /**/ N, N, Y, N],
  ['REJECT_EXTENSION', /* */ N, N, Y, N],
  ['REQUEST_SUSPENSION', /**/ N, Y, N, N],
  ['APPROVE_SUSPENSION', /**/ N, N, Y, N],
  ['REJECT_SUSPENSION', /**/ N, N, Y, N],
  ['RESUME', /*           */ N, Y, Y, N],
  ['RECOUNT_DEADLINE', /* */ N, N, Y, Y],
];

const ROLE_COLUMNS = ['inspector', 'department', 'supervisor', 'admin'] as const satisfies readonly Role[];

const CASES = MATRIX.flatMap(([event, ...outcomes]) =>
  ROLE_COLUMNS.map((role, column) => [event, role, outcomes[column]] as const),
);

describe(permissionError.name, () => {
  it('the matrix covers every event × role', () => {
    expect(MATRIX.map(([event]) => event)).toEqual([...RECTIFICATION_EVENT_TYPES]);
    expect([...ROLE_COLUMNS].sort()).toEqual([...ROLES].sort());
    expect(CASES).toHaveLength(18 * 4);
  });

  it.each(CASES)('%s by %s (relation holding) -> %s', (event, role, outcome) => {
    // given a problem the caller is related to in every way
    const who = actor(role);

    // when
    const error = permissionError(who, event, related(who));

    // then it agrees with the matrix and with the data the API derives allowedEvents from
    expect(rolesFor(event).includes(role)).toBe(outcome === Y);
    if (outcome === Y) {
      expect(error).toBeNull();
    } else {
      expect(error).toBeInstanceOf(ForbiddenEventError);
      expect(error?.code).toBe('AUTH.FORBIDDEN');
      expect(error?.details).toEqual({ role, event, allowedRoles: rolesFor(event) });
      expect(error?.message).toContain(event);
    }
  });

  describe('relations', () => {
    // Each permitted role × event, with the relation it needs, listed by hand.
    const RELATION_TABLE: ReadonlyArray<readonly [RectificationEventType, Role, string]> = [
      ['ASSIGN', 'inspector', 'filer'], ['ASSIGN', 'supervisor', 'supervising'], ['ASSIGN', 'admin', 'any'],
      ['REASSIGN', 'inspector', 'filer'], ['REASSIGN', 'supervisor', 'supervising'], ['REASSIGN', 'admin', 'any'],
      ['START', 'department', 'responsibleDepartment'],
      ['REPORT_PROGRESS', 'department', 'responsibleDepartment'],
      ['SUBMIT', 'department', 'responsibleDepartment'],
      ['APPROVE', 'inspector', 'filer'], ['APPROVE', 'supervisor', 'supervising'],
      ['REJECT', 'inspector', 'filer'], ['REJECT', 'supervisor', 'supervising'],
      ['CLOSE', 'supervisor', 'supervising'],
      ['CANCEL', 'inspector', 'filer'], ['CANCEL', 'supervisor', 'supervising'], ['CANCEL', 'admin', 'any'],
      ['REOPEN', 'inspector', 'filer'], ['REOPEN', 'supervisor', 'supervising'],
      ['REQUEST_EXTENSION', 'department', 'responsibleDepartment'],
      ['APPROVE_EXTENSION', 'supervisor', 'supervising'],
      ['REJECT_EXTENSION', 'supervisor', 'supervising'],
      ['REQUEST_SUSPENSION', 'department', 'responsibleDepartment'],
      ['APPROVE_SUSPENSION', 'supervisor', 'supervising'],
      ['REJECT_SUSPENSION', 'supervisor', 'supervising'],
      ['RESUME', 'department', 'responsibleDepartment'], ['RESUME', 'supervisor', 'supervising'],
      ['RECOUNT_DEADLINE', 'supervisor', 'supervising'], ['RECOUNT_DEADLINE', 'admin', 'any'],
    ];

    it('the relation table says the same as EVENT_PERMISSIONS', () => {
      const fromData = RECTIFICATION_EVENT_TYPES.flatMap((event) =>
        EVENT_PERMISSIONS[event].map((rule) => [event, rule.role, rule.relation] as const),
      );
      expect(fromData).toEqual(RELATION_TABLE);
    });

    it.each(RELATION_TABLE.filter(([, , relation]) => relation === 'filer'))(
      '%s by an %s who did not file the problem -> AUTH.NOT_YOUR_PROBLEM',
      (event, role) => {
        const who = actor(role);
        const error = permissionError(who, event, related(who, { filedBy: 'someone-else' }));
        expect(error?.code).toBe('AUTH.NOT_YOUR_PROBLEM');
        expect(error?.details).toEqual({ event, relation: 'filer' });
      },
    );

    it.each(RELATION_TABLE.filter(([, , relation]) => relation === 'supervising'))(
      '%s by a %s not over the problem\'s department -> AUTH.NOT_YOUR_PROBLEM',
      (event, role) => {
        const who = actor(role, OTHER_DEPARTMENT);
        const error = permissionError(who, event, related(who, { supervisedByActor: false, filedBy: who.userId }));
        expect(error?.code).toBe('AUTH.NOT_YOUR_PROBLEM');
      },
    );

    it.each(RELATION_TABLE.filter(([, , relation]) => relation === 'any'))('%s by an %s needs no relation', (event, role) => {
      const who = actor(role);
      expect(permissionError(who, event, { departmentId: OTHER_DEPARTMENT, filedBy: 'x', supervisedByActor: false })).toBeNull();
    });
  });

  describe('own-department rule', () => {
    const DEPARTMENT_EVENTS = RECTIFICATION_EVENT_TYPES.filter((event) => rolesFor(event).includes('department'));

    it('applies to the rectifying events and to asking for more time or a suspension', () => {
      expect(DEPARTMENT_EVENTS).toEqual(['START', 'REPORT_PROGRESS', 'SUBMIT', 'REQUEST_EXTENSION', 'REQUEST_SUSPENSION', 'RESUME']);
    });

    it('nobody moves their own clock: a department user may not decide on an extension or suspension, nor recount the deadline', () => {
      const who = actor('department');
      for (const event of ['APPROVE_EXTENSION', 'REJECT_EXTENSION', 'APPROVE_SUSPENSION', 'REJECT_SUSPENSION', 'RECOUNT_DEADLINE'] as const) {
        expect(permissionError(who, event, related(who))?.code).toBe('AUTH.FORBIDDEN');
      }
    });

    it.each(DEPARTMENT_EVENTS)('%s by a user of another department -> AUTH.NOT_YOUR_DEPARTMENT', (event) => {
      const who = actor('department', OTHER_DEPARTMENT);
      const error = permissionError(who, event, related(who, { departmentId: OWN_DEPARTMENT }));

      expect(error).toBeInstanceOf(NotYourDepartmentError);
      expect(error?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it.each(DEPARTMENT_EVENTS)('%s by a department user without a department -> AUTH.NOT_YOUR_DEPARTMENT', (event) => {
      const who = actor('department', null);
      expect(permissionError(who, event, related(who))?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it.each(DEPARTMENT_EVENTS)('%s on an unassigned problem -> AUTH.NOT_YOUR_DEPARTMENT', (event) => {
      const who = actor('department');
      expect(permissionError(who, event, related(who, { departmentId: null }))?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it('a user without a department gets nothing from an unassigned problem (null is not a match)', () => {
      const who = actor('department', null);
      expect(permissionError(who, 'START', related(who, { departmentId: null }))?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it('the role check comes first: a department user sending ASSIGN is forbidden, whatever the department', () => {
      const who = actor('department', OTHER_DEPARTMENT);
      expect(permissionError(who, 'ASSIGN', related(who))?.code).toBe('AUTH.FORBIDDEN');
    });

    it('returns a DomainError, never throws', () => {
      const who = actor('department', null);
      expect(() => permissionError(who, 'SUBMIT', related(who, { departmentId: null }))).not.toThrow();
      expect(permissionError(who, 'SUBMIT', related(who, { departmentId: null }))).toBeInstanceOf(DomainError);
    });
  });
});

describe(mayFile.name, () => {
  it.each([
    ['inspector', true],
    ['department', false],
    ['supervisor', true],
    ['admin', true],
  ] as const)('%s may file: %s', (role, expected) => {
    expect(mayFile(actor(role))).toBe(expected);
    expect(FILING_ROLES.includes(role)).toBe(expected);
  });
});
