import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, upload } from '../../api/client';
import type { SheetRegisterQuery, SupervisionSheet, SheetVerification } from '../../api/views';

/** The number as it goes into an address: 2026-17 (the printed 督〔2026〕17号 works too, encoded). */
export const plainNumber = (sheet: Pick<SupervisionSheet, 'year' | 'sequence'>) => `${sheet.year}-${sheet.sequence}`;

const organisationQuery = (organisation: string | null) => (organisation ? `?organisation=${encodeURIComponent(organisation)}` : '');

/** The sheet as issued, as a PDF to download (the API's, whatever the browser accepts: it carries `format`). */
export const sheetPdfPath = (sheet: Pick<SupervisionSheet, 'year' | 'sequence' | 'organisationId'>) =>
  `/sheets/${plainNumber(sheet)}?format=pdf&organisation=${encodeURIComponent(sheet.organisationId)}`;

/** The console's verification page, where the QR code printed on the sheet leads. */
export const sheetVerifyRoute = (sheet: Pick<SupervisionSheet, 'year' | 'sequence' | 'organisationId'>) =>
  `/sheets/${plainNumber(sheet)}/verify${organisationQuery(sheet.organisationId)}`;

const sheetsKey = (problemId: string) => ['problem', problemId, 'sheets'] as const;

/** A problem's numbered supervision sheets, in number order (GET /problems/:id/sheets). */
export function useProblemSheets(problemId: string, version: number) {
  return useQuery({
    queryKey: [...sheetsKey(problemId), version],
    queryFn: async () => (await unwrap(api.GET('/problems/{id}/sheets', { params: { path: { id: problemId } } }))).items,
  });
}

/** One sheet by its number (GET /sheets/:number). */
export function useSheet(number: string, organisation: string | null) {
  return useQuery({
    queryKey: ['sheet', number, organisation],
    queryFn: () =>
      unwrap(api.GET('/sheets/{number}', { params: { path: { number }, query: organisation ? { organisation } : {} } })) as Promise<SupervisionSheet>,
    retry: false,
  });
}

/** Whether the sheet matches the tamper-evident history (GET /sheets/:number/verify). */
export function useSheetVerification(number: string, organisation: string | null) {
  return useQuery({
    queryKey: ['sheet', number, organisation, 'verification'],
    queryFn: () => unwrap(api.GET('/sheets/{number}/verify', { params: { path: { number }, query: organisation ? { organisation } : {} } })),
    retry: false,
  });
}

/** Checks a PDF copy byte for byte against the sheet as issued (POST /sheets/:number/verify, multipart `file`). */
export function useVerifyCopy(number: string, organisation: string | null) {
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return upload<SheetVerification>(`/sheets/${encodeURIComponent(number)}/verify${organisationQuery(organisation)}`, body);
    },
  });
}

/** The responsible department's written response (书面回复) to one of the problem's sheets, then the list again. */
export function useRespondToSheet(problemId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ sheet, text }: { sheet: SupervisionSheet; text: string }) =>
      unwrap(
        api.POST('/sheets/{number}/response', {
          params: { path: { number: plainNumber(sheet) }, query: { organisation: sheet.organisationId } },
          body: { text },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: sheetsKey(problemId) }),
  });
}

/** The sheets' registry (督办单台账), newest first, a page at a time (GET /sheets with the server's cursor). */
export function useSheetRegister(filters: Omit<SheetRegisterQuery, 'after' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: ['sheets', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => unwrap(api.GET('/sheets', { params: { query: { ...filters, ...(pageParam ? { after: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor,
  });
}
