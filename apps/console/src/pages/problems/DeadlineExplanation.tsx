import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { DeadlineExplanationView, PlannedStepView } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { PageLoading } from '../../components/PageLoading';
import { dynamicKey, type Translate, useI18n } from '../../i18n/i18n';
import { useDeadlineExplanation } from './deadline-queries';

/** What a day of the count was: counted (and its number), or skipped and why. */
type DayKind = 'counted' | 'makeUp' | 'weekend' | 'holiday' | 'closure' | 'suspended';
interface DayMark {
  kind: DayKind;
  ordinal?: number;
  name?: string;
}

/** Colour backs the text of each day, never replaces it. */
const DAY_STYLE: Record<DayKind, { background: string; color: string }> = {
  counted: { background: '#f6ffed', color: '#135200' },
  makeUp: { background: '#e6f4ff', color: '#003eb3' },
  weekend: { background: '#fafafa', color: '#595959' },
  holiday: { background: '#fff1f0', color: '#a8071a' },
  closure: { background: '#fff7e6', color: '#873800' },
  suspended: { background: '#f9f0ff', color: '#391085' },
};

/** Months beyond these are summarised, not drawn: a day grid of a year would say nothing more. */
const MAX_MONTHS = 4;

const parse = (date: string) => new Date(`${date}T00:00:00Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The local date now on the calendar's clock. */
function today(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The first day of every month from `first` to `last` (YYYY-MM-DD, both included). */
function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  const at = parse(`${first.slice(0, 7)}-01`);
  while (iso(at) <= last && months.length < 24) {
    months.push(iso(at));
    at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return months;
}

/** The weeks of a month, Monday first: each a row of seven dates, null outside the month. */
function weeksOf(monthStart: string): Array<Array<string | null>> {
  const start = parse(monthStart);
  const lead = (start.getUTCDay() + 6) % 7;
  const days: Array<string | null> = Array.from({ length: lead }, () => null);
  for (const day = new Date(start); day.getUTCMonth() === start.getUTCMonth(); day.setUTCDate(day.getUTCDate() + 1)) days.push(iso(day));
  while (days.length % 7 !== 0) days.push(null);
  return Array.from({ length: days.length / 7 }, (_, week) => days.slice(week * 7, week * 7 + 7));
}

function dayLabel(mark: DayMark, t: Translate): string {
  switch (mark.kind) {
    case 'counted':
      return t('department.deadline.day.counted', { n: mark.ordinal ?? 0 });
    case 'makeUp':
      return t('department.deadline.day.makeUp', { n: mark.ordinal ?? 0, name: mark.name ?? '' });
    default:
      return mark.name ? `${t(dynamicKey('department.deadline.day', mark.kind))}: ${mark.name}` : t(dynamicKey('department.deadline.day', mark.kind));
  }
}

/** The short text in a day's cell (the full one is its accessible name). */
function dayShort(mark: DayMark, t: Translate): string {
  if (mark.kind === 'counted') return String(mark.ordinal);
  if (mark.kind === 'makeUp') return `${t('department.deadline.short.makeUp')} ${mark.ordinal}`;
  return t(dynamicKey('department.deadline.short', mark.kind));
}

function MonthGrid(props: { month: string; marks: Map<string, DayMark>; deadlineDay: string; today: string; language: 'zh' | 'en' }) {
  const { t } = useI18n();
  const locale = props.language === 'zh' ? 'zh-CN' : 'en-GB';
  const caption = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(parse(props.month));
  // 2024-01-01 was a Monday.
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(parse(`2024-01-0${i + 1}`)));
  return (
    <table style={{ borderCollapse: 'separate', borderSpacing: 2, width: '100%', maxWidth: 360, tableLayout: 'fixed', fontSize: 12 }}>
      <caption style={{ textAlign: 'left', fontWeight: 600, paddingBottom: 4 }}>{caption}</caption>
      <thead>
        <tr>
          {weekdays.map((name) => (
            <th key={name} scope="col" style={{ fontWeight: 400, color: '#595959' }}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeksOf(props.month).map((week, index) => (
          <tr key={index}>
            {week.map((date, column) => {
              if (date === null) return <td key={column} />;
              const mark = props.marks.get(date);
              const notes = [
                mark ? dayLabel(mark, t) : t('department.deadline.day.outside'),
                ...(date === props.deadlineDay ? [t('department.deadline.day.deadline')] : []),
                ...(date === props.today ? [t('department.deadline.day.today')] : []),
              ];
              // Faded, yet readable: #767676 is the lightest grey with 4.5:1 on white (axe: color-contrast).
              const style = mark ? DAY_STYLE[mark.kind] : { background: 'transparent', color: '#767676' };
              return (
                <td
                  key={date}
                  title={notes.join(' · ')}
                  aria-label={`${date}: ${notes.join(', ')}`}
                  data-day-kind={mark?.kind ?? 'outside'}
                  style={{
                    ...style,
                    textAlign: 'center',
                    padding: '2px 0',
                    borderRadius: 4,
                    outline: date === props.deadlineDay ? '2px solid #cf1322' : date === props.today ? '2px dashed #1677ff' : undefined,
                  }}
                >
                  <div>{Number(date.slice(8))}</div>
                  <div style={{ fontSize: 10, minHeight: 14, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}>{mark ? dayShort(mark, t) : ''}</div>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Counting({ explanation }: { explanation: DeadlineExplanationView }) {
  const { t, language } = useI18n();
  const counting = explanation.counting!;
  const marks = new Map<string, DayMark>();
  for (const day of counting.counted) marks.set(day.date, day.makeUpFor === undefined ? { kind: 'counted', ordinal: day.ordinal } : { kind: 'makeUp', ordinal: day.ordinal, name: day.makeUpFor });
  for (const day of counting.skipped) marks.set(day.date, { kind: day.kind, name: day.name });
  const [first, last] = counting.from <= counting.to ? [counting.from, counting.listedThrough] : [counting.to, counting.from];
  const months = monthsBetween(first, last);
  const drawn = months.slice(0, MAX_MONTHS);
  const now = today(explanation.calendar.timeZone);
  return (
    <>
      <Space wrap size={[8, 4]} style={{ marginBottom: 8 }} aria-label={t('department.deadline.legend')}>
        {(Object.keys(DAY_STYLE) as DayKind[]).map((kind) => (
          <Tag key={kind} style={{ ...DAY_STYLE[kind], borderColor: DAY_STYLE[kind].color }}>
            {t(dynamicKey('department.deadline.short', kind))} = {t(dynamicKey('department.deadline.legend', kind))}
          </Tag>
        ))}
      </Space>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', gap: 16 }}>
        {drawn.map((month) => (
          <MonthGrid key={month} month={month} marks={marks} deadlineDay={counting.to} today={now} language={language} />
        ))}
      </div>
      {months.length > drawn.length && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('department.deadline.moreMonths', { n: months.length - drawn.length })}
        </Typography.Paragraph>
      )}
      {counting.later && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('department.deadline.later', { from: counting.later.from, to: counting.later.to, n: counting.later.workingDays })}
        </Typography.Paragraph>
      )}
      {counting.outsideHolidayCoverage.length > 0 && (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('department.deadline.provisional', { n: counting.outsideHolidayCoverage.length })} />
      )}
    </>
  );
}

function stepName(step: PlannedStepView, t: Translate): string {
  return step.kind === 'reminder'
    ? t('department.deadline.step.reminder', { n: step.workingDaysBefore })
    : t('department.deadline.step.escalation', { name: step.name, level: step.level, n: step.workingDaysAfterDeadline });
}

/**
 * Why the deadline is what it is: the working days counted from when it was set, each day skipped and why
 * (weekend, holiday, 调休 make-up workday, closure, suspension), what has elapsed and what remains, and the
 * reminders and escalations (督办) planned around it. A plain day grid: a full calendar widget is heavy.
 */
export function DeadlineExplanation({ problemId, version }: { problemId: string; version: number }) {
  const { t, language } = useI18n();
  const query = useDeadlineExplanation(problemId, version);
  const title = <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('department.deadline.title')}</Typography.Title>;
  if (query.isPending) return <Card title={title} size="small" style={{ marginBottom: 16 }}><PageLoading /></Card>;
  if (query.error) return <Card title={title} size="small" style={{ marginBottom: 16 }}><ErrorNotice error={query.error} /></Card>;
  const explanation = query.data;
  const basis = explanation.basis;
  const remaining = explanation.remainingWorkingDays;
  const clock = explanation.suspended ? 'suspended' : explanation.clockRunning ? 'running' : 'stopped';

  return (
    <Card title={title} size="small" style={{ marginBottom: 16 }}>
      {explanation.deadline === null ? (
        <Typography.Text type="secondary">{t('department.deadline.none')}</Typography.Text>
      ) : (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('problem.deadline')}>{formatInstant(explanation.deadline, language)}</Descriptions.Item>
            <Descriptions.Item label={t('department.deadline.basis')}>
              {basis === null
                ? '—'
                : basis.kind === 'policy'
                  ? t('department.deadline.basis.policy', { n: basis.workingDays, from: formatInstant(basis.from, language) })
                  : t('department.deadline.basis.explicit', { at: formatInstant(basis.setAt, language) })}
            </Descriptions.Item>
            <Descriptions.Item label={t('department.deadline.elapsed')}>
              {explanation.elapsedWorkingDays === null ? '—' : t('department.deadline.workingDays', { n: explanation.elapsedWorkingDays })}
            </Descriptions.Item>
            <Descriptions.Item label={t('department.deadline.remaining')}>
              {remaining === null
                ? '—'
                : remaining < 0 || explanation.overdue
                  ? t('department.deadline.overdueBy', { n: Math.abs(remaining) })
                  : t('department.deadline.workingDays', { n: remaining })}
            </Descriptions.Item>
            <Descriptions.Item label={t('department.deadline.clock')}>{t(dynamicKey('department.deadline.clock', clock))}</Descriptions.Item>
            <Descriptions.Item label={t('department.deadline.calendar')}>
              {t('department.deadline.calendarVersion', { name: explanation.calendar.name, version: explanation.calendar.version })}
            </Descriptions.Item>
            <Descriptions.Item label={t('department.deadline.policy')}>
              {t('department.deadline.policyVersion', { name: explanation.policy.name, version: explanation.policy.version })}
            </Descriptions.Item>
            {explanation.originalDeadline !== null && explanation.originalDeadline !== explanation.deadline && (
              <Descriptions.Item label={t('department.deadline.original')}>{formatInstant(explanation.originalDeadline, language)}</Descriptions.Item>
            )}
            {explanation.extensionCount > 0 && (
              <Descriptions.Item label={t('department.deadline.extensions')}>{explanation.extensionCount}</Descriptions.Item>
            )}
          </Descriptions>
          {!explanation.stampedCalendarAvailable && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('department.deadline.stampGone')} />}
          {explanation.notCounted && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={explanation.notCounted} />}
          {explanation.counting && <Counting explanation={explanation} />}
          {explanation.schedule.length > 0 && (
            <>
              <Typography.Title level={4} style={{ fontSize: 15, marginTop: 16 }}>
                {t('department.deadline.schedule')}
              </Typography.Title>
              <Table<PlannedStepView>
                size="small"
                pagination={false}
                scroll={{ x: true }}
                rowKey={(step) => `${step.kind}-${step.kind === 'reminder' ? step.workingDaysBefore : step.level}`}
                dataSource={explanation.schedule}
                columns={[
                  { title: t('department.deadline.step'), key: 'step', render: (_: unknown, step) => stepName(step, t) },
                  { title: t('department.deadline.at'), dataIndex: 'at', render: (at: string) => formatInstant(at, language) },
                  {
                    title: t('department.deadline.recipients'),
                    key: 'recipients',
                    render: (_: unknown, step) =>
                      step.kind === 'reminder'
                        ? t('problem.department')
                        : (explanation.recipients[step.recipients]?.departmentName ?? t(dynamicKey('department.deadline.recipients', step.recipients))),
                  },
                  {
                    title: t('department.deadline.status'),
                    dataIndex: 'due',
                    render: (due: boolean) => (due ? t('department.deadline.status.due') : t('department.deadline.status.planned')),
                  },
                ]}
              />
            </>
          )}
        </>
      )}
    </Card>
  );
}
