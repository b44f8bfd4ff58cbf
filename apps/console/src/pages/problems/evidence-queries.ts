import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, upload } from '../../api/client';
import type { EvidenceItem } from '../../api/views';

const evidenceKey = (problemId: string) => ['problem', problemId, 'evidence'] as const;

export const evidencePath = (problemId: string) => `/problems/${encodeURIComponent(problemId)}/evidence`;
export const evidenceContentPath = (problemId: string, evidenceId: string) => `${evidencePath(problemId)}/${encodeURIComponent(evidenceId)}/content`;

/** A problem's evidence files, oldest first (GET /problems/:id/evidence). */
export function useEvidence(problemId: string) {
  return useQuery({
    queryKey: evidenceKey(problemId),
    queryFn: async () => (await unwrap(api.GET('/problems/{id}/evidence', { params: { path: { id: problemId } } }))).items,
  });
}

/** Stores one evidence file of `kind` (multipart `kind`, `file`, as POST /problems/{id}/evidence takes them). */
export function uploadEvidence(problemId: string, kind: EvidenceItem['kind'], file: Blob, name: string): Promise<EvidenceItem> {
  const body = new FormData();
  body.append('kind', kind);
  body.append('file', file, name);
  return upload<EvidenceItem>(evidencePath(problemId), body);
}

/** Uploads one file of `kind`, then reads the list again. */
export function useUploadEvidence(problemId: string, kind: EvidenceItem['kind']) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadEvidence(problemId, kind, file, file.name),
    onSuccess: () => client.invalidateQueries({ queryKey: evidenceKey(problemId) }),
  });
}
