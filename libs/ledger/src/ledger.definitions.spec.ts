import { describe, expect, it } from '@jest/globals';
import { createCalendar, type BusinessCalendar } from '#calendar';
import { cellsOf, headersOf, LEDGER_COLUMNS, type LedgerRow } from './ledger.columns.js';
import { type LedgerFacts, type LedgerOutcome, localDateTime, measureProblem, SummaryAccumulator, WorkingDayCounter } from './ledger.definitions.js';

// Weekends only, Shanghai time. March 2026: Monday 2, Friday 6, Monday 9 … Friday 20, Monday 23.
const calendar: BusinessCalendar = createCalendar({ id: 'test', name: 'Test calendar', timeZone: 'Asia/Shanghai' });
const workingDays = new WorkingDayCounter(calendar);

const ORIGINAL = '2026-03-13T10:00:00.000Z'; // Friday 13, 18:00 Shanghai
const EXTENDED = '2026-03-20T10:00:00.000Z'; // Friday 20, 18:00 Shanghai
const NOW = new Date('2026-03-25T02:00:00.000Z'); // Wednesday 25, 10:00 Shanghai

function facts(overrides: Partial<LedgerFacts>): LedgerFacts {
  return {
    state: 'closed',
    foundAt: '2026-03-02T01:00:00.000Z',
    originalDeadline: ORIGINAL,
    deadline: ORIGINAL,
    submittedAt: null,
    closedAt: null,
    suspendedSince: null,
    ...overrides,
  };
}

describe(measureProblem.name, () => {
  it.each<[string, Partial<LedgerFacts>, LedgerOutcome, number | null, number | null]>([
    // name, facts, outcome, days overdue, working days to close
    ['closed, submitted by the original deadline', { submittedAt: '2026-03-12T02:00:00.000Z', closedAt: '2026-03-16T02:00:00.000Z' }, 'on time', 0, 10],
    ['closed, submitted on the deadline day before 18:00', { submittedAt: '2026-03-13T09:59:00.000Z', closedAt: '2026-03-17T02:00:00.000Z' }, 'on time', 0, 11],
    // verification took a week after an on-time submission: it does not count against the department
    ['closed late but submitted in time', { submittedAt: '2026-03-13T02:00:00.000Z', closedAt: '2026-03-23T02:00:00.000Z' }, 'on time', 0, 15],
    ['closed, submitted after the original deadline but by the extended one', { deadline: EXTENDED, submittedAt: '2026-03-18T02:00:00.000Z', closedAt: '2026-03-19T02:00:00.000Z' }, 'on time after extension', 0, 13],
    ['closed, submitted after the current deadline', { submittedAt: '2026-03-17T02:00:00.000Z', closedAt: '2026-03-18T02:00:00.000Z' }, 'late', 2, 12],
    ['closed after an extension, still late', { deadline: EXTENDED, submittedAt: '2026-03-24T02:00:00.000Z', closedAt: '2026-03-24T08:00:00.000Z' }, 'late', 2, 16],
    ['closed with no submission recorded: the close-out time counts', { closedAt: '2026-03-16T02:00:00.000Z' }, 'late', 1, 10],
    ['open, deadline passed', { state: 'rectifying' }, 'open and overdue', 8, null],
    ['open, extended deadline not passed', { state: 'rectifying', deadline: '2026-03-31T10:00:00.000Z' }, 'open', 0, null],
    ['open, awaiting verification, handed in before the deadline', { state: 'rectifying', submittedAt: '2026-03-12T02:00:00.000Z' }, 'open', 0, null],
    ['verified, handed in after the deadline', { state: 'verified', submittedAt: '2026-03-16T02:00:00.000Z' }, 'open and overdue', 1, null],
    ['open, suspended before the deadline', { state: 'rectifying', suspendedSince: '2026-03-11T02:00:00.000Z' }, 'open', 0, null],
    ['found, no deadline yet', { state: 'found', originalDeadline: null, deadline: null }, 'open', null, null],
    ['cancelled', { state: 'cancelled' }, 'cancelled', null, null],
  ])('%s', (_name, given, outcome, daysOverdue, workingDaysToClose) => {
    // when
    const measured = measureProblem(facts(given), workingDays, NOW);

    // then
    expect({ outcome: measured.outcome, daysOverdue: measured.daysOverdue, workingDaysToClose: measured.workingDaysToClose }).toEqual({
      outcome,
      daysOverdue,
      workingDaysToClose,
    });
  });

  it('late by hours on the deadline\'s own working day counts 0 working days overdue (the deadline day is not counted)', () => {
    const measured = measureProblem(facts({ submittedAt: '2026-03-13T12:00:00.000Z', closedAt: '2026-03-16T02:00:00.000Z' }), workingDays, NOW);
    expect(measured).toMatchObject({ outcome: 'late', daysOverdue: 0 });
  });
});

