import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLocation } from 'react-router';
import { aProblem as problem } from '../../../test/fixtures';
import { fakeFetch, renderPage } from '../../../test/render';
import InboxPage from './InboxPage';


/** The query of the n-th list request, as the server would read it. */
const asked = (fake: ReturnType<typeof fakeFetch>, n: number) => Object.fromEntries(new URLSearchParams(fake.calls[n].path.split('?')[1]));

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

/** The server's page: newest-filed last here, so an order on screen can only come from the server's deadline sort. */
function server(nextCursor: string | null = null) {
  return fakeFetch({
    'GET /problems': () => ({
      json: {
        items: [
          problem(3, { title: 'Escalated exit', deadline: '2026-03-02T09:00:00.000Z', deadlineState: 'escalated', severity: 'critical' }),
          problem(1, { title: 'Due soon rack', deadline: '2026-03-05T09:00:00.000Z', deadlineState: 'dueSoon', state: 'assigned' }),
          problem(2, { title: 'On track belt', deadline: '2026-03-20T09:00:00.000Z', deadlineState: 'onTrack', severity: 'minor' }),
        ],
        nextCursor,
      },
    }),
  });
}

const location = () => screen.getByTestId('location').textContent;

describe('InboxPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for the department's open problems by deadline and shows them in that order, each with its light", async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<InboxPage />, { role: 'department', path: '/inbox' });

    // then
    await screen.findByRole('link', { name: 'Escalated exit' });
    expect(asked(fake, 0)).toEqual({ sort: 'deadline', deadlineState: 'onTrack,dueSoon,overdue,escalated,suspended', limit: '20' });
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('link').textContent)).toEqual(['Escalated exit', 'Due soon rack', 'On track belt']);
    expect(within(rows[0]).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['● Escalated', 'Critical', 'Escalated exit', '02/03/2026, 17:00', 'Rectifying']);
    expect(within(rows[1]).getByText('● Due soon')).toBeTruthy();
    expect(within(rows[1]).getByText('Assigned')).toBeTruthy();
    expect(within(rows[0]).getByRole('link').getAttribute('href')).toBe('/problems/00000000-0000-4000-8000-000000000003');
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Deadline state', 'Severity', 'Problem', 'Deadline', 'State']);
  });

  it('keeps the chosen deadline state in the URL, asks the server for it, and starts again at the first page', async () => {
    // given a second page of all
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(
      <>
        <InboxPage />
        <LocationProbe />
      </>,
      { role: 'department', path: '/inbox?cursor=2026-03-20T09%3A00%3A00.000Z~00000000-0000-4000-8000-000000000002' },
    );
    await screen.findByRole('link', { name: 'Escalated exit' });
    expect(asked(fake, 0).cursor).toBe('2026-03-20T09:00:00.000Z~00000000-0000-4000-8000-000000000002');

    // when
    fireEvent.click(screen.getByText('Overdue'));

    // then
    await waitFor(() => expect(location()).toBe('/inbox?deadline=overdue'));
    await waitFor(() => expect(fake.calls).toHaveLength(2));
    expect(asked(fake, 1)).toEqual({ sort: 'deadline', deadlineState: 'overdue', limit: '20' });

    // when back to all
    fireEvent.click(screen.getByText('All'));

    // then the parameter is gone
    await waitFor(() => expect(location()).toBe('/inbox'));
  });

  it('opens on the tab the URL names', async () => {
    // given
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);

    // when
    renderPage(<InboxPage />, { role: 'department', path: '/inbox?deadline=escalated' });

    // then
    await screen.findByRole('link', { name: 'Escalated exit' });
    expect(asked(fake, 0).deadlineState).toBe('escalated');
    const selected = screen.getByRole('radio', { checked: true });
    expect(selected.closest('label')?.textContent).toBe('Escalated');
  });

  it("pages through the server's cursor, keeping the tab, and back to the first page", async () => {
    // given
    const cursor = '2026-03-20T09:00:00.000Z~00000000-0000-4000-8000-000000000002';
    const fake = server(cursor);
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(
      <>
        <InboxPage />
        <LocationProbe />
      </>,
      { role: 'department', path: '/inbox?deadline=dueSoon' },
    );
    await screen.findByRole('link', { name: 'Escalated exit' });

    // when
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));

    // then
    await waitFor(() => expect(fake.calls).toHaveLength(2));
    expect(asked(fake, 1)).toEqual({ sort: 'deadline', deadlineState: 'dueSoon', limit: '20', cursor });
    expect(new URLSearchParams(location()!.split('?')[1]).get('cursor')).toBe(cursor);
    expect(new URLSearchParams(location()!.split('?')[1]).get('deadline')).toBe('dueSoon');

    // when
    fireEvent.click(await screen.findByRole('button', { name: 'First page' }));

    // then
    await waitFor(() => expect(location()).toBe('/inbox?deadline=dueSoon'));
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', server('x').fetch);
    const { container } = renderPage(<InboxPage />, { role: 'department', path: '/inbox' });
    await screen.findByRole('link', { name: 'Escalated exit' });
    const results = await axe.run(container);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
