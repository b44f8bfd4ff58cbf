import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aProblem } from '../test/fixtures';
import { fakeFetch, renderPage, SESSION_OF, testQueryClient } from '../test/render';
import InboxPage from './pages/department/InboxPage';
import OverviewPage from './pages/supervision/OverviewPage';
import { preloadScreen } from './routes';

const page = (title: string) => ({ items: [aProblem(1, { title, deadlineState: 'overdue' })], nextCursor: null });

function server() {
  return fakeFetch({
    'GET /auth/session': () => ({ json: SESSION_OF('supervisor') }),
    'GET /problems/counts': () => ({ json: { total: 1, byState: { rectifying: 1 }, byLight: { green: 1 } } }),
    'GET /problems': () => ({ json: page('Blocked exit') }),
    'GET /ledger/summary': () => ({ json: { all: { received: 1, open: 1, overdue: 1, closed: 0, onTimeRate: null }, groups: [] } }),
    'GET /departments': () => ({ json: { items: [] } }),
  });
}

const paths = (fake: ReturnType<typeof fakeFetch>) => fake.calls.map((call) => call.path);

/** The fake with its answers held back until `release()`: what it is asked meanwhile was asked at once. */
function heldBack(fake: ReturnType<typeof fakeFetch>) {
  let release = () => {};
  const gate = new Promise<void>((open) => (release = open));
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const answer = fake.fetch(input, init);
    await gate;
    return answer;
  };
  return { fetch, release };
}

/** Lets the requests already started reach the fake (the client prepares each in a few steps). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Preloading the screen at start', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for the session and the overview's first answers at once, and the overview then asks none of them again", async () => {
    // given
    const fake = server();
    const held = heldBack(fake);
    vi.stubGlobal('fetch', held.fetch);
    const client = testQueryClient();

    // when the console starts on /overview, before anything is rendered or answered
    preloadScreen(client, { pathname: '/overview', search: '' });

    // then the five requests are under way together
    await waitFor(() => expect(paths(fake)).toHaveLength(5));
    expect(paths(fake).sort()).toEqual([
      '/auth/session',
      '/problems/counts',
      '/problems?deadlineState=escalated&sort=deadline&limit=20',
      '/problems?deadlineState=overdue&sort=deadline&limit=20',
      '/problems?pendingRequest=any&limit=20',
    ]);
    held.release();

    // and once answered, the overview shows them without asking again
    await waitFor(() => expect(client.isFetching()).toBe(0));
    renderPage(<OverviewPage />, { role: 'supervisor', path: '/overview', client });
    expect((await screen.findAllByRole('link', { name: 'Blocked exit' })).length).toBeGreaterThan(0);
    await waitFor(() => expect(paths(fake)).toContain('/ledger/summary'));
    expect(paths(fake).filter((path) => path.startsWith('/problems'))).toHaveLength(4);
  });

  it('asks for the inbox tab and page the URL names', async () => {
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);
    const client = testQueryClient();

    preloadScreen(client, { pathname: '/inbox', search: '?deadline=overdue&cursor=abc' });

    await waitFor(() => expect(paths(fake)).toHaveLength(2));
    expect(paths(fake).sort()).toEqual(['/auth/session', '/problems?sort=deadline&deadlineState=overdue&limit=20&cursor=abc']);
    await waitFor(() => expect(client.isFetching()).toBe(0));
    renderPage(<InboxPage />, { role: 'department', path: '/inbox?deadline=overdue&cursor=abc', client });
    await screen.findByRole('link', { name: 'Blocked exit' });
    expect(paths(fake)).toHaveLength(2);
  });

  it('asks only for the session on a screen without preloads, and nothing on the sign-in page', async () => {
    const fake = server();
    vi.stubGlobal('fetch', fake.fetch);

    preloadScreen(testQueryClient(), { pathname: '/problems/00000000-0000-4000-8000-000000000001', search: '' });
    await settle();
    expect(paths(fake)).toEqual(['/auth/session']);

    preloadScreen(testQueryClient(), { pathname: '/sign-in', search: '?next=%2Foverview' });
    await settle();
    expect(paths(fake)).toEqual(['/auth/session']);
  });
});
