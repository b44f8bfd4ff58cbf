import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';
import type { Department, HistoryRow, ProblemPage, ProblemView } from '../../api/views';

export const problemKey = (id: string) => ['problem', id] as const;

export function useProblem(id: string) {
  return useQuery({ queryKey: problemKey(id), queryFn: () => request<ProblemView>('GET', `/problems/${encodeURIComponent(id)}`) });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: ['problem', id, 'history'],
    queryFn: async () => (await request<{ items: HistoryRow[] }>('GET', `/problems/${encodeURIComponent(id)}/history`)).items,
  });
}

/** The list's filters, as they stand in the URL (so a view can be bookmarked and shared). */
export interface ProblemFilters {
  state?: string;
  deadlineState?: string;
  sort?: string;
  department?: string;
  severity?: string;
  inspection?: string;
  text?: string;
  cursor?: string;
}

export function useProblemList(filters: ProblemFilters) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value) as Array<[string, string]>);
  return useQuery({ queryKey: ['problems', query.toString()], queryFn: () => request<ProblemPage>('GET', `/problems?${query}`) });
}

/** Departments a person may pick (GET /departments: the tree, for every signed-in person). */
export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async () => (await request<{ items: Department[] }>('GET', '/departments')).items,
    staleTime: 300_000,
  });
}
