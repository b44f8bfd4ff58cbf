import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import type { RectificationEvent } from './rectification.events.js';
import type { RectificationContext } from './rectification.context.js';
import { DEFAULT_DEADLINE_HORIZON_YEARS, deadlineInPast, deadlineOutOfRange, latestDeadline, ruleViolation } from './rectification.rules.js';
import { startRectification } from './rectification.workflow.js';

const NOW = new Date('2026-03-02T08:00:00.000Z');
const stamp = { at: NOW.toISOString(), actorId: 'inspector-1' };

function context(overrides: Partial<RectificationContext> = {}): RectificationContext {
  const { context: initial } = startRectification({
    problemId: 'p-1',
    severity: 'general',
    filedBy: 'inspector-1',
    filedAt: '2026-03-01T00:00:00.000Z',
  });
  return { ...initial, ...overrides };
}

describe(ruleViolation.name, () => {
  describe('ASSIGN', () => {
    it('requires a deadline when none was set at filing -> PROBLEM.DEADLINE_REQUIRED', () => {
      // given a problem filed without a deadline
      const ctx = context({ deadline: null });

      // when it is assigned without one
      const error = ruleViolation(ctx, { type: 'ASSIGN', departmentId: 'dept-a', ...stamp }, NOW);

      // then
      expect(error).toBeInstanceOf(DomainError);
      expect(error?.code).toBe('PROBLEM.DEADLINE_REQUIRED');
      expect(error?.details).toEqual({ field: 'deadline' });
    });

    it('accepts no deadline when the filing set one', () => {
      const ctx = context({ deadline: '2026-04-01T00:00:00.000Z' });

      expect(ruleViolation(ctx, { type: 'ASSIGN', departmentId: 'dept-a', ...stamp }, NOW)).toBeNull();
    });

    it('accepts a future deadline', () => {
      const event: RectificationEvent = { type: 'ASSIGN', departmentId: 'dept-a', deadline: '2026-03-02T08:00:00.001Z', ...stamp };

      expect(ruleViolation(context(), event, NOW)).toBeNull();
    });

    it.each([
      ['in the past', '2026-03-01T00:00:00.000Z'],
      ['exactly now', NOW.toISOString()],
    ])('rejects a deadline %s -> PROBLEM.DEADLINE_IN_PAST', (_label, deadline) => {
      // given a filing deadline that would otherwise satisfy the requirement
      const ctx = context({ deadline: '2026-04-01T00:00:00.000Z' });

      const error = ruleViolation(ctx, { type: 'ASSIGN', departmentId: 'dept-a', deadline, ...stamp }, NOW);

      expect(error?.code).toBe('PROBLEM.DEADLINE_IN_PAST');
      expect(error?.details).toEqual({ field: 'deadline' });
      expect(error?.message).toContain(deadline);
    });

    it('refuses an ASSIGN without deadline when the filing deadline has passed since -> PROBLEM.DEADLINE_IN_PAST', () => {
      // given a filing deadline that has passed by the time the problem is assigned
      const ctx = context({ deadline: '2026-03-01T00:00:00.000Z' });
      // when assigning without a new deadline
      const error = ruleViolation(ctx, { type: 'ASSIGN', departmentId: 'dept-a', ...stamp }, NOW);
      // then the caller is told to give a new one
      expect(error?.code).toBe('PROBLEM.DEADLINE_IN_PAST');
    });

    it('checks the past deadline even when no filing deadline exists', () => {
      const event: RectificationEvent = { type: 'ASSIGN', departmentId: 'dept-a', deadline: '2020-01-01T00:00:00.000Z', ...stamp };

      expect(ruleViolation(context({ deadline: null }), event, NOW)?.code).toBe('PROBLEM.DEADLINE_IN_PAST');
    });
  });

  describe('REASSIGN', () => {
    it('to the same department -> PROBLEM.SAME_DEPARTMENT', () => {
      const ctx = context({ departmentId: 'dept-a' });

      const error = ruleViolation(ctx, { type: 'REASSIGN', departmentId: 'dept-a', reason: 'again', ...stamp }, NOW);

      expect(error?.code).toBe('PROBLEM.SAME_DEPARTMENT');
      expect(error?.details).toEqual({ field: 'departmentId' });
    });

    it('to another department is fine', () => {
      const ctx = context({ departmentId: 'dept-a' });

      expect(ruleViolation(ctx, { type: 'REASSIGN', departmentId: 'dept-b', reason: 'wrong one', ...stamp }, NOW)).toBeNull();
    });
  });

  describe('RECOUNT_DEADLINE', () => {
    const counted = {
      kind: 'policy' as const,
      policyId: 'default',
      policyVersion: 1,
      calendarId: 'CN',
      calendarVersion: 1,
      from: '2026-03-02T01:00:00.000Z',
      workingDays: 10,
      provisional: false,
    };
    const recount: RectificationEvent = {
      type: 'RECOUNT_DEADLINE',
      reason: 'a closure was added',
      deadline: '2026-03-16T10:00:00.000Z',
      deadlineBasis: { ...counted, calendarVersion: 2 },
      ...stamp,
    };
    const extension = {
      from: '2026-03-16T10:00:00.000Z',
      to: '2026-04-30T10:00:00.000Z',
      reason: 'parts are late',
      requestedAt: '2026-03-04T02:00:00.000Z',
      requestedBy: 'dept-user',
      approvedAt: '2026-03-05T02:00:00.000Z',
      approvedBy: 'supervisor-1',
      clockBefore: { remindersSent: 0, overdueSince: null, escalationLevel: 0 },
    };
    const suspension = (workingDays: number | null, to: string | null = '2026-03-10T02:00:00.000Z') => ({
      from: '2026-03-04T02:00:00.000Z',
      to,
      reason: 'waiting for the fire brigade',
      requestedAt: '2026-03-03T02:00:00.000Z',
      requestedBy: 'dept-user',
      approvedBy: 'supervisor-1',
      resumedBy: to === null ? null : 'dept-user',
      workingDays,
      deadlineBefore: '2026-03-16T10:00:00.000Z',
      deadlineAfter: to === null ? null : '2026-03-20T10:00:00.000Z',
    });

    it('recounts a policy deadline on a newer calendar version', () => {
      expect(ruleViolation(context({ deadline: '2026-03-16T10:00:00.000Z', deadlineBasis: counted }), recount, NOW)).toBeNull();
    });

    it('an explicit deadline -> PROBLEM.DEADLINE_NOT_FROM_POLICY', () => {
      const ctx = context({ deadline: '2026-03-16T10:00:00.000Z', deadlineBasis: { kind: 'explicit', setAt: counted.from } });

      expect(ruleViolation(ctx, recount, NOW)?.code).toBe('PROBLEM.DEADLINE_NOT_FROM_POLICY');
    });

    it('a deadline an approved extension moved -> PROBLEM.DEADLINE_NOT_FROM_POLICY (recounting would undo the extension)', () => {
      // given a policy deadline that an extension moved to 04-30 (its basis is still the policy's count)
      const ctx = context({ deadline: extension.to, deadlineBasis: counted, extensionCount: 1, extensions: [extension] });

      // when it is recounted on a newer calendar version
      const error = ruleViolation(ctx, recount, NOW);

      // then it is refused: recounting from the count's start would bring back 03-16
      expect(error?.code).toBe('PROBLEM.DEADLINE_NOT_FROM_POLICY');
      expect(error?.details).toEqual({ basis: 'policy', movedBy: 'extension' });
      expect(error?.message).toContain(extension.approvedAt);
    });

    it('a deadline a suspension moved -> PROBLEM.DEADLINE_NOT_FROM_POLICY (recounting would drop the suspended days)', () => {
      const ctx = context({ deadline: '2026-03-20T10:00:00.000Z', deadlineBasis: counted, suspensions: [suspension(4)] });

      const error = ruleViolation(ctx, recount, NOW);

      expect(error?.code).toBe('PROBLEM.DEADLINE_NOT_FROM_POLICY');
      expect(error?.details).toEqual({ basis: 'policy', movedBy: 'suspension', suspendedWorkingDays: 4 });
    });

    it.each([
      ['covered no working day', suspension(0)],
      ['is still open', suspension(null, null)],
    ])('a suspension that %s leaves the deadline recountable', (_label, record) => {
      const ctx = context({ deadline: '2026-03-16T10:00:00.000Z', deadlineBasis: counted, suspensions: [record] });

      expect(ruleViolation(ctx, recount, NOW)).toBeNull();
    });

    it('extensions and suspensions from before the deadline was counted (e.g. before a REOPEN) do not matter', () => {
      // given a deadline counted by the policy after the problem was reopened, long after an old extension and suspension
      const reopened = { ...counted, from: '2026-06-01T01:00:00.000Z' };
      const ctx = context({ deadline: '2026-06-15T10:00:00.000Z', deadlineBasis: reopened, extensions: [extension], suspensions: [suspension(4)] });

      expect(ruleViolation(ctx, { ...recount, deadlineBasis: { ...reopened, calendarVersion: 2 } }, NOW)).toBeNull();
    });

    it('on the calendar version it was counted with -> PROBLEM.DEADLINE_ALREADY_CURRENT', () => {
      const ctx = context({ deadline: '2026-03-16T10:00:00.000Z', deadlineBasis: counted });

      expect(ruleViolation(ctx, { ...recount, deadlineBasis: counted }, NOW)?.code).toBe('PROBLEM.DEADLINE_ALREADY_CURRENT');
    });
  });

  it.each<RectificationEvent>([
    { type: 'START', measures: 'm', responsiblePerson: 'r', plannedCompletionDate: '2020-01-01', ...stamp },
    { type: 'REPORT_PROGRESS', note: 'n', ...stamp },
    { type: 'SUBMIT', summary: 's', ...stamp },
    { type: 'APPROVE', comment: 'c', ...stamp },
    { type: 'REJECT', reason: 'r', ...stamp },
    { type: 'CLOSE', comment: 'c', ...stamp },
    { type: 'CANCEL', reason: 'r', ...stamp },
    { type: 'REOPEN', reason: 'r', ...stamp },
  ])('has no rule for $type', (event) => {
    expect(ruleViolation(context({ departmentId: 'dept-a', deadline: null }), event, NOW)).toBeNull();
  });
});

