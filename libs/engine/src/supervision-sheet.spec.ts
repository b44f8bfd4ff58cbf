import { describe, expect, it } from '@jest/globals';
import { chinaCalendar } from '#calendar';
import { GENESIS_HASH, historyEntryHash } from '#domain';
import type { HistoryRecord, ProblemRecord } from './problem.records.js';
import { parseSheetNumber, responseRefusal, sheetNumber, sheetRecord, type StoredSheet, verifySheet } from './supervision-sheet.js';

const CALENDAR = chinaCalendar({ years: [2026] });
const UTC_CALENDAR = { ...CALENDAR, timeZone: 'UTC' };
const PARTIES = {
  organisationId: 'org',
  responsible: { departmentId: 'facilities', departmentName: '设施部', headUserId: 'wang', headName: '王芳' },
  issuingOffice: { departmentId: 'office', departmentName: '安全督查办', headUserId: 'zhang', headName: '张敏' },
};
const PROBLEM = {
  id: 'p1',
  title: '配电箱未上锁',
  description: 'Unlocked',
  category: 'electrical',
  severity: 'major',
  inspectionRef: 'INSP-1',
  createdAt: '2026-03-02T01:00:00.000Z',
  deadline: '2026-03-20T10:00:00.000Z',
  version: 3,
} as ProblemRecord;

/** A chain of three rows, the third the ESCALATE that issued the sheet. */
function historyOf(): HistoryRecord[] {
  const rows: HistoryRecord[] = [];
  const entries = [
    { eventType: 'FILE', payload: { type: 'FILE' } },
    { eventType: 'ASSIGN', payload: { type: 'ASSIGN', departmentId: 'facilities' } },
    { eventType: 'ESCALATE', payload: { type: 'ESCALATE', level: 1 } },
  ];
  entries.forEach((entry, index) => {
    const row = {
      id: `h${index + 1}`,
      problemId: 'p1',
      version: index + 1,
      ...entry,
      actorId: 'system',
      actorName: 'System',
      actorRole: 'system',
      fromState: null,
      toState: 'rectifying',
      occurredAt: `2026-03-0${index + 2}T00:00:00.000Z`,
      machineVersion: '1',
    };
    rows.push({ ...row, hash: historyEntryHash(rows[index - 1]?.hash ?? GENESIS_HASH, row) });
  });
  return rows;
}

function storedSheet(history: HistoryRecord[]): StoredSheet {
  const record = sheetRecord(PROBLEM, history[2].hash, { level: 1, stepName: '督办通知书', departmentId: 'facilities', responseWorkingDays: null }, PARTIES, '2026-03-20T10:00:01.000Z', CALENDAR);
  return { ...record, sequence: 17, number: sheetNumber(record.year, 17), pdfSha256: 'kept', response: null };
}

describe('supervision sheet numbers', () => {
  it.each([
    ['督〔2026〕17号', { year: 2026, sequence: 17 }],
    [' 2026-17 ', { year: 2026, sequence: 17 }],
    ['督〔2026〕0号', null],
    ['2026-', null],
    ['17', null],
    ['督[2026]17号', null],
    ['1999-3', null],
  ])('reads %j', (text, expected) => {
    expect(parseSheetNumber(text)).toEqual(expected);
  });

  it('prints the year and the sequence in the official form', () => {
    expect(sheetNumber(2026, 17)).toBe('督〔2026〕17号');
  });
});

describe(sheetRecord.name, () => {
  it('counts the year in the business time zone: 31 December 17:00 UTC is already the next year in Shanghai', () => {
    const record = sheetRecord(PROBLEM, 'h', { level: 2, stepName: '提醒书', departmentId: 'facilities', responseWorkingDays: null }, PARTIES, '2026-12-31T17:00:00.000Z', CALENDAR);
    expect(record.year).toBe(2027);
    expect(sheetRecord(PROBLEM, 'h', { level: 2, stepName: '提醒书', departmentId: 'facilities', responseWorkingDays: null }, PARTIES, '2026-12-31T17:00:00.000Z', UTC_CALENDAR).year).toBe(2026);
  });

  it('prints what it is, to whom, about what, by when, from whom, as they stood when it was issued', () => {
    const record = sheetRecord(PROBLEM, 'h', { level: 1, stepName: '督办通知书', departmentId: 'facilities', responseWorkingDays: null }, PARTIES, '2026-03-20T10:00:01.000Z', CALENDAR);
    expect(record).toMatchObject({
      organisationId: 'org',
      problemId: 'p1',
      problemVersion: 3,
      historyHash: 'h',
      facts: {
        stepName: '督办通知书',
        problem: { title: '配电箱未上锁', severity: 'major', inspectionRef: 'INSP-1', foundAt: PROBLEM.createdAt },
        deadline: PROBLEM.deadline,
        responsibleDepartment: { id: 'facilities', name: '设施部' },
        leader: { id: 'wang', name: '王芳' },
        issuingOffice: { id: 'office', name: '安全督查办' },
      },
    });
    expect(record.facts.requirement).toContain('督办通知书');
    expect(record.facts.requirement).toContain('书面报告安全督查办');
  });

  it('asks for no written response unless the step does, and counts the one it asks for on the working calendar', () => {
    // given a step asking for a written response in 3 working days, issued on Thursday 30 April 2026, before Labour Day
    const intent = { level: 1, stepName: '督办通知书', departmentId: 'facilities', responseWorkingDays: 3 };
    const issued = '2026-04-30T02:00:00.000Z'; // 10:00 in Shanghai

    // when
    const record = sheetRecord(PROBLEM, 'h', intent, PARTIES, issued, CALENDAR);

    // then: 1–5 May are off, so the third working day is Friday 8 May; the requirement names the date
    expect(record.facts.responseDue).toBe('2026-05-08T10:00:00.000Z');
    expect(record.facts.requirement).toContain('于2026年5月8日前将整改情况及逾期原因书面报告安全督查办');
    const none = sheetRecord(PROBLEM, 'h', { ...intent, responseWorkingDays: null }, PARTIES, issued, CALENDAR);
    expect(none.facts.responseDue).toBeNull();
    expect(none.facts.requirement).not.toContain('前将');
  });

  it('names no leader when the department has no head', () => {
    const parties = { ...PARTIES, responsible: { ...PARTIES.responsible, headUserId: null, headName: null } };
    expect(sheetRecord(PROBLEM, 'h', { level: 1, stepName: '一级督办', departmentId: 'facilities', responseWorkingDays: null }, parties, '2026-03-20T10:00:01.000Z', CALENDAR).facts.leader).toBeNull();
  });
});

