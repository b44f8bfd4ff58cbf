import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RankingRow, RankingView } from '../../api/views';
import { fakeFetch, renderPage } from '../../../test/render';
import RankingPage from './RankingPage';

const row = (departmentId: string, department: string, figures: Partial<RankingRow>): RankingRow => ({
  departmentId,
  department,
  rank: 1,
  list: null,
  listReasons: [],
  received: 0,
  closed: 0,
  open: 0,
  onTimeOriginal: 0,
  onTimeAfterExtension: 0,
  late: 0,
  overdue: 0,
  escalated: 0,
  cancelled: 0,
  onTimeRateOriginal: null,
  onTimeRateWithExtensions: null,
  averageWorkingDaysToClose: null,
  reworkRounds: 0,
  extensions: 0,
  ...figures,
});

const DEFINITION = 'Per responsible department, the problems found in the period as they stand now.';

const ranking = (from: string, to: string): RankingView => ({
  definition: DEFINITION,
  thresholds: { redFromOnTimeRate: 0.95, yellowBelowOnTimeRate: 0.8, yellowFromOverdue: 1, blackBelowOnTimeRate: 0.6, blackFromEscalated: 3 },
  policy: { id: 'default', version: 2, name: 'Safety inspection 2026' },
  from,
  to,
  departments: [
    row('dept-p', 'Production', { rank: 1, list: 'red', listReasons: ['onTimeRate'], received: 2, closed: 2, onTimeOriginal: 2, onTimeRateOriginal: 1, onTimeRateWithExtensions: 1, averageWorkingDaysToClose: 6 }),
    row('dept-s', 'Stores', { rank: 2, received: 1, open: 1 }),
    row('dept-f', 'Facilities', {
      rank: 3,
      list: 'black',
      listReasons: ['onTimeRate', 'escalated'],
      received: 3,
      closed: 2,
      open: 1,
      onTimeOriginal: 1,
      onTimeAfterExtension: 1,
      overdue: 1,
      escalated: 1,
      onTimeRateOriginal: 0.5,
      onTimeRateWithExtensions: 1,
      averageWorkingDaysToClose: 12.5,
      extensions: 1,
    }),
  ],
});

function server() {
  const fake = fakeFetch({
    'GET /ledger/ranking': () => {
      const asked = new URLSearchParams(fake.calls.at(-1)!.path.split('?')[1]);
      return { json: ranking(asked.get('from')!, asked.get('to')!) };
    },
  });
  return fake;
}

const cells = (department: string) => {
  const found = screen.getAllByRole('row').find((candidate) => within(candidate).queryByRole('cell', { name: department }));
  expect(found).toBeTruthy();
  return within(found!).getAllByRole('cell').map((cell) => cell.textContent);
};

