import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, PRELOADED_FRESH_MS, setFilters, unwrap } from '../../api/client';
import type { LedgerPage, LedgerQuery, LedgerSummary, RankingView, SupervisionNotice } from '../../api/views';
import { useDepartments } from '../problems/problem-queries';

/** Problems in the caller's scope per state (GET /problems/counts: one grouped count, not a list). */
const problemCountsQuery = queryOptions({ queryKey: ['problems', 'counts'], queryFn: () => unwrap(api.GET('/problems/counts')), staleTime: PRELOADED_FRESH_MS });

export function useProblemCounts() {
  return useQuery(problemCountsQuery);
}

/** The overview's lists show the most urgent few; the problem list has the rest. */
export const OVERVIEW_LIST_SIZE = 20;

/** Problems in one deadline state, earliest deadline first: the overview's overdue and escalated lists. */
function deadlineStateQuery(deadlineState: 'overdue' | 'escalated', limit: number) {
  const query = { deadlineState, sort: 'deadline', limit } as const;
  return queryOptions({ queryKey: ['problems', query], queryFn: () => unwrap(api.GET('/problems', { params: { query } })), staleTime: PRELOADED_FRESH_MS });
}

export function useProblemsInDeadlineState(deadlineState: 'overdue' | 'escalated', limit: number) {
  return useQuery(deadlineStateQuery(deadlineState, limit));
}

/** Problems whose extension or suspension request waits for a decision, newest first: the overview's card. */
function pendingRequestsQuery(limit: number) {
  const query = { pendingRequest: 'any', limit } as const;
  return queryOptions({ queryKey: ['problems', query], queryFn: () => unwrap(api.GET('/problems', { params: { query } })), staleTime: PRELOADED_FRESH_MS });
}

export function usePendingRequests(limit: number) {
  return useQuery(pendingRequestsQuery(limit));
}

/** What the overview shows first (counts, overdue and escalated lists), asked for before its code has loaded. */
export function preloadOverview(client: QueryClient): void {
  void client.prefetchQuery(problemCountsQuery);
  void client.prefetchQuery(deadlineStateQuery('overdue', OVERVIEW_LIST_SIZE));
  void client.prefetchQuery(deadlineStateQuery('escalated', OVERVIEW_LIST_SIZE));
  void client.prefetchQuery(pendingRequestsQuery(OVERVIEW_LIST_SIZE));
}

/**
 * The ledger summed up per department (GET /ledger/summary): one request gives every department's totals,
 * open, overdue and on-time rate, counted by the same definitions as the exported ledger.
 */
export function useLedgerSummary(filters: LedgerFilters = {}, { enabled = true }: { enabled?: boolean } = {}) {
  const query = setFilters(filters);
  // Without `format` the answer is JSON (the document lists the CSV and XLSX files of the same path beside it).
  const summary = () => unwrap(api.GET('/ledger/summary', { params: { query } })) as Promise<LedgerSummary>;
  return useQuery({ queryKey: ['ledger', 'summary', query], queryFn: summary, enabled });
}

export function useDepartmentNames() {
  const departments = useDepartments();
  return (id: string | null) => departments.data?.find((department) => department.id === id)?.name ?? '—';
}

const NOTICES_KEY = ['me', 'notices'] as const;

/** My supervision notices (督办单), addressed to me or my department. */
export function useNotices() {
  return useQuery({
    queryKey: NOTICES_KEY,
    queryFn: async () => (await unwrap(api.GET('/me/notices'))).items,
  });
}

/** Acknowledging records who and when; the inbox is read again so the order (unacknowledged first) is the server's. */
export function useAcknowledgeNotice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/me/notices/{id}/acknowledge', { params: { path: { id } } })),
    onSuccess: (notice) => {
      client.setQueryData<SupervisionNotice[]>(NOTICES_KEY, (items) => items?.map((item) => (item.id === notice.id ? notice : item)));
      void client.invalidateQueries({ queryKey: NOTICES_KEY });
    },
  });
}

/**
 * The ledger's filters as they stand in the URL: those of GET /problems plus a period of found dates. Taken from
 * the URL as they are: the server refuses a value it does not know, and the ledger says why.
 */
export type LedgerFilters = Omit<LedgerQuery, 'format' | 'lang' | 'cursor' | 'limit'>;

export const LEDGER_FILTER_KEYS = ['state', 'light', 'department', 'severity', 'inspection', 'text', 'from', 'to'] as const satisfies ReadonlyArray<keyof LedgerFilters>;

/** The path with the filters that are set (none: no "?"). */
function withQuery(path: string, filters: { [key: string]: string | undefined }): string {
  const query = new URLSearchParams(setFilters(filters) as Record<string, string>).toString();
  return query ? `${path}?${query}` : path;
}

export const LEDGER_PAGE_SIZE = 100;

export function useLedger(filters: LedgerFilters, cursor: string | undefined) {
  const query = setFilters({ ...filters, cursor, limit: LEDGER_PAGE_SIZE });
  // Without `format` the answer is JSON (the document lists the CSV and XLSX files of the same path beside it).
  const page = () => unwrap(api.GET('/ledger', { params: { query } })) as Promise<LedgerPage>;
  return useQuery({ queryKey: ['ledger', query], queryFn: page });
}

/** The ledger screen showing these rows: its filters are in its URL, as it reads them (LEDGER_FILTER_KEYS). */
export function ledgerHref(filters: LedgerFilters): string {
  return withQuery('/ledger', filters);
}

const EXPORT_PATHS = { ledger: '/ledger', summary: '/ledger/summary', ranking: '/ledger/ranking' } as const;

/**
 * Where the browser downloads an export: a plain GET the session cookie authorises (no CSRF token for a GET);
 * the server names the file (Content-Disposition: attachment). Exports hold every row, so no cursor.
 */
export function exportHref(what: keyof typeof EXPORT_PATHS, format: 'csv' | 'xlsx', filters: LedgerFilters, lang: 'zh' | 'en'): string {
  return withQuery(EXPORT_PATHS[what], { ...filters, format, lang });
}

/**
 * The departments ranked (GET /ledger/ranking, 部门排名) over a period of found dates, by the same filters and
 * counts as the ledger, each put on its list (红黄黑榜) by the thresholds of the deadline policy in force.
 */
export function useRanking(filters: LedgerFilters) {
  const query = setFilters(filters);
  // Without `format` the answer is JSON (the document lists the CSV and XLSX files of the same path beside it).
  const ranking = () => unwrap(api.GET('/ledger/ranking', { params: { query } })) as Promise<RankingView>;
  return useQuery({ queryKey: ['ledger', 'ranking', query], queryFn: ranking });
}