describe(verifySheet.name, () => {
  it('passes an intact sheet, and a copy that is the kept PDF', () => {
    const history = historyOf();
    const sheet = storedSheet(history);
    expect(verifySheet(sheet, history)).toEqual({ number: '督〔2026〕17号', valid: true, historyRow: 'matches', chainIntact: true, pdf: 'notChecked', problems: [] });
    expect(verifySheet(sheet, history, 'kept', 'kept')).toMatchObject({ valid: true, pdf: 'matches' });
  });

  it('ignores history after the issuing row (a later event changes nothing about the sheet)', () => {
    const history = historyOf();
    const later = { ...history[2], id: 'h4', version: 4, hash: 'whatever' };
    expect(verifySheet(storedSheet(history), [...history, later]).valid).toBe(true);
  });

  it('fails a copy that differs from the kept PDF, and any copy before one was kept', () => {
    const history = historyOf();
    const sheet = storedSheet(history);
    expect(verifySheet(sheet, history, 'other', 'kept')).toMatchObject({ valid: false, pdf: 'differs' });
    expect(verifySheet(sheet, history, 'other', null)).toMatchObject({ valid: false, pdf: 'differs' });
  });

  it('fails when the issuing row or one before it was rewritten, deleted, or is not the escalation it claims', () => {
    const history = historyOf();
    const sheet = storedSheet(history);
    const rewritten = history.map((row) => (row.version === 3 ? { ...row, payload: { type: 'ESCALATE', level: 2 } } : row));
    expect(verifySheet(sheet, rewritten)).toMatchObject({ valid: false, chainIntact: false });
    const earlier = history.map((row) => (row.version === 2 ? { ...row, actorName: 'Someone else' } : row));
    expect(verifySheet(sheet, earlier)).toMatchObject({ valid: false, chainIntact: false });
    expect(verifySheet(sheet, history.slice(0, 2))).toMatchObject({ valid: false, historyRow: 'missing' });
    // a chain recomputed after the rewrite hashes differently from the hash the sheet carries
    expect(verifySheet({ ...sheet, historyHash: 'f'.repeat(64) }, history)).toMatchObject({ valid: false, historyRow: 'altered', chainIntact: true });
    expect(verifySheet({ ...sheet, facts: { ...sheet.facts, level: 2 } }, history)).toMatchObject({ valid: false, historyRow: 'altered' });
  });
});

describe(responseRefusal.name, () => {
  const asking = (sheet: StoredSheet): StoredSheet => ({ ...sheet, facts: { ...sheet.facts, responseDue: '2026-03-25T10:00:00.000Z' } });
  const member = { role: 'department', departmentId: 'facilities' };

  it('lets a member of the responsible department respond once to a sheet that asks for it', () => {
    const sheet = asking(storedSheet(historyOf()));
    expect(responseRefusal(sheet, member)).toBeNull();
    expect(responseRefusal({ ...sheet, response: { text: 'Done', at: sheet.issuedAt, by: { id: 'wang', name: '王芳' }, late: false } }, member)).toBe('alreadyGiven');
  });

  it('refuses anyone else, and a sheet that asks for no response', () => {
    const sheet = asking(storedSheet(historyOf()));
    expect(responseRefusal(sheet, { role: 'department', departmentId: 'production' })).toBe('notYourDepartment');
    expect(responseRefusal(sheet, { role: 'supervisor', departmentId: 'facilities' })).toBe('notYourDepartment');
    expect(responseRefusal(storedSheet(historyOf()), member)).toBe('notAsked');
  });
});
