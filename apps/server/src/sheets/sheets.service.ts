import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { type Actor, Clock, DomainError, ProblemNotFoundError, UUID_PATTERN } from '#domain';
import {
  CalendarProvider,
  parseSheetNumber,
  ProblemRepository,
  responseRefusal,
  SheetRepository,
  type SheetFilter,
  type SheetVerification,
  type StoredSheet,
  verifySheet,
} from '#engine';
import { AccessPolicy, type Caller, scopeOf } from '#access';
import { NOTIFY_OPTIONS, type NotifyOptions } from '#notify';
import { renderSheetPdf } from './sheet-pdf.js';

/** A presented copy larger than this is not one of ours (a sheet is one page, tens of kilobytes). */
export const SHEET_PDF_MAX_BYTES = 2 * 1024 * 1024;

/** This machine, as a Host header names it. */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Numbered supervision sheets (督办单) as readers ask for them: a problem's sheets, one sheet by its number, its PDF
 * (rendered once and kept), and its verification against the tamper-evident history. A sheet is seen by whoever may
 * see its problem; one outside the caller's scope answers as one that does not exist.
 */
@Injectable()
export class SheetsService {
  constructor(
    private readonly sheets: SheetRepository,
    private readonly problems: ProblemRepository,
    private readonly access: AccessPolicy,
    private readonly calendars: CalendarProvider,
    private readonly clock: Clock,
    @Optional() @Inject(NOTIFY_OPTIONS) private readonly notify?: NotifyOptions,
  ) {}

  async forProblem(actor: Actor, problemId: string): Promise<StoredSheet[]> {
    const caller = await this.access.callerFor(actor);
    const problem = UUID_PATTERN.test(problemId) ? await this.problems.findVisible(problemId.toLowerCase(), scopeOf(caller)) : null;
    if (!problem) throw new ProblemNotFoundError(problemId);
    return this.sheets.forProblem(problem.id);
  }

  /** The sheets' registry (督办单台账): those of the problems the caller may see, newest first, a page at a time. */
  async list(actor: Actor, filter: Omit<SheetFilter, 'now'>, limit: number): Promise<{ items: StoredSheet[]; nextCursor: string | null }> {
    const caller = await this.access.callerFor(actor);
    const page = await this.sheets.list(scopeOf(caller), { ...filter, now: this.clock.now().toISOString() }, limit + 1);
    const items = page.slice(0, limit);
    return { items, nextCursor: page.length > limit ? items[items.length - 1].id : null };
  }

  /** The sheet with this number the caller may see; `organisation` picks one when several organisations issued it. */
  async find(actor: Actor, number: string, organisation?: string): Promise<StoredSheet> {
    const parsed = parseSheetNumber(number);
    if (!parsed) {
      throw new DomainError('VALIDATION_FAILED', `The request has invalid fields: number. "${number.slice(0, 40)}" is not a sheet number: write it as printed, 督〔2026〕17号, or as 2026-17.`, {
        fields: [{ field: 'number', messages: ['number must look like 督〔2026〕17号 or 2026-17'] }],
      });
    }
    const caller = await this.access.callerFor(actor);
    const candidates = (await this.sheets.byNumber(parsed.year, parsed.sequence)).filter(
      (sheet) => organisation === undefined || sheet.organisationId === organisation,
    );
    const visible: StoredSheet[] = [];
    for (const sheet of candidates) if (await this.visible(caller, sheet)) visible.push(sheet);
    if (visible.length === 0) throw new DomainError('SHEET.NOT_FOUND', `No supervision sheet ${number} that you may see. Check the number, or list a problem's sheets with GET /problems/:id/sheets.`);
    if (visible.length > 1) {
      throw new DomainError('SHEET.AMBIGUOUS_NUMBER', `Several organisations issued a sheet ${number}: say which with ?organisation=<its id> (printed in the sheet's verification address).`, {
        organisations: visible.map((sheet) => sheet.organisationId),
      });
    }
    return visible[0];
  }

  /** The sheet's PDF: the one kept, or rendered now and kept, so every download is the same file. */
  async pdf(actor: Actor, number: string, organisation: string | undefined, origin: { protocol: string; host: string }): Promise<{ sheet: StoredSheet; pdf: Buffer }> {
    const sheet = await this.find(actor, number, organisation);
    const kept = await this.sheets.pdf(sheet.id);
    if (kept) return { sheet, pdf: kept };
    const rendered = await renderSheetPdf(sheet, this.verifyUrl(sheet, origin), this.calendars.current().timeZone);
    return { sheet, pdf: await this.sheets.keepPdf(sheet.id, rendered, sha256(rendered)) };
  }

  /** Checks the sheet against the history and, when a copy is presented, the copy against the kept PDF. */
  async verify(actor: Actor, number: string, organisation?: string, presented?: Buffer): Promise<SheetVerification> {
    const sheet = await this.find(actor, number, organisation);
    const history = await this.problems.history(sheet.problemId);
    return verifySheet(sheet, history, presented && sha256(presented), sheet.pdfSha256);
  }

  /**
   * The department's written response (书面回复) to a sheet that asks for one: given once, by a member of the
   * responsible department (as the sheet names it), late or not; the sheet as it stands then.
   */
  async respond(actor: Actor, number: string, organisation: string | undefined, written: string): Promise<StoredSheet> {
    const text = written.trim();
    if (text.length === 0) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: text. Write the response; it cannot be blank.', {
        fields: [{ field: 'text', messages: ['text must not be blank'] }],
      });
    }
    const sheet = await this.find(actor, number, organisation);
    const refusal = responseRefusal(sheet, actor);
    if (refusal === 'notYourDepartment') {
      throw new DomainError('AUTH.NOT_YOUR_DEPARTMENT', `Only a member of ${sheet.facts.responsibleDepartment.name}, to which sheet ${sheet.number} is addressed, may respond to it.`);
    }
    if (refusal === 'notAsked') throw new DomainError('SHEET.NO_RESPONSE_ASKED', `Sheet ${sheet.number} (${sheet.facts.stepName}) asks for no written response.`);
    const given = refusal === null && (await this.sheets.respond(sheet.id, { text, at: this.clock.now().toISOString(), by: { id: actor.userId, name: actor.name } }));
    if (!given) throw new DomainError('SHEET.ALREADY_RESPONDED', `Sheet ${sheet.number} has its written response already; it is kept as given.`);
    return this.find(actor, number, organisation);
  }

  /**
   * Where the QR code leads: the console's verification page at NOTIFY_CONSOLE_URL. Without it, at the address the
   * download came to only when that is this machine (localhost): a Host header is the caller's to write, and the PDF
   * is kept, so a forged one would print someone else's address on the sheet for good.
   */
  private verifyUrl(sheet: StoredSheet, origin: { protocol: string; host: string }): string {
    const base = this.notify?.consoleUrl ?? (LOOPBACK_HOST.test(origin.host) ? `${origin.protocol}://${origin.host}` : 'http://localhost');
    return `${base}/sheets/${sheet.year}-${sheet.sequence}/verify?organisation=${encodeURIComponent(sheet.organisationId)}`;
  }

  private async visible(caller: Caller, sheet: StoredSheet): Promise<boolean> {
    return (await this.problems.findVisible(sheet.problemId, scopeOf(caller))) !== null;
  }
}
