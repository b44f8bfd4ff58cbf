import { newId, verifyHistoryChain } from '#domain';
import type { SupervisingParties } from '#access';
import { addWorkingDays, type BusinessCalendar } from '#calendar';
import type { SheetIntent } from '#rectification';
import type { HistoryRecord, ProblemRecord, SheetFacts, SheetRecord } from './problem.records.js';

/** A sheet as it is read back: with its number, and the fingerprint of its PDF once it was first rendered. */
export interface StoredSheet extends SheetRecord {
  sequence: number;
  number: string;
  /** SHA-256 of the PDF as first rendered (and stored): what a downloaded copy must match. */
  pdfSha256: string | null;
  /** The department's written response (书面回复), once given. */
  response: SheetResponse | null;
}

export interface SheetResponse {
  text: string;
  at: string;
  by: { id: string; name: string };
  /** Given after `facts.responseDue`. */
  late: boolean;
}

/** Where a sheet's written response stands: not asked, due, overdue (not given by its date), given, given late. */
export const SHEET_RESPONSE_STATES = ['notAsked', 'due', 'overdue', 'given', 'late'] as const;
export type SheetResponseState = (typeof SHEET_RESPONSE_STATES)[number];

/** What the sheets' registry filters by; `now` tells due from overdue. */
export interface SheetFilter {
  year?: number;
  departmentId?: string;
  response?: SheetResponseState;
  now: string;
  /** Id of the last sheet of the previous page (newest first). */
  after?: string;
}

/** Why a response to a sheet is refused, or null when it may be given (checked again as it is written). */
export function responseRefusal(sheet: StoredSheet, responder: { role: string; departmentId: string | null }): 'notAsked' | 'notYourDepartment' | 'alreadyGiven' | null {
  if (responder.role !== 'department' || responder.departmentId !== sheet.facts.responsibleDepartment.id) return 'notYourDepartment';
  if (sheet.facts.responseDue === null) return 'notAsked';
  if (sheet.response !== null) return 'alreadyGiven';
  return null;
}


/** 督〔2026〕17号: the number as it is printed and read out. */
export function sheetNumber(year: number, sequence: number): string {
  return `督〔${year}〕${sequence}号`;
}

/**
 * The number a reader types or scans: 督〔2026〕17号 as printed, or 2026-17 (plain characters, for URLs and
 * keyboards). Null when it is neither.
 */
export function parseSheetNumber(text: string): { year: number; sequence: number } | null {
  const match = /^督〔(\d{4})〕(\d{1,9})号$/.exec(text.trim()) ?? /^(\d{4})-(\d{1,9})$/.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const sequence = Number(match[2]);
  return year >= 2000 && year <= 9999 && sequence >= 1 ? { year, sequence } : null;
}

/** What the department is asked to do: rectify by the deadline and report in writing to the issuing office. */
export function sheetRequirement(stepName: string, issuingOffice: string, responseDueDate: string | null): string {
  const report = responseDueDate ? `并于${responseDueDate}前将整改情况及逾期原因书面报告${issuingOffice}` : `并将整改情况及逾期原因书面报告${issuingOffice}`;
  return `针对上述逾期未整改问题，现予以${stepName}。请责任单位主要负责人亲自督促，立即组织整改，${report}。`;
}

/** 2026年3月25日, in the organisation's zone. */
export function chineseDate(at: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

/** The sheet an ESCALATE step issues, for the problem as the step left it (pure: time, parties and calendar are given). */
export function sheetRecord(
  problem: ProblemRecord,
  historyHash: string,
  intent: SheetIntent,
  parties: SupervisingParties,
  at: string,
  calendar: BusinessCalendar,
): SheetRecord {
  const { responsible, issuingOffice } = parties;
  const { timeZone } = calendar;
  const responseDue = intent.responseWorkingDays === null ? null : addWorkingDays(calendar, at, intent.responseWorkingDays).toISOString();
  return {
    id: newId(),
    organisationId: parties.organisationId,
    year: Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(new Date(at))),
    problemId: problem.id,
    problemVersion: problem.version,
    historyHash,
    issuedAt: at,
    facts: {
      stepName: intent.stepName,
      level: intent.level,
      problem: {
        id: problem.id,
        title: problem.title,
        description: problem.description,
        category: problem.category,
        severity: problem.severity,
        inspectionRef: problem.inspectionRef,
        foundAt: problem.createdAt,
      },
      deadline: problem.deadline,
      responsibleDepartment: { id: responsible.departmentId, name: responsible.departmentName },
      leader: responsible.headUserId ? { id: responsible.headUserId, name: responsible.headName } : null,
      issuingOffice: { id: issuingOffice.departmentId, name: issuingOffice.departmentName },
      requirement: sheetRequirement(intent.stepName, issuingOffice.departmentName, responseDue && chineseDate(responseDue, timeZone)),
      responseDue,
    },
  };
}

/** What a reader learns from checking a sheet against the tamper-evident history (and, given one, a PDF copy). */
export interface SheetVerification {
  number: string;
  /** Every check below passed. */
  valid: boolean;
  /** The issuing history row exists, is an escalation at the sheet's level, and has the hash the sheet carries. */
  historyRow: 'matches' | 'altered' | 'missing';
  /** The problem's chain from its first row up to the issuing one recomputes. */
  chainIntact: boolean;
  /** A copy presented: whether it is byte for byte the PDF kept when the sheet was first downloaded. */
  pdf: 'matches' | 'differs' | 'notChecked';
  /** What failed, in words a person can act on (empty when valid). */
  problems: string[];
}

/**
 * Checks a sheet against its problem's history rows (in version order) and, when given, a presented PDF's SHA-256
 * against the kept one's. Pure.
 */
export function verifySheet(
  sheet: StoredSheet,
  history: ReadonlyArray<HistoryRecord>,
  presentedPdfSha256?: string,
  keptPdfSha256?: string | null,
): SheetVerification {
  const problems: string[] = [];
  const upToIssue = history.filter((row) => row.version <= sheet.problemVersion);
  const chain = verifyHistoryChain(upToIssue, null);
  if (!chain.intact) problems.push(chain.firstBroken?.message ?? 'The history before the sheet does not recompute.');
  const row = upToIssue.find((candidate) => candidate.version === sheet.problemVersion);
  let historyRow: SheetVerification['historyRow'] = 'matches';
  if (!row) {
    historyRow = 'missing';
    problems.push(`The history row that issued the sheet (version ${sheet.problemVersion}) is missing.`);
  } else if (row.hash !== sheet.historyHash || row.eventType !== 'ESCALATE' || row.payload.level !== sheet.facts.level) {
    historyRow = 'altered';
    problems.push(`The history row that issued the sheet (version ${sheet.problemVersion}) is not the one the sheet records: it, or the sheet, was changed.`);
  }
  let pdf: SheetVerification['pdf'] = 'notChecked';
  if (presentedPdfSha256 !== undefined) {
    pdf = keptPdfSha256 && presentedPdfSha256 === keptPdfSha256 ? 'matches' : 'differs';
    if (pdf === 'differs') problems.push('The PDF presented is not the sheet as issued: it was altered, or it is a different sheet.');
  }
  return { number: sheet.number, valid: problems.length === 0, historyRow, chainIntact: chain.intact, pdf, problems };
}
