import type { RankingList } from '#domain';
import type { LedgerOutcome, LedgerSummary } from './ledger.definitions.js';
import { localDateTime } from './ledger.definitions.js';
import type { ListReason, RankingRow } from './ranking.js';

/** One ledger (台账) row: a problem as the supervising office follows it. */
export interface LedgerRow {
  id: string;
  inspection: string;
  title: string;
  location: string;
  category: string;
  severity: string;
  departmentId: string | null;
  department: string | null;
  responsiblePerson: string | null;
  /** From the department's rectification plan (START). */
  plannedCompletionDate: string | null;
  /** The last progress report. */
  latestProgress: { note: string; percent: number | null; at: string } | null;
  foundAt: string;
  originalDeadline: string | null;
  deadline: string | null;
  extensions: number;
  state: string;
  stateDetail: string;
  /** The traffic light (红黄绿灯) under its deadline policy; null while none applies. */
  light: string | null;
  daysOverdue: number | null;
  /** The highest escalation step the problem reached (0: none): an extension or a reopening that starts the clock afresh does not lower it. */
  highestEscalationLevel: number;
  reworkRounds: number;
  /** Close-out (销号) time. */
  closedAt: string | null;
  /** When the rectification counts as completed (the last submission before approval); null unless closed. */
  completedAt: string | null;
  /** Working days from found to close-out; null unless closed. */
  workingDaysToClose: number | null;
  outcome: LedgerOutcome;
  /** The earlier problem this one repeats (屡查屡犯), if any. */
  repeatOf: string | null;
}

export type LedgerLanguage = 'zh' | 'en';
type Cell = string | number | null;

interface Column<T> {
  zh: string;
  en: string;
  cell: (row: T, lang: LedgerLanguage, timeZone: string) => Cell;
}

const LABELS: Record<string, { zh: string; en: string }> = {
  // outcomes
  'on time': { zh: '按期完成', en: 'on time' },
  'on time after extension': { zh: '延期后按期完成', en: 'on time after extension' },
  late: { zh: '逾期完成', en: 'late' },
  'open and overdue': { zh: '逾期未完成', en: 'open and overdue' },
  open: { zh: '未完成', en: 'open' },
  cancelled: { zh: '已撤销', en: 'cancelled' },
  // states
  found: { zh: '待分派', en: 'found' },
  assigned: { zh: '已分派', en: 'assigned' },
  rectifying: { zh: '整改中', en: 'rectifying' },
  verified: { zh: '已验收', en: 'verified' },
  closed: { zh: '已销号', en: 'closed' },
  // severities
  minor: { zh: '轻微', en: 'minor' },
  general: { zh: '一般', en: 'general' },
  major: { zh: '较大', en: 'major' },
  critical: { zh: '重大', en: 'critical' },
  // traffic lights
  green: { zh: '绿灯', en: 'green' },
  yellow: { zh: '黄灯', en: 'yellow' },
  red: { zh: '红灯', en: 'red' },
  black: { zh: '黑灯', en: 'black' },
};

const label = (value: string, lang: LedgerLanguage) => LABELS[value]?.[lang] ?? value;

function progressText(progress: LedgerRow['latestProgress'], timeZone: string): string {
  if (!progress) return '';
  const percent = progress.percent === null ? '' : ` (${progress.percent}%)`;
  return `${localDateTime(progress.at, timeZone)} ${progress.note}${percent}`;
}

/** The ledger's columns in export order, with their Chinese and English headers. */
export const LEDGER_COLUMNS: ReadonlyArray<Column<LedgerRow>> = [
  { zh: '编号', en: 'ID', cell: (r) => r.id },
  { zh: '检查', en: 'Inspection', cell: (r) => r.inspection },
  { zh: '问题', en: 'Problem', cell: (r) => r.title },
  { zh: '地点', en: 'Location', cell: (r) => r.location },
  { zh: '类别', en: 'Category', cell: (r) => r.category },
  { zh: '严重程度', en: 'Severity', cell: (r, lang) => label(r.severity, lang) },
  { zh: '责任部门', en: 'Department', cell: (r) => r.department },
  { zh: '责任人', en: 'Responsible person', cell: (r) => r.responsiblePerson },
  { zh: '计划完成日期', en: 'Planned completion date', cell: (r) => r.plannedCompletionDate },
  { zh: '最新进展', en: 'Latest progress', cell: (r, _lang, zone) => progressText(r.latestProgress, zone) },
  { zh: '发现日期', en: 'Found', cell: (r, _lang, zone) => localDateTime(r.foundAt, zone) },
  { zh: '原定期限', en: 'Original deadline', cell: (r, _lang, zone) => localDateTime(r.originalDeadline, zone) },
  { zh: '当前期限', en: 'Current deadline', cell: (r, _lang, zone) => localDateTime(r.deadline, zone) },
  { zh: '延期次数', en: 'Extensions', cell: (r) => r.extensions },
  { zh: '状态', en: 'State', cell: (r, lang) => label(r.state, lang) },
  { zh: '灯色', en: 'Light', cell: (r, lang) => (r.light === null ? '' : label(r.light, lang)) },
  { zh: '逾期工作日', en: 'Working days overdue', cell: (r) => r.daysOverdue },
  { zh: '最高升级级别', en: 'Highest escalation level', cell: (r) => r.highestEscalationLevel },
  { zh: '返工次数', en: 'Rework rounds', cell: (r) => r.reworkRounds },
  { zh: '销号日期', en: 'Closed', cell: (r, _lang, zone) => localDateTime(r.closedAt, zone) },
  { zh: '销号用时（工作日）', en: 'Working days to close', cell: (r) => r.workingDaysToClose },
  { zh: '结果', en: 'Outcome', cell: (r, lang) => label(r.outcome, lang) },
  { zh: '重复问题（屡查屡犯）', en: 'Repeat of', cell: (r) => r.repeatOf },
];

