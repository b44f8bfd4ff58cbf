import { describe, expect, it } from '@jest/globals';
import { type Actor, DomainError, ForbiddenEventError, NotYourDepartmentError, ROLES, type Role } from '../../libs/domain/src/index.js';
import { RECTIFICATION_EVENT_TYPES, type RectificationEventType } from './rectification.events.js';
import { EVENT_PERMISSIONS, FILING_ROLES, mayFile, permissionError } from './rectification.permissions.js';

const OWN_DEPARTMENT = 'dept-own';
const OTHER_DEPARTMENT = 'dept-other';

function actor(role: Role, departmentId: string | null = role === 'department' ? OWN_DEPARTMENT : null): Actor {
  return { userId: `${role}-1`, name: `A ${role}`, role, departmentId };
}

const Y = 'allowed';
const N = 'AUTH.FORBIDDEN';
type Outcome = typeof Y | typeof N;

// Who may send what, written out independently of EVENT_PERMISSIONS so a change to either shows up here.
// The department user acts on a problem of its own department.
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
];

const ROLE_COLUMNS = ['inspector', 'department', 'supervisor', 'admin'] as const satisfies readonly Role[];

const CASES = MATRIX.flatMap(([event, ...outcomes]) =>
  ROLE_COLUMNS.map((role, column) => [event, role, outcomes[column]] as const),
);

describe(permissionError.name, () => {
  it('the matrix covers every event × role', () => {
    expect(MATRIX.map(([event]) => event)).toEqual([...RECTIFICATION_EVENT_TYPES]);
    expect([...ROLE_COLUMNS].sort()).toEqual([...ROLES].sort());
    expect(CASES).toHaveLength(40);
  });

  it.each(CASES)('%s by %s -> %s', (event, role, outcome) => {
    // given a problem assigned to the department user's own department
    const problem = { departmentId: OWN_DEPARTMENT };

    // when
    const error = permissionError(actor(role), event, problem);

    // then it agrees with the matrix and with the data the API derives allowedEvents from
    expect(EVENT_PERMISSIONS[event].includes(role)).toBe(outcome === Y);
    if (outcome === Y) {
      expect(error).toBeNull();
    } else {
      expect(error).toBeInstanceOf(ForbiddenEventError);
      expect(error?.code).toBe('AUTH.FORBIDDEN');
      expect(error?.details).toEqual({ role, event, allowedRoles: [...EVENT_PERMISSIONS[event]] });
      expect(error?.message).toContain(event);
    }
  });

  describe('own-department rule', () => {
    const DEPARTMENT_EVENTS = RECTIFICATION_EVENT_TYPES.filter((event) => EVENT_PERMISSIONS[event].includes('department'));

    it('applies to the rectifying events', () => {
      expect(DEPARTMENT_EVENTS).toEqual(['START', 'REPORT_PROGRESS', 'SUBMIT']);
    });

    it.each(DEPARTMENT_EVENTS)('%s by a user of another department -> AUTH.NOT_YOUR_DEPARTMENT', (event) => {
      const error = permissionError(actor('department', OTHER_DEPARTMENT), event, { departmentId: OWN_DEPARTMENT });

      expect(error).toBeInstanceOf(NotYourDepartmentError);
      expect(error?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it.each(DEPARTMENT_EVENTS)('%s by a department user without a department -> AUTH.NOT_YOUR_DEPARTMENT', (event) => {
      const error = permissionError(actor('department', null), event, { departmentId: OWN_DEPARTMENT });

      expect(error?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it.each(DEPARTMENT_EVENTS)('%s on an unassigned problem -> AUTH.NOT_YOUR_DEPARTMENT', (event) => {
      const error = permissionError(actor('department'), event, { departmentId: null });

      expect(error?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it('a user without a department gets nothing from an unassigned problem (null is not a match)', () => {
      const error = permissionError(actor('department', null), 'START', { departmentId: null });

      expect(error?.code).toBe('AUTH.NOT_YOUR_DEPARTMENT');
    });

    it('the role check comes first: a department user sending ASSIGN is forbidden, whatever the department', () => {
      const error = permissionError(actor('department', OTHER_DEPARTMENT), 'ASSIGN', { departmentId: OWN_DEPARTMENT });

      expect(error?.code).toBe('AUTH.FORBIDDEN');
    });

    it.each(['inspector', 'supervisor', 'admin'] as const)('does not bind %s to a department', (role) => {
      // given a user who belongs to some department, and a problem of another one or of none
      const user = actor(role, OTHER_DEPARTMENT);

      // then only the role decides
      expect(permissionError(user, 'CANCEL', { departmentId: OWN_DEPARTMENT })).toBeNull();
      expect(permissionError(user, 'CANCEL', { departmentId: null })).toBeNull();
    });

    it('returns a DomainError, never throws', () => {
      expect(() => permissionError(actor('department', null), 'SUBMIT', { departmentId: null })).not.toThrow();
      expect(permissionError(actor('department', null), 'SUBMIT', { departmentId: null })).toBeInstanceOf(DomainError);
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
