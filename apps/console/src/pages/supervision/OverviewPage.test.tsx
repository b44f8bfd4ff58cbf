import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LedgerSummaryGroup, ProblemView } from '../../api/views';
import { aProblem } from '../../../test/fixtures';
import { fakeFetch, renderPage } from '../../../test/render';
import OverviewPage from './OverviewPage';

const group = (key: string | null, name: string, figures: Partial<LedgerSummaryGroup>): LedgerSummaryGroup => ({
  groupBy: key === null && name === 'all' ? 'all' : 'department',
  key,
  name,
  total: 0,
  closed: 0,
  open: 0,
  overdue: 0,
  cancelled: 0,
  onTime: 0,
  onTimeAfterExtension: 0,
  late: 0,
  onTimeRate: null,
  onTimeRateDenominator: 0,
  averageWorkingDaysToClose: null,
  extensions: 0,
  reworkRounds: 0,
  ...figures,
});

const problem = (n: number, deadlineState: ProblemView['deadlineState']): ProblemView =>
  aProblem(n, { title: `Blocked fire exit ${n}`, stateDetail: 'rectifying', departmentId: 'dept-2', deadline: '2026-03-02T09:00:00.000Z', deadlineState });

/** The value a Statistic shows under its title. */
function statistic(title: string): string {
  const titles = [...document.querySelectorAll('.ant-statistic-title')].filter((element) => element.textContent === title);
  expect(titles).toHaveLength(1);
  return titles[0].closest('.ant-statistic')?.querySelector('.ant-statistic-content')?.textContent ?? '';
}

function server() {
  const fake = fakeFetch({
    'GET /problems/counts': () => ({
      json: { total: 17, byState: { found: 2, assigned: 3, rectifying: 7, verified: 1, closed: 3, cancelled: 1 }, byLight: { green: 5, yellow: 2, red: 2, black: 1 } },
    }),
    'GET /ledger/summary': () => ({
      json: {
        onTimeRateDefinition: '…',
        all: group(null, 'all', { total: 17, open: 13, overdue: 4, closed: 3, onTimeRate: 0.6667 }),
        byDepartment: [
          group('dept-2', 'Maintenance', { total: 9, open: 6, overdue: 3, closed: 2, onTimeRate: 0.5, averageWorkingDaysToClose: 4.5 }),
          group(null, 'unassigned', { total: 2, open: 2 }),
        ],
        byInspection: [],
      },
    }),
    // The three lists differ only in their query: answer by the deadline state or request asked for.
    'GET /problems': () => {
      const asked = new URLSearchParams(fake.calls.at(-1)!.path.split('?')[1]);
      if (asked.get('pendingRequest') === 'any') return { json: { items: [problem(3, 'onTrack')], nextCursor: null } };
      return asked.get('deadlineState') === 'escalated'
        ? { json: { items: Array.from({ length: 20 }, (_, n) => problem(100 + n, 'escalated')), nextCursor: problem(119, 'escalated').id } }
        : { json: { items: [problem(1, 'overdue'), problem(2, 'overdue')], nextCursor: null } };
    },
    'GET /departments': () => ({ json: { items: [{ id: 'dept-2', name: 'Maintenance', parentId: null, active: true }] } }),
  });
  return fake;
}

describe('OverviewPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the counts per state, the deadline picture and each department', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<OverviewPage />, { role: 'supervisor' });

    // then the state counts
    await waitFor(() => expect(statistic('Rectifying')).toBe('7'), { timeout: 15_000 });
    expect(statistic('All problems')).toBe('17');
    expect(statistic('Found')).toBe('2');
    expect(statistic('Closed')).toBe('3');
    // the traffic lights, each leading to its list
    expect(statistic('● Red')).toBe('2');
    expect(statistic('● Black')).toBe('1');
    expect(screen.getByRole('link', { name: 'Black' }).getAttribute('href')).toBe('/problems?light=black&sort=deadline');
    // the deadline picture: an exact count when the list is whole, "20+" when it has another page
    await waitFor(() => expect(statistic('Escalated')).toBe('20+'), { timeout: 15_000 });
    expect(statistic('Overdue')).toBe('2');
    // each leads to its whole list, earliest deadline first
    expect(screen.getByRole('link', { name: 'Overdue' }).getAttribute('href')).toBe('/problems?deadlineState=overdue&sort=deadline');
    expect(screen.getByRole('link', { name: 'Escalated' }).getAttribute('href')).toBe('/problems?deadlineState=escalated&sort=deadline');
    // the requests waiting for the office's decision, and the list of them
    expect(statistic('Requests to decide')).toBe('1');
    expect(screen.getByRole('link', { name: 'Requests to decide' }).getAttribute('href')).toBe('/problems?pendingRequest=any');
    // the ledger summary's figures, which come after the counts and lists
    await waitFor(() => expect(statistic('Open and overdue')).toBe('4'), { timeout: 15_000 });
    expect(statistic('On-time rate')).toBe('66.7%');
    // the overdue list, earliest deadline first, as the server sorts it
    await screen.findByText('Blocked fire exit 1', {}, { timeout: 15_000 });
    expect(screen.getByRole('link', { name: 'Blocked fire exit 1' }).getAttribute('href')).toBe(`/problems/${problem(1, 'overdue').id}`);
    expect(screen.getByText('Showing the 20 with the earliest deadlines')).toBeTruthy();
    // the department table
    const maintenance = screen.getAllByRole('row').find((row) => within(row).queryByRole('link', { name: 'Maintenance' }));
    expect(maintenance).toBeTruthy();
    expect(within(maintenance!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['Maintenance', '9', '6', '3', '2', '50.0%', '4.5']);
    expect(within(maintenance!).getByRole('link', { name: '2' }).getAttribute('href')).toBe('/problems?department=dept-2&state=closed');
    expect(screen.getByRole('cell', { name: 'Not assigned' })).toBeTruthy();

    // six requests, all the overview needs
    expect(fake.calls.map((call) => call.path).sort()).toEqual([
      '/departments',
      '/ledger/summary',
      '/problems/counts',
      '/problems?deadlineState=escalated&sort=deadline&limit=20',
      '/problems?deadlineState=overdue&sort=deadline&limit=20',
      '/problems?pendingRequest=any&limit=20',
    ]);
    // the summary walks every problem in scope: asked last, once the counts and lists are answered
    expect(fake.calls.at(-1)!.path).toBe('/ledger/summary');
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', server().fetch);
    const { container } = renderPage(<OverviewPage />, { role: 'supervisor' });
    await screen.findByText('Blocked fire exit 1', {}, { timeout: 15_000 });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 90_000);
});
