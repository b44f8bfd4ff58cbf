import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';
import type { DeadlineExplanationView } from '../../api/views';

/** Why the problem's deadline is what it is (GET /problems/:id/deadline); refreshed with the problem. */
export function useDeadlineExplanation(problemId: string, version: number) {
  return useQuery({
    queryKey: ['problem', problemId, 'deadline', version],
    queryFn: () => request<DeadlineExplanationView>('GET', `/problems/${encodeURIComponent(problemId)}/deadline`),
  });
}