describe('RankingPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('ranks the departments of the period in the URL, each with its list and both on-time rates, its counts leading to the ledger', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<RankingPage />, { role: 'supervisor', path: '/ranking?from=2026-03-01&to=2026-03-31' });

    // then the period is asked for as it stands in the URL
    await screen.findByRole('cell', { name: 'Facilities' }, { timeout: 15_000 });
    expect(fake.calls.map((call) => call.path)).toEqual(['/ledger/ranking?from=2026-03-01&to=2026-03-31']);
    expect((document.getElementById('ranking-from') as HTMLInputElement).value).toBe('2026-03-01');
    expect((document.getElementById('ranking-to') as HTMLInputElement).value).toBe('2026-03-31');

    // the rows best first; the rate against the original deadline beside the one with extensions
    const headers = screen.getAllByRole('columnheader').map((header) => header.textContent);
    expect(headers.slice(0, 7)).toEqual(['Rank', 'Responsible department', 'List', 'On-time rate (original deadline)', 'On-time rate (with extensions)', 'Received', 'Closed']);
    const departments = screen.getAllByRole('row').slice(1).map((candidate) => within(candidate).getAllByRole('cell')[1].textContent);
    expect(departments).toEqual(['Production', 'Stores', 'Facilities']);
    expect(cells('Production').slice(0, 7)).toEqual(['1', 'Production', 'Red list on-time rate', '100.0%', '100.0%', '2', '2']);
    expect(cells('Stores').slice(0, 7)).toEqual(['2', 'Stores', '—', '—', '—', '1', '0']);
    expect(cells('Facilities')).toEqual(['3', 'Facilities', 'Black list on-time rate, escalated', '50.0%', '100.0%', '3', '2', '1', '1', '1', '0', '1', '1', '0', '12.5', '0', '1']);
    // each list in its colour as well as in words
    expect([...document.querySelectorAll('[data-list]')].map((tag) => [tag.getAttribute('data-list'), tag.className.includes('ant-tag-red')])).toEqual([
      ['red', true],
      ['black', false],
    ]);

    // the counts lead to the ledger rows behind them: the department's problems found in the period, the closed ones
    const link = (name: string) => screen.getByRole('link', { name }).getAttribute('href');
    expect(link('Facilities: Received 3, in the ledger')).toBe('/ledger?department=dept-f&from=2026-03-01&to=2026-03-31');
    expect(link('Facilities: Closed 2, in the ledger')).toBe('/ledger?department=dept-f&from=2026-03-01&to=2026-03-31&state=closed');
    expect(link('Facilities: Open and overdue 1, in the ledger')).toBe('/ledger?department=dept-f&from=2026-03-01&to=2026-03-31');
    // a count of none leads nowhere
    expect(screen.queryByRole('link', { name: 'Stores: Closed 0, in the ledger' })).toBeNull();

    // the thresholds in force, the policy version that sets them, and how the figures are counted
    expect(
      screen.getByText(
        'Lists by the deadline policy "Safety inspection 2026", version 2: red list: on-time rate (original deadline) ≥ 95%, nothing open and overdue or escalated; ' +
          'yellow list: on-time rate (original deadline) < 80%, or 1 or more open and overdue; black list: on-time rate (original deadline) < 60%, or 3 or more escalated.',
      ),
    ).toBeTruthy();
    expect(screen.getByText(DEFINITION)).toBeTruthy();

    // the exports of the same period, in the screen's language
    expect(link('Ranking as CSV')).toBe('/ledger/ranking?from=2026-03-01&to=2026-03-31&format=csv&lang=en');
    expect(link('Ranking as Excel')).toBe('/ledger/ranking?from=2026-03-01&to=2026-03-31&format=xlsx&lang=en');
  }, 90_000);

  it('ranks this month without a period in the URL, and says it in Chinese', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);
    const from = dayjs().startOf('month').format('YYYY-MM-DD');
    const to = dayjs().endOf('month').format('YYYY-MM-DD');

    // when
    renderPage(<RankingPage />, { role: 'supervisor', language: 'zh', path: '/ranking' });

    // then
    await screen.findByRole('cell', { name: 'Facilities' }, { timeout: 15_000 });
    expect(fake.calls.map((call) => call.path)).toEqual([`/ledger/ranking?from=${from}&to=${to}`]);
    expect(screen.getByText('红榜')).toBeTruthy();
    expect(screen.getByText('按期率、升级督办')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: '按期率（原定期限）' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: '按期率（含延期）' })).toBeTruthy();
    expect(screen.getByText(/^榜单标准（整改时限规定「Safety inspection 2026」第 2 版）：红榜：原定期限按期率 ≥ 95%，无逾期未完成、无升级督办；/)).toBeTruthy();
    expect(screen.getByText(/^按责任部门统计该期间内发现的问题/)).toBeTruthy();
    expect(screen.getByRole('link', { name: '导出排名 CSV' }).getAttribute('href')).toBe(`/ledger/ranking?from=${from}&to=${to}&format=csv&lang=zh`);
  }, 90_000);

  it('asks for the period chosen in the picker, and keeps it in the URL', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(<RankingPage />, { role: 'supervisor', path: '/ranking?from=2020-01-01&to=2020-01-31' });
    await screen.findByRole('cell', { name: 'Facilities' }, { timeout: 15_000 });

    // when: last month, from the picker's presets
    fireEvent.mouseDown(document.getElementById('ranking-from')!);
    fireEvent.click(document.getElementById('ranking-from')!);
    fireEvent.click(await screen.findByText('Last month'));

    // then
    const lastMonth = dayjs().subtract(1, 'month');
    const from = lastMonth.startOf('month').format('YYYY-MM-DD');
    const to = lastMonth.endOf('month').format('YYYY-MM-DD');
    await waitFor(() => expect(fake.calls.at(-1)?.path).toBe(`/ledger/ranking?from=${from}&to=${to}`));
    await waitFor(() => expect(screen.getByRole('link', { name: 'Ranking as CSV' }).getAttribute('href')).toBe(`/ledger/ranking?from=${from}&to=${to}&format=csv&lang=en`));
  }, 90_000);

  it('says so when nothing found in the period was assigned', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET /ledger/ranking': () => ({ json: { ...ranking('2026-03-01', '2026-03-31'), departments: [] } }) }).fetch);
    renderPage(<RankingPage />, { role: 'supervisor', path: '/ranking?from=2026-03-01&to=2026-03-31' });
    await waitFor(() => expect(screen.getAllByText('No problems found in this period were assigned').length).toBeGreaterThan(0), { timeout: 15_000 });
  }, 90_000);

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', server().fetch);
    const { container } = renderPage(<RankingPage />, { role: 'supervisor', path: '/ranking?from=2026-03-01&to=2026-03-31' });
    await screen.findByRole('cell', { name: 'Facilities' }, { timeout: 15_000 });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 90_000);
});
