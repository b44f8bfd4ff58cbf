import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, upload } from '../../api/client';
import type { EvidenceItem } from '../../api/views';

const evidenceKey = (problemId: string) => ['problem', problemId, 'evidence'] as const;

export const evidencePath = (problemId: string) => `/problems/${encodeURIComponent(problemId)}/evidence`;
export const evidenceContentPath = (problemId: string, evidenceId: string) => `${evidencePath(problemId)}/${encodeURIComponent(evidenceId)}/content`;

/** A problem's evidence files, oldest first (GET /problems/:id/evidence). */
export function useEvidence(problemId: string) {
  return useQuery({
    queryKey: evidenceKey(problemId),
    queryFn: async () => (await request<{ items: EvidenceItem[] }>('GET', evidencePath(problemId))).items,
  });
}

/** Uploads one file of `kind` (multipart `file`, `kind`), then reads the list again. */
export function useUploadEvidence(problemId: string, kind: EvidenceItem['kind']) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('kind', kind);
      body.append('file', file, file.name);
      return upload<EvidenceItem>(evidencePath(problemId), body);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: evidenceKey(problemId) }),
  });
}
