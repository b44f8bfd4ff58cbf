import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage } from '../../../test/render';
import type { CalendarSummary, CalendarYear } from '../../api/views';
import CalendarPage, { MonthTable } from './CalendarPage';

const SUMMARY: CalendarSummary = {
  id: 'cn-mainland',
  version: 2,
  name: 'Mainland China',
  timeZone: 'Asia/Shanghai',
  weekend: [0, 6],
  workingHours: { start: '09:00', end: '18:00' },
  holidayCoverage: { from: '2020-01-01', to: '2026-12-31' },
  source: 'chinese-days 1.5.7',
  holidays: 30,
  makeUpWorkdays: 8,
  closures: { '2026-03-20': 'Stocktaking day' },
};

const days = (year: number): CalendarYear => ({
  year,
  version: 2,
  timeZone: 'Asia/Shanghai',
  weekend: [0, 6],
  holidayCoverage: SUMMARY.holidayCoverage,
  holidays: year === 2026 ? { '2026-02-17': 'Spring Festival' } : {},
  makeUpWorkdays: year === 2026 ? { '2026-02-14': 'Spring Festival' } : {},
  closures: year === 2026 ? { '2026-03-20': 'Stocktaking day' } : {},
});

function api(warning: boolean) {
  return fakeFetch({
    'GET /admin/calendar': () => ({ json: SUMMARY }),
    'GET /admin/calendar/days': () => ({ json: days(2026) }),
    'GET /health': () => ({
      json: {
        status: 'ok',
        database: 'sqlite',
        calendar: {
          id: 'cn-mainland',
          name: 'Mainland China',
          version: 2,
          holidayCoverage: SUMMARY.holidayCoverage,
          coverageWarning: warning ? { endsOn: '2026-12-31', daysLeft: 40, message: 'Import 2027’s schedule with coverageUntil "2027-12-31".' } : null,
        },
      },
    }),
    'POST /admin/calendar/import': (body) => ({ status: 201, json: { ...SUMMARY, version: 3, imported: [{}, {}], skipped: [], body } }),
  });
}

describe('CalendarPage', () => {
  beforeEach(() => vi.setSystemTime(new Date('2026-11-21T02:00:00.000Z')));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('marks holidays, 调休 and closures in text on the year view, and shows the coverage warning', async () => {
    vi.stubGlobal('fetch', api(true).fetch);
    renderPage(<CalendarPage />, { role: 'admin' });

    expect(await screen.findByText('Public holidays are known only until 2026-12-31')).toBeTruthy();
    expect(await screen.findByLabelText('2026-02-17 Public holiday: Spring Festival')).toBeTruthy();
    const makeUp = screen.getByLabelText('2026-02-14 Make-up workday (调休): Spring Festival');
    expect(within(makeUp).getByText('W')).toBeTruthy();
    expect(within(screen.getByLabelText('2026-03-20 Closure: Stocktaking day')).getByText('C')).toBeTruthy();
    expect(screen.getAllByRole('table').filter((table) => table.querySelector('caption')).length).toBe(12);
  }, 60_000);

  it('imports an .ics as holidays and reports what it took', async () => {
    const fake = api(false);
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(<CalendarPage />, { role: 'admin' });
    await screen.findByText('Mainland China');
    expect(screen.queryByText(/known only until/)).toBeNull();

    // A textarea gives line feeds (ical.js reads them as it reads CRLF).
    fireEvent.change(screen.getByLabelText('iCalendar text'), { target: { value: 'BEGIN:VCALENDAR\nEND:VCALENDAR\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByText('Imported 2 days, skipped 0; the calendar is now version 3')).toBeTruthy();
    await waitFor(() => expect(fake.calls.find((call) => call.method === 'POST')?.body).toEqual({ ics: 'BEGIN:VCALENDAR\nEND:VCALENDAR\n', as: 'holiday' }));
  });

  // axe in jsdom takes minutes over twelve months of cells: the forms are checked on the page, one month on its own.
  it('has no serious accessibility violations in its forms and lists', async () => {
    const fake = api(true);
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).startsWith('/admin/calendar/days') ? new Response('{}', { status: 503 }) : fake.fetch(input, init),
    );
    const { container } = renderPage(<CalendarPage />, { role: 'admin' });
    await screen.findByText('Stocktaking day');
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  }, 60_000);

  it('has no serious accessibility violations in a month', async () => {
    const { container } = renderPage(<MonthTable days={days(2026)} month={2} />, { role: 'admin' });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
