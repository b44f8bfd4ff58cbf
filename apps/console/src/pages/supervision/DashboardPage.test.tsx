import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import dayjs from 'dayjs';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DashboardView, RankingView } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import DashboardPage from './DashboardPage';

// ECharts draws into a canvas-less jsdom poorly; the charts are checked by what the page gives them (their data and
// where a click goes) through a stand-in, and drawn for real by the browser test.
const charts = vi.hoisted(() => [] as Array<{ option: Record<string, unknown>; click?: (params: { seriesIndex: number; dataIndex: number }) => void }>);
vi.mock('./echarts-setup', () => ({
  echarts: {
    init: () => {
      const chart: (typeof charts)[number] = { option: {} };
      charts.push(chart);
      return {
        setOption: (option: Record<string, unknown>) => (chart.option = option),
        on: (_: string, handler: NonNullable<(typeof chart)['click']>) => (chart.click = handler),
        resize: () => undefined,
        dispose: () => undefined,
      };
    },
  },
}));

const lights = (green: number, yellow: number, red: number, black: number) => ({ green, yellow, red, black, total: green + yellow + red + black });

const DASHBOARD: DashboardView = {
  definition: 'Over the problems in scope matching the filters, as they stand now.',
  timeZone: 'Asia/Shanghai',
  today: '2026-04-03',
  policy: { id: 'default', version: 1, name: '默认整改时限' },
  lights: {
    all: lights(1, 1, 1, 1),
    byDepartment: [
      { departmentId: 'dept-f', department: 'Facilities', lights: lights(0, 0, 0, 1) },
      { departmentId: 'dept-p', department: 'Production', lights: lights(1, 1, 1, 0) },
    ],
  },
  ladder: [
    { level: 1, name: '督办通知书', open: 0 },
    { level: 2, name: '约谈', open: 1 },
    { level: 3, name: '挂牌督办', open: 1 },
  ],
  trend: [
    { weekStart: '2026-03-23', weekEnd: '2026-03-29', found: 1, closed: 0 },
    { weekStart: '2026-03-30', weekEnd: '2026-04-05', found: 2, closed: 3 },
  ],
};

const RANKING: RankingView = {
  definition: 'Per responsible department.',
  thresholds: { redFromOnTimeRate: 0.95, yellowBelowOnTimeRate: 0.8, yellowFromOverdue: 1, blackBelowOnTimeRate: 0.6, blackFromEscalated: 3 },
  policy: { id: 'default', version: 1, name: '默认整改时限' },
  from: null,
  to: null,
  departments: [
    {
      departmentId: 'dept-p', department: 'Production', rank: 1, list: 'red', listReasons: ['onTimeRate'], received: 2, closed: 2, open: 0, onTimeOriginal: 2,
      onTimeAfterExtension: 0, late: 0, overdue: 0, escalated: 0, cancelled: 0, onTimeRateOriginal: 1, onTimeRateWithExtensions: 1,
      averageWorkingDaysToClose: 4, reworkRounds: 0, extensions: 0,
    },
    {
      departmentId: 'dept-f', department: 'Facilities', rank: 2, list: 'black', listReasons: ['onTimeRate'], received: 3, closed: 2, open: 1, onTimeOriginal: 1,
      onTimeAfterExtension: 1, late: 0, overdue: 1, escalated: 1, cancelled: 0, onTimeRateOriginal: 0.5, onTimeRateWithExtensions: 1,
      averageWorkingDaysToClose: 9, reworkRounds: 1, extensions: 1,
    },
  ],
};

function server() {
  return fakeFetch({
    'GET /ledger/dashboard': () => ({ json: DASHBOARD }),
    'GET /ledger/ranking': () => ({ json: RANKING }),
  });
}

const link = (name: string) => screen.getByRole('link', { name }).getAttribute('href');
const MONTH = { from: dayjs().startOf('month').format('YYYY-MM-DD'), to: dayjs().endOf('month').format('YYYY-MM-DD') };

