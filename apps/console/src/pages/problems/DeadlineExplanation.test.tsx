import { screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeadlineExplanationView } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import { DeadlineExplanation } from './DeadlineExplanation';

const PROBLEM_ID = '00000000-0000-4000-8000-000000000009';

/** Set on Friday 2026-09-25; counted through Friday 2026-10-09: a make-up Sunday, the National Day week, a closure, a suspended day. */
const explanation: DeadlineExplanationView = {
  problemId: PROBLEM_ID,
  state: 'rectifying.inProgress',
  severity: 'major',
  deadline: '2026-10-09T10:00:00.000Z',
  basis: {
    kind: 'policy',
    policyId: 'default',
    policyVersion: 2,
    calendarId: 'cn-mainland',
    calendarVersion: 3,
    from: '2026-09-25T01:00:00.000Z',
    workingDays: 5,
    provisional: false,
  },
  calendar: { id: 'cn-mainland', version: 3, name: 'Mainland China', timeZone: 'Asia/Shanghai' },
  policy: { id: 'default', version: 2, name: 'Safety inspection periods' },
  stampedCalendarAvailable: true,
  originalDeadline: '2026-10-08T10:00:00.000Z',
  extensionCount: 0,
  extensions: [],
  suspensions: [
    {
      from: '2026-09-28T01:00:00.000Z',
      to: '2026-09-29T01:00:00.000Z',
      reason: 'Waiting for parts',
      requestedAt: '2026-09-27T08:00:00.000Z',
      requestedBy: 'user-clerk',
      approvedBy: 'user-supervisor',
      resumedBy: 'user-supervisor',
      workingDays: 1,
      deadlineBefore: '2026-10-08T10:00:00.000Z',
      deadlineAfter: '2026-10-09T10:00:00.000Z',
      skippedWorkingDays: 1,
    },
  ],
  suspended: false,
  pendingRequest: null,
  counting: {
    calendar: { calendarId: 'cn-mainland', calendarVersion: 3 },
    timeZone: 'Asia/Shanghai',
    from: '2026-09-25',
    to: '2026-10-09',
    workingDays: 5,
    counted: [
      { date: '2026-09-27', ordinal: 1, makeUpFor: 'National Day' },
      { date: '2026-09-28', ordinal: 2 },
      { date: '2026-09-30', ordinal: 3 },
      { date: '2026-10-08', ordinal: 4 },
      { date: '2026-10-09', ordinal: 5 },
    ],
    skipped: [
      { date: '2026-09-26', kind: 'weekend' },
      { date: '2026-09-29', kind: 'suspended', name: 'Waiting for parts' },
      ...['01', '02', '03', '04', '05', '06', '07'].map((day) => ({ date: `2026-10-${day}`, kind: 'holiday' as const, name: 'National Day' })),
    ],
    outsideHolidayCoverage: [],
    listedThrough: '2026-10-09',
    later: null,
  },
  notCounted: null,
  elapsedWorkingDays: 3,
  remainingWorkingDays: -1,
  overdue: true,
  clockRunning: true,
  schedule: [
    { kind: 'reminder', workingDaysBefore: 1, at: '2026-10-08T01:00:00.000Z', due: true },
    { kind: 'escalation', level: 1, name: '督办通知书', workingDaysAfterDeadline: 0, recipients: 'departmentHead', at: '2026-10-09T10:00:00.000Z', due: true },
    { kind: 'escalation', level: 2, name: '提醒书', workingDaysAfterDeadline: 3, recipients: 'supervisingOffice', at: '2026-10-14T10:00:00.000Z', due: false },
  ],
  recipients: {
    departmentHead: { departmentId: 'dept-1', departmentName: 'Facilities', headUserId: 'user-head', headName: '王芳' },
    supervisingOffice: { departmentId: 'dept-0', departmentName: 'Safety Office', headUserId: null, headName: null },
    leadership: null,
  },
};

const day = (date: string) => screen.getByRole('cell', { name: new RegExp(`^${date}:`) });

describe('DeadlineExplanation', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('draws each day of the count with why it counts or not, and what is planned', async () => {
    // given Saturday 2026-10-10 10:00 Shanghai (only Date is faked: timers stay real)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-10-10T02:00:00.000Z'));
    vi.stubGlobal('fetch', fakeFetch({ [`GET /problems/${PROBLEM_ID}/deadline`]: () => ({ json: explanation }) }).fetch);

    // when
    renderPage(<DeadlineExplanation problemId={PROBLEM_ID} version={4} />, { role: 'department' });

    // then the figures
    expect(await screen.findByText('Overdue by 1 working days')).toBeTruthy();
    expect(screen.getByText('3 working days')).toBeTruthy();
    expect(screen.getByText(/^5 working days by the policy/)).toBeTruthy();
    expect(screen.getByText('Mainland China (version 3)')).toBeTruthy();
    expect(screen.getByText('Safety inspection periods (version 2)')).toBeTruthy();
    // both months, and every kind of day, each said in words
    expect(screen.getAllByRole('table').filter((table) => table.querySelector('caption')).map((table) => table.querySelector('caption')!.textContent)).toEqual([
      'September 2026',
      'October 2026',
    ]);
    expect(day('2026-09-25').getAttribute('aria-label')).toBe('2026-09-25: not part of the count');
    expect(day('2026-09-26').getAttribute('aria-label')).toBe('2026-09-26: Weekend');
    expect(day('2026-09-27').getAttribute('aria-label')).toBe('2026-09-27: make-up workday (National Day), working day 1');
    expect(day('2026-09-29').getAttribute('aria-label')).toBe('2026-09-29: Clock suspended: Waiting for parts');
    expect(day('2026-10-01').getAttribute('aria-label')).toBe('2026-10-01: Holiday: National Day');
    expect(day('2026-10-09').getAttribute('aria-label')).toBe('2026-10-09: working day 5, deadline');
    expect(day('2026-10-09').textContent).toBe('95');
    expect(day('2026-10-10').getAttribute('aria-label')).toBe('2026-10-10: not part of the count, today');
    // the reminders and escalations, each step by its name in the policy and its level, with where each goes
    const rows = screen.getAllByRole('row').filter((row) => within(row).queryByText(/Reminder|escalation level/));
    expect(rows.map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))).toEqual([
      ['Reminder 1 working days before', '08/10/2026, 09:00', 'Responsible department', 'Due'],
      ['督办通知书 (escalation level 1) · 0 working days after the deadline', '09/10/2026, 18:00', 'Facilities', 'Due'],
      ['提醒书 (escalation level 2) · 3 working days after the deadline', '14/10/2026, 18:00', 'Safety Office', 'Planned'],
    ]);
  });

  it('says so when there is no deadline yet', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ [`GET /problems/${PROBLEM_ID}/deadline`]: () => ({ json: { ...explanation, deadline: null, counting: null, schedule: [] } }) }).fetch,
    );
    renderPage(<DeadlineExplanation problemId={PROBLEM_ID} version={1} />);
    expect(await screen.findByText('No rectification deadline set yet')).toBeTruthy();
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', fakeFetch({ [`GET /problems/${PROBLEM_ID}/deadline`]: () => ({ json: explanation }) }).fetch);
    const { container } = renderPage(<DeadlineExplanation problemId={PROBLEM_ID} version={4} />);
    await screen.findByText('Overdue by 1 working days');
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