describe(SummaryAccumulator.name, () => {
  it('counts outcomes; the on-time rate is (on time + after extension) / closed', () => {
    // given
    const sums = new SummaryAccumulator();
    const add = (outcome: LedgerOutcome, workingDaysToClose: number | null, extensions = 0, reworkRounds = 0) =>
      sums.add({ outcome, workingDaysToClose, extensions, reworkRounds });
    add('on time', 8);
    add('on time after extension', 19, 1);
    add('late', 18, 0, 1);
    add('open and overdue', null, 0, 2);
    add('open', null);
    add('cancelled', null);

    // when / then
    expect(sums.result()).toEqual({
      total: 6,
      closed: 3,
      open: 2,
      overdue: 1,
      cancelled: 1,
      onTime: 1,
      onTimeAfterExtension: 1,
      late: 1,
      onTimeRate: 0.6667,
      onTimeRateDenominator: 3,
      averageWorkingDaysToClose: 15,
      extensions: 1,
      reworkRounds: 3,
    });
  });

  it('has no rate and no average while nothing is closed', () => {
    const sums = new SummaryAccumulator();
    sums.add({ outcome: 'open', workingDaysToClose: null, extensions: 0, reworkRounds: 0 });
    expect(sums.result()).toMatchObject({ onTimeRate: null, onTimeRateDenominator: 0, averageWorkingDaysToClose: null });
  });
});

describe('ledger columns', () => {
  it('have Chinese and English headers, one per cell', () => {
    const row: LedgerRow = {
      id: 'p1', inspection: 'INSP-1', title: '消防通道堵塞', location: 'Warehouse 3', category: 'fire-safety', severity: 'major',
      departmentId: 'd1', department: '设施部', responsiblePerson: '王芳', plannedCompletionDate: '2026-03-10',
      latestProgress: { note: '已清理一半', percent: 50, at: '2026-03-05T02:00:00.000Z' },
      foundAt: '2026-03-02T01:00:00.000Z', originalDeadline: ORIGINAL, deadline: EXTENDED, extensions: 1, state: 'closed',
      stateDetail: 'closed', light: null, daysOverdue: 0, highestEscalationLevel: 0, reworkRounds: 0, closedAt: '2026-03-19T02:00:00.000Z', completedAt: '2026-03-18T02:00:00.000Z',
      workingDaysToClose: 13, outcome: 'on time after extension', repeatOf: null,
    };
    expect(headersOf(LEDGER_COLUMNS, 'zh')).toContain('责任部门');
    expect(headersOf(LEDGER_COLUMNS, 'en')).toContain('Department');
    const cells = cellsOf(LEDGER_COLUMNS, row, 'zh', 'Asia/Shanghai');
    expect(cells).toHaveLength(LEDGER_COLUMNS.length);
    expect(cells).toEqual(expect.arrayContaining(['较大', '延期后按期完成', '已销号', '2026-03-20 18:00', '2026-03-05 10:00 已清理一半 (50%)', '']));
    expect(cellsOf(LEDGER_COLUMNS, row, 'en', 'Asia/Shanghai')).toEqual(expect.arrayContaining(['major', 'on time after extension']));
    expect(cellsOf(LEDGER_COLUMNS, { ...row, light: 'red' }, 'zh', 'Asia/Shanghai')).toContain('红灯');
  });

  it('write instants as local date and time in the calendar zone', () => {
    expect(localDateTime('2026-03-20T10:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-20 18:00');
    expect(localDateTime(null, 'Asia/Shanghai')).toBe('');
  });
});