describe(deadlineInPast.name, () => {
  it.each([
    ['no deadline', undefined, null],
    ['one ms before now', '2026-03-02T07:59:59.999Z', 'PROBLEM.DEADLINE_IN_PAST'],
    ['exactly now', '2026-03-02T08:00:00.000Z', 'PROBLEM.DEADLINE_IN_PAST'],
    ['one ms after now', '2026-03-02T08:00:00.001Z', null],
    ['with an offset, after now', '2026-03-02T16:30:00+08:00', null],
    ['with an offset, before now', '2026-03-02T15:30:00+08:00', 'PROBLEM.DEADLINE_IN_PAST'],
  ] as const)('%s -> %s', (_label, deadline, code) => {
    const error = deadlineInPast(deadline, NOW);

    expect(error?.code ?? null).toBe(code);
  });

  it('names the deadline and now in its message', () => {
    const error = deadlineInPast('2026-01-01T00:00:00.000Z', NOW);

    expect(error?.message).toContain('2026-01-01T00:00:00.000Z');
    expect(error?.message).toContain(NOW.toISOString());
  });
});

describe(deadlineOutOfRange.name, () => {
  // NOW is 2026-03-02T08:00Z: with the default horizon of 5 years the latest deadline is 2031-03-02T08:00Z.
  it.each([
    ['no deadline', undefined, null],
    ['in the past', '2026-03-01T00:00:00.000Z', 'PROBLEM.DEADLINE_IN_PAST'],
    ['year 0000', '0000-01-01T00:00:00.000Z', 'PROBLEM.DEADLINE_IN_PAST'],
    ['tomorrow', '2026-03-03T08:00:00.000Z', null],
    ['exactly at the horizon', '2031-03-02T08:00:00.000Z', null],
    ['one ms beyond the horizon', '2031-03-02T08:00:00.001Z', 'PROBLEM.DEADLINE_TOO_FAR'],
    ['in year 9998', '9998-06-01T00:00:00.000Z', 'PROBLEM.DEADLINE_TOO_FAR'],
    ['at the end of year 9999', '9999-12-31T23:59:59.999Z', 'PROBLEM.DEADLINE_TOO_FAR'],
    ['beyond year 9999', '+275760-09-13T00:00:00.000Z', 'PROBLEM.DEADLINE_TOO_FAR'],
  ] as const)('%s -> %s', (_label, deadline, code) => {
    expect(deadlineOutOfRange(deadline, NOW)?.code ?? null).toBe(code);
  });

  it('names the latest deadline allowed and the setting, and the field', () => {
    // when
    const error = deadlineOutOfRange('9999-12-31T23:59:59.999Z', NOW, 5, 'proposedDeadline');

    // then
    expect(error?.details).toEqual({ field: 'proposedDeadline', latestDeadline: '2031-03-02T08:00:00.000Z', horizonYears: 5 });
    expect(error?.message).toContain('2031-03-02T08:00:00.000Z');
    expect(error?.message).toContain('DEADLINE_HORIZON_YEARS');
  });

  it('follows the horizon it is given', () => {
    expect(deadlineOutOfRange('2027-03-02T08:00:00.001Z', NOW, 1)?.code).toBe('PROBLEM.DEADLINE_TOO_FAR');
    expect(deadlineOutOfRange('2027-03-02T08:00:00.000Z', NOW, 1)).toBeNull();
    expect(deadlineOutOfRange('2040-01-01T00:00:00.000Z', NOW, 20)).toBeNull();
  });
});

