import { useQuery } from '@tanstack/react-query';
import { api, setFilters, unwrap } from '../../api/client';
import type { ProblemQuery } from '../../api/views';

export const problemKey = (id: string) => ['problem', id] as const;

export function useProblem(id: string) {
  return useQuery({ queryKey: problemKey(id), queryFn: () => unwrap(api.GET('/problems/{id}', { params: { path: { id } } })) });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: ['problem', id, 'history'],
    queryFn: async () => (await unwrap(api.GET('/problems/{id}/history', { params: { path: { id } } }))).items,
  });
}

/**
 * The list's filters, as they stand in the URL (so a view can be bookmarked and shared). Taken from the URL as
 * they are: the server refuses a value it does not know, and the list says why.
 */
export type ProblemFilters = Omit<ProblemQuery, 'limit'>;

export function useProblemList(filters: ProblemFilters) {
  const query = setFilters(filters);
  return useQuery({ queryKey: ['problems', query], queryFn: () => unwrap(api.GET('/problems', { params: { query } })) });
}

/** Departments a person may pick (GET /departments: the tree, for every signed-in person). */
export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async () => (await unwrap(api.GET('/departments'))).items,
    staleTime: 300_000,
  });
}
