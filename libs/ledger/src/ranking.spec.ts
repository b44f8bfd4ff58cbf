import { DEFAULT_RANKING_THRESHOLDS, type RankingThresholds } from '#domain';
import { cellsOf, headersOf, RANKING_COLUMNS } from './ledger.columns.js';
import type { LedgerOutcome } from './ledger.definitions.js';
import { listOf, RankingAccumulator } from './ranking.js';

const THRESHOLDS: RankingThresholds = DEFAULT_RANKING_THRESHOLDS;

function row(departmentId: string, outcome: LedgerOutcome, extra: { escalated?: boolean; days?: number } = {}) {
  const closed = outcome === 'on time' || outcome === 'on time after extension' || outcome === 'late';
  return {
    departmentId,
    department: `部门${departmentId}`,
    outcome,
    workingDaysToClose: closed ? (extra.days ?? 5) : null,
    extensions: outcome === 'on time after extension' ? 1 : 0,
    reworkRounds: 0,
    escalated: extra.escalated ?? false,
  };
}

describe('the ranking (部门排名, 红黄黑榜)', () => {
  it('reports the on-time rate against the original deadline apart from the one with extensions', () => {
    const ranking = new RankingAccumulator();
    ranking.add(row('a', 'on time'));
    ranking.add(row('a', 'on time after extension'));
    ranking.add(row('a', 'late'));
    ranking.add(row('a', 'on time'));
    ranking.add(row('a', 'cancelled'));
    const [a] = ranking.result(THRESHOLDS);
    expect(a).toMatchObject({
      received: 5, closed: 4, onTimeOriginal: 2, onTimeAfterExtension: 1, late: 1, cancelled: 1,
      onTimeRateOriginal: 0.5, onTimeRateWithExtensions: 0.75, extensions: 1,
    });
    // 50 % against the original deadline is below the black list's 60 %, however good it looks with extensions.
    expect(a.list).toBe('black');
    expect(a.listReasons).toEqual(['onTimeRate']);
  });

  it('ranks by the original on-time rate, then fewer overdue, fewer escalated, faster; equals share a rank', () => {
    const ranking = new RankingAccumulator();
    for (const id of ['slow', 'fast', 'twin']) ranking.add(row(id, 'on time', { days: id === 'slow' ? 9 : 3 }));
    ranking.add(row('overdue', 'on time'));
    ranking.add(row('overdue', 'open and overdue'));
    ranking.add(row('late', 'late'));
    ranking.add(row('none', 'open'));
    const result = ranking.result(THRESHOLDS);
    expect(result.map((r) => [r.departmentId, r.rank])).toEqual([
      ['fast', 1], ['twin', 1], ['slow', 3], ['overdue', 4], ['late', 5], ['none', 6],
    ]);
    expect(result.map((r) => r.list)).toEqual(['red', 'red', 'red', 'yellow', 'black', null]);
  });

  it('lists by the thresholds: black over yellow over red, none without a rate or a fault', () => {
    const at = (onTimeRateOriginal: number | null, overdue = 0, escalated = 0) => listOf({ onTimeRateOriginal, overdue, escalated }, THRESHOLDS);
    expect(at(0.95)).toEqual({ list: 'red', reasons: ['onTimeRate'] });
    expect(at(0.94)).toEqual({ list: null, reasons: [] });
    expect(at(1, 0, 1)).toEqual({ list: null, reasons: [] });
    expect(at(0.79)).toEqual({ list: 'yellow', reasons: ['onTimeRate'] });
    expect(at(null, 1)).toEqual({ list: 'yellow', reasons: ['overdue'] });
    expect(at(0.59, 2)).toEqual({ list: 'black', reasons: ['onTimeRate'] });
    expect(at(null, 0, 3)).toEqual({ list: 'black', reasons: ['escalated'] });
    expect(listOf({ onTimeRateOriginal: null, overdue: 0, escalated: 50 }, { ...THRESHOLDS, blackFromEscalated: null })).toEqual({ list: null, reasons: [] });
  });

  it('exports with Chinese and English headers, the list and its reasons in words', () => {
    const ranking = new RankingAccumulator();
    ranking.add(row('a', 'open and overdue', { escalated: true }));
    const [a] = ranking.result({ ...THRESHOLDS, blackFromEscalated: 1 });
    expect(headersOf(RANKING_COLUMNS, 'zh')).toEqual(expect.arrayContaining(['排名', '榜单', '按期率（原定期限）', '按期率（含延期）']));
    const zh = cellsOf(RANKING_COLUMNS, a, 'zh', 'Asia/Shanghai');
    expect(zh).toHaveLength(RANKING_COLUMNS.length);
    expect(zh.slice(0, 4)).toEqual([1, '部门a', '黑榜', '升级督办']);
    expect(cellsOf(RANKING_COLUMNS, a, 'en', 'Asia/Shanghai').slice(2, 4)).toEqual(['black list', 'escalated']);
  });
});
