import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Why the problem's deadline is what it is (GET /problems/:id/deadline); refreshed with the problem. */
export function useDeadlineExplanation(problemId: string, version: number) {
  return useQuery({
    queryKey: ['problem', problemId, 'deadline', version],
    queryFn: () => unwrap(api.GET('/problems/{id}/deadline', { params: { path: { id: problemId } } })),
  });
}
