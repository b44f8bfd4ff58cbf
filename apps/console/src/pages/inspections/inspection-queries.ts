import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { InspectionView, NewInspection } from '../../api/views';

export const INSPECTION_KINDS: ReadonlyArray<InspectionView['kind']> = ['safety', 'audit', 'supervision', 'quality', 'other'];

const INSPECTIONS_KEY = ['inspections'] as const;
const inspectionKey = (id: string) => ['inspections', 'one', id] as const;
/** The pickers' page: an inspector is on a handful of inspections at a time, so one page of the newest suffices. */
const PICKER_PAGE = 200;

/** The inspections the caller can see, newest first, a page at a time (the server's cursor). */
export function useInspectionList() {
  return useInfiniteQuery({
    queryKey: [...INSPECTIONS_KEY, 'list'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/inspections', { params: { query: pageParam ? { cursor: pageParam } : {} } })),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The inspections the caller may file under, for the filing form's picker. */
export function useFilingInspections() {
  return useQuery({
    queryKey: [...INSPECTIONS_KEY, 'filing'],
    queryFn: async () => (await unwrap(api.GET('/inspections', { params: { query: { limit: PICKER_PAGE } } }))).items.filter((inspection) => inspection.mayFile),
  });
}

export function useInspection(id: string) {
  return useQuery({ queryKey: inspectionKey(id), queryFn: () => unwrap(api.GET('/inspections/{inspection}', { params: { path: { inspection: id } } })) });
}

export function useCreateInspection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewInspection) => unwrap(api.POST('/inspections', { body: input })),
    onSuccess: (created) => {
      client.setQueryData(inspectionKey(created.id), created);
      void client.invalidateQueries({ queryKey: INSPECTIONS_KEY });
    },
  });
}

/** Adding and removing team members answer the inspection as it now stands. */
export function useTeamChange(id: string) {
  const client = useQueryClient();
  const settle = (next: InspectionView) => {
    client.setQueryData(inspectionKey(id), next);
    void client.invalidateQueries({ queryKey: [...INSPECTIONS_KEY, 'list'] });
  };
  const add = useMutation({
    mutationFn: (userId: string) => unwrap(api.POST('/inspections/{inspection}/members', { params: { path: { inspection: id } }, body: { userId } })),
    onSuccess: settle,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => unwrap(api.DELETE('/inspections/{inspection}/members/{userId}', { params: { path: { inspection: id, userId } } })),
    onSuccess: settle,
  });
  return { add, remove };
}

/** How many problems the inspection has per state, and its newest few. */
export function useInspectionProblems(id: string, newest = 5) {
  const counts = useQuery({
    queryKey: ['problems', 'counts', { inspection: id }],
    queryFn: () => unwrap(api.GET('/problems/counts', { params: { query: { inspection: id } } })),
  });
  const recent = useQuery({
    queryKey: ['problems', { inspection: id, limit: newest }],
    queryFn: () => unwrap(api.GET('/problems', { params: { query: { inspection: id, limit: newest } } })),
  });
  return { counts, recent };
}

/** Names for team members, where the caller may read the user list (administrators); others see ids. */
export function useUserNames(enabled: boolean) {
  return useQuery({
    // Its own key: the admin screens may cache the same list in another shape.
    queryKey: ['inspection-team-names'],
    enabled,
    queryFn: async () => (await unwrap(api.GET('/admin/users'))).items,
    staleTime: 300_000,
  });
}