describe('DashboardPage', () => {
  beforeEach(() => {
    charts.length = 0;
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows the lights per department, the ladder, the trend and the ranking, each number a link to the list behind it', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<DashboardPage />, { role: 'supervisor', path: '/dashboard' });

    // then the dashboard of twelve weeks and this month's ranking are asked for
    await screen.findByRole('link', { name: 'Facilities: Black 1, in the ledger' }, { timeout: 15_000 });
    await screen.findByRole('link', { name: 'Facilities: Received 3, in the ledger' });
    expect(fake.calls.map((call) => call.path).sort()).toEqual(['/ledger/dashboard?weeks=12', `/ledger/ranking?from=${MONTH.from}&to=${MONTH.to}`]);

    // the lights lead to the department's ledger rows of that light; the row of all to every department's
    expect(link('Facilities: Black 1, in the ledger')).toBe('/ledger?department=dept-f&light=black');
    expect(link('Production: Yellow 1, in the ledger')).toBe('/ledger?department=dept-p&light=yellow');
    expect(link('Production: Lit 3, in the ledger')).toBe('/ledger?department=dept-p&light=green%2Cyellow%2Cred%2Cblack');
    expect(link('All: Red 1, in the ledger')).toBe('/ledger?light=red');
    expect(link('All: Lit 4, in the ledger')).toBe('/ledger?light=green%2Cyellow%2Cred%2Cblack');

    // the ladder by the policy's step names, each count leading to the escalated problems
    expect(screen.getByText('挂牌督办')).toBeTruthy();
    expect(link('约谈: 1, see the escalated problems')).toBe('/problems?deadlineState=escalated&sort=deadline');
    expect(link('督办通知书: 0, see the escalated problems')).toBe('/problems?deadlineState=escalated&sort=deadline');

    // the weeks, newest first: found leads to the ledger of that week's found dates, closed to the closed ones found by its end
    expect(link('2026-03-30 – 2026-04-05: 2 found, in the ledger')).toBe('/ledger?from=2026-03-30&to=2026-04-05');
    expect(link('2026-03-30 – 2026-04-05: 3 closed, in the ledger of closed problems found by that week')).toBe('/ledger?state=closed&to=2026-04-05');
    expect(screen.getByText(/^Time zone Asia\/Shanghai, today 2026-04-03\./)).toBeTruthy();

    // the ranking: its counts lead to the department's ledger rows of this month
    expect(link('Facilities: Received 3, in the ledger')).toBe(`/ledger?department=dept-f&from=${MONTH.from}&to=${MONTH.to}`);
    expect(link('Facilities: Closed 2, in the ledger')).toBe(`/ledger?department=dept-f&from=${MONTH.from}&to=${MONTH.to}&state=closed`);
    expect(link('The whole ranking')).toBe(`/ranking?from=${MONTH.from}&to=${MONTH.to}`);
  }, 90_000);

  it('gives the charts the same numbers, and a click on a bar goes where its number leads', async () => {
    // given
    vi.stubGlobal('fetch', server().fetch);
    renderPage(
      <Routes>
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/ledger" element={<p>the ledger</p>} />
      </Routes>,
      { role: 'supervisor', path: '/dashboard' },
    );
    await waitFor(() => expect(charts).toHaveLength(2), { timeout: 15_000 });
    expect(screen.getByRole('img', { name: 'Found and closed over the last 12 weeks' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'On-time rate (original deadline) per department this month' })).toBeTruthy();

    // then
    const trend = charts.find((chart) => JSON.stringify(chart.option).includes('"Found"'))!;
    const ranking = charts.find((chart) => chart !== trend)!;
    const series = (chart: (typeof charts)[number]) => chart.option.series as Array<{ name: string; data: unknown[] }>;
    expect(series(trend).map((line) => [line.name, line.data])).toEqual([
      ['Found', [1, 2]],
      ['Closed', [0, 3]],
    ]);
    expect(series(ranking)[0].data.map((bar) => (bar as { value: number }).value)).toEqual([100, 50]);

    // when: the closed point of the week of 30 March is clicked
    trend.click?.({ seriesIndex: 1, dataIndex: 1 });

    // then
    expect(await screen.findByText('the ledger')).toBeTruthy();
  }, 90_000);

  it('asks for the weeks chosen, keeping them in the URL, and speaks Chinese', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(<DashboardPage />, { role: 'supervisor', language: 'zh', path: '/dashboard?weeks=26' });
    await screen.findByRole('link', { name: 'Facilities：黑灯 1 件，在台账中查看' }, { timeout: 15_000 });
    expect(fake.calls.map((call) => call.path)).toContain('/ledger/dashboard?weeks=26');
    expect(screen.getByRole('heading', { name: '督办驾驶舱' })).toBeTruthy();

    // when
    fireEvent.mouseDown(within(screen.getByText('近 26 周').closest('.ant-select')! as HTMLElement).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('近 4 周'));

    // then
    await waitFor(() => expect(fake.calls.at(-1)?.path).toBe('/ledger/dashboard?weeks=4'));
  }, 90_000);

  it('shows the server’s refusal instead of figures', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /ledger/dashboard': () => ({ status: 403, json: { code: 'ACCESS.FORBIDDEN', message: 'Not yours to see', correlationId: 'c-1' } }),
        'GET /ledger/ranking': () => ({ json: RANKING }),
      }).fetch,
    );
    renderPage(<DashboardPage />, { role: 'supervisor', path: '/dashboard' });
    await screen.findByText(/Not yours to see/, undefined, { timeout: 15_000 });
    expect(screen.queryByRole('link', { name: /Black 1/ })).toBeNull();
  }, 90_000);

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', server().fetch);
    const { container } = renderPage(<DashboardPage />, { role: 'supervisor', path: '/dashboard' });
    await screen.findByRole('link', { name: 'Facilities: Black 1, in the ledger' }, { timeout: 15_000 });
    await screen.findByRole('link', { name: 'Facilities: Received 3, in the ledger' });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 90_000);
});
