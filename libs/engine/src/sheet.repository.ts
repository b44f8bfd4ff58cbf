import type { ProblemScope } from '#access';
import type { SheetFilter, StoredSheet } from './supervision-sheet.js';

/** Port: the numbered supervision sheets (督办单), written with the events that issued them (see ProblemChange). */
export abstract class SheetRepository {
  /** The sheets with this number (one per organisation that issued it), in organisation order. */
  abstract byNumber(year: number, sequence: number): Promise<StoredSheet[]>;

  abstract forProblem(problemId: string): Promise<StoredSheet[]>;

  /** The sheets whose problems are in the scope, newest first, at most `limit`. */
  abstract list(scope: ProblemScope, filter: SheetFilter, limit: number): Promise<StoredSheet[]>;

  /** The PDF as first rendered, or null before anyone asked for it. */
  abstract pdf(sheetId: string): Promise<Buffer | null>;

  /**
   * Keeps the sheet's PDF unless one is kept already (renderings are deterministic, but a later release may render
   * differently); answers the one kept, which every download serves and verification compares against.
   */
  abstract keepPdf(sheetId: string, pdf: Buffer, sha256: string): Promise<Buffer>;

  /** Records the department's written response unless one is recorded already; false then. */
  abstract respond(sheetId: string, response: { text: string; at: string; by: { id: string; name: string } }): Promise<boolean>;
}