/** One group of the summary: a department or an inspection (or all rows). */
export interface LedgerSummaryGroup extends LedgerSummary {
  groupBy: 'all' | 'department' | 'inspection';
  /** Department id or inspection reference; null for `all` and for problems not assigned yet. */
  key: string | null;
  name: string;
}

const GROUP_LABELS = {
  all: { zh: '合计', en: 'all' },
  department: { zh: '部门', en: 'department' },
  inspection: { zh: '检查', en: 'inspection' },
} as const;

export const SUMMARY_COLUMNS: ReadonlyArray<Column<LedgerSummaryGroup>> = [
  { zh: '分组', en: 'Group by', cell: (g, lang) => GROUP_LABELS[g.groupBy][lang] },
  { zh: '名称', en: 'Name', cell: (g) => g.name },
  { zh: '总数', en: 'Total', cell: (g) => g.total },
  { zh: '已销号', en: 'Closed', cell: (g) => g.closed },
  { zh: '未销号', en: 'Open', cell: (g) => g.open },
  { zh: '逾期未完成', en: 'Open and overdue', cell: (g) => g.overdue },
  { zh: '已撤销', en: 'Cancelled', cell: (g) => g.cancelled },
  { zh: '按期完成', en: 'On time', cell: (g) => g.onTime },
  { zh: '延期后按期完成', en: 'On time after extension', cell: (g) => g.onTimeAfterExtension },
  { zh: '逾期完成', en: 'Late', cell: (g) => g.late },
  { zh: '按期完成率', en: 'On-time rate', cell: (g) => g.onTimeRate },
  { zh: '按期率分母（已销号）', en: 'On-time rate denominator (closed)', cell: (g) => g.onTimeRateDenominator },
  { zh: '平均销号工作日', en: 'Average working days to close', cell: (g) => g.averageWorkingDaysToClose },
  { zh: '延期次数', en: 'Extensions', cell: (g) => g.extensions },
  { zh: '返工次数', en: 'Rework rounds', cell: (g) => g.reworkRounds },
];

const LIST_LABELS: Record<RankingList, { zh: string; en: string }> = {
  red: { zh: '红榜', en: 'red list' },
  yellow: { zh: '黄榜', en: 'yellow list' },
  black: { zh: '黑榜', en: 'black list' },
};

const REASON_LABELS: Record<ListReason, { zh: string; en: string }> = {
  onTimeRate: { zh: '按期率', en: 'on-time rate' },
  overdue: { zh: '逾期未完成', en: 'open and overdue' },
  escalated: { zh: '升级督办', en: 'escalated' },
};

/** The ranking's columns (部门排名, 红黄黑榜) in export order. */
export const RANKING_COLUMNS: ReadonlyArray<Column<RankingRow>> = [
  { zh: '排名', en: 'Rank', cell: (r) => r.rank },
  { zh: '部门', en: 'Department', cell: (r) => r.department },
  { zh: '榜单', en: 'List', cell: (r, lang) => (r.list === null ? '' : LIST_LABELS[r.list][lang]) },
  { zh: '上榜原因', en: 'Listed for', cell: (r, lang) => r.listReasons.map((reason) => REASON_LABELS[reason][lang]).join(lang === 'zh' ? '、' : ', ') },
  { zh: '收到', en: 'Received', cell: (r) => r.received },
  { zh: '已销号', en: 'Closed', cell: (r) => r.closed },
  { zh: '未销号', en: 'Open', cell: (r) => r.open },
  { zh: '按原定期限完成', en: 'On time (original deadline)', cell: (r) => r.onTimeOriginal },
  { zh: '延期后按期完成', en: 'On time after extension', cell: (r) => r.onTimeAfterExtension },
  { zh: '逾期完成', en: 'Late', cell: (r) => r.late },
  { zh: '逾期未完成', en: 'Open and overdue', cell: (r) => r.overdue },
  { zh: '升级督办', en: 'Escalated', cell: (r) => r.escalated },
  { zh: '已撤销', en: 'Cancelled', cell: (r) => r.cancelled },
  { zh: '按期率（原定期限）', en: 'On-time rate (original deadline)', cell: (r) => r.onTimeRateOriginal },
  { zh: '按期率（含延期）', en: 'On-time rate (with extensions)', cell: (r) => r.onTimeRateWithExtensions },
  { zh: '平均销号工作日', en: 'Average working days to close', cell: (r) => r.averageWorkingDaysToClose },
  { zh: '返工次数', en: 'Rework rounds', cell: (r) => r.reworkRounds },
  { zh: '延期次数', en: 'Extensions', cell: (r) => r.extensions },
];

export function headersOf<T>(columns: ReadonlyArray<Column<T>>, lang: LedgerLanguage): string[] {
  return columns.map((column) => column[lang]);
}

/** The row's cells in column order; absent values are empty cells. */
export function cellsOf<T>(columns: ReadonlyArray<Column<T>>, row: T, lang: LedgerLanguage, timeZone: string): Array<string | number> {
  return columns.map((column) => column.cell(row, lang, timeZone) ?? '');
}
