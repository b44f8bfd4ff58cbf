import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../libs/domain/src/index.js';
import type { RectificationEvent } from './rectification.events.js';
import type { RectificationContext } from './rectification.machine.js';
import { deadlineInPast, ruleViolation } from './rectification.rules.js';
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
