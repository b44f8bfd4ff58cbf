import { useQuery } from '@tanstack/react-query';
import { api, setFilters, unwrap } from '../../api/client';

/** The weeks of trend the dashboard offers; the server takes 1–52 and 12 without one. */
export const DASHBOARD_WEEK_CHOICES = [4, 8, 12, 26, 52] as const;
export const DEFAULT_DASHBOARD_WEEKS = 12;

/**
 * The supervision dashboard (GET /ledger/dashboard, 督办驾驶舱): lights per department, the ladder's open steps and
 * found against closed per week, over the caller's scope.
 */
export function useDashboard(weeks: number) {
  const query = setFilters({ weeks });
  return useQuery({ queryKey: ['ledger', 'dashboard', query], queryFn: () => unwrap(api.GET('/ledger/dashboard', { params: { query } })) });
}

/** The problem list showing these problems: its filters are in its URL, as ProblemListPage reads them. */
export function problemsHref(filters: { deadlineState?: string; light?: string; sort?: 'deadline' }): string {
  const query = new URLSearchParams(setFilters(filters) as Record<string, string>).toString();
  return query ? `/problems?${query}` : '/problems';
}
