import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { api, PRELOADED_FRESH_MS, unwrap } from '../../api/client';

/** The inbox's tabs, as they stand in the URL (`?deadline=`); `all` is the absence of the parameter. */
export const INBOX_FILTERS = ['all', 'dueSoon', 'overdue', 'escalated'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

/**
 * The deadline states each tab asks for. `all` is every problem whose clock is the department's to beat (整改 not
 * yet submitted): on track, due soon, overdue, escalated or suspended; submitted, closed and cancelled ones are
 * not waiting on it.
 */
const DEADLINE_STATES: Record<InboxFilter, string> = {
  all: 'onTrack,dueSoon,overdue,escalated,suspended',
  dueSoon: 'dueSoon',
  overdue: 'overdue',
  escalated: 'escalated',
};

export const INBOX_PAGE_SIZE = 20;

/** The department's problems (its scope limits the list to them), earliest deadline first. */
export function inboxQuery(filter: InboxFilter, cursor: string | undefined) {
  const query = { sort: 'deadline', deadlineState: DEADLINE_STATES[filter], limit: INBOX_PAGE_SIZE, cursor } as const;
  return queryOptions({
    queryKey: ['problems', 'inbox', query],
    queryFn: () => unwrap(api.GET('/problems', { params: { query } })),
    staleTime: PRELOADED_FRESH_MS,
  });
}

export function useInbox(filter: InboxFilter, cursor: string | undefined) {
  return useQuery(inboxQuery(filter, cursor));
}

const isFilter = (value: string | null): value is InboxFilter => value !== null && (INBOX_FILTERS as readonly string[]).includes(value);

/** The tab and page a URL's search asks for (`?deadline=…&cursor=…`); an unknown tab is `all`. */
export function inboxView(params: URLSearchParams): { filter: InboxFilter; cursor: string | undefined } {
  const asked = params.get('deadline');
  return { filter: isFilter(asked) ? asked : 'all', cursor: params.get('cursor') ?? undefined };
}

/** What the inbox at this URL shows first, asked for before its code has even loaded (see routes.tsx). */
export function preloadInbox(client: QueryClient, params: URLSearchParams): void {
  const { filter, cursor } = inboxView(params);
  void client.prefetchQuery(inboxQuery(filter, cursor));
}