describe(latestDeadline.name, () => {
  it('is now plus the horizon in calendar years (UTC), a leap day landing on 1 March', () => {
    expect(latestDeadline(NOW, DEFAULT_DEADLINE_HORIZON_YEARS).toISOString()).toBe('2031-03-02T08:00:00.000Z');
    expect(latestDeadline(new Date('2028-02-29T12:00:00.000Z'), 1).toISOString()).toBe('2029-03-01T12:00:00.000Z');
  });
});

describe('ruleViolation: the deadline horizon', () => {
  const far = '9998-06-01T00:00:00.000Z';

  it.each<[string, RectificationEvent, string]>([
    ['ASSIGN', { type: 'ASSIGN', departmentId: 'dept-a', deadline: far, ...stamp }, 'deadline'],
    ['REQUEST_EXTENSION', { type: 'REQUEST_EXTENSION', reason: 'r', proposedDeadline: far, ...stamp }, 'proposedDeadline'],
    ['APPROVE_EXTENSION', { type: 'APPROVE_EXTENSION', deadline: far, ...stamp }, 'deadline'],
  ])('refuses %s with a deadline beyond the horizon -> PROBLEM.DEADLINE_TOO_FAR', (_type, event, field) => {
    // given a problem with the department, its deadline in a month
    const ctx = context({ departmentId: 'dept-a', deadline: '2026-04-01T00:00:00.000Z' });

    // when / then
    expect(ruleViolation(ctx, event, NOW)).toMatchObject({ code: 'PROBLEM.DEADLINE_TOO_FAR', details: { field } });
  });

  it('refuses an ASSIGN keeping a filing deadline beyond a horizon shortened since', () => {
    const ctx = context({ deadline: '2029-01-01T00:00:00.000Z' });

    expect(ruleViolation(ctx, { type: 'ASSIGN', departmentId: 'dept-a', ...stamp }, NOW, 1)?.code).toBe('PROBLEM.DEADLINE_TOO_FAR');
    expect(ruleViolation(ctx, { type: 'ASSIGN', departmentId: 'dept-a', ...stamp }, NOW)).toBeNull();
  });
});
