import { Button, DatePicker, Empty, Form, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import type { RankingList, RankingRow, RankingView } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatRate } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { RankingListTag } from './RankingListTag';
import { exportHref, type LedgerFilters, ledgerHref, useRanking } from './supervision-queries';

const DATE = 'YYYY-MM-DD';

/** Each list in its colour and in words (colour is never the only signal): 红榜 commended, 黄榜 warned, 黑榜 named. */

type Period = { from: string; to: string };

const periodOf = (start: Dayjs, end: Dayjs): Period => ({ from: start.format(DATE), to: end.format(DATE) });

/** What an office ranks by default: this month, its first to its last day. */
function thisMonth(): Period {
  return periodOf(dayjs().startOf('month'), dayjs().endOf('month'));
}

/** A threshold as an admin entered it: 0.95 → 95%, 0.955 → 95.5%. */
const threshold = (rate: number) => `${Math.round(rate * 10_000) / 100}%`;

/**
 * The department ranking (部门排名): the responsible departments over a period of found dates, best first, each on
 * the red, yellow or black list (红黄黑榜) by the thresholds of the deadline policy in force. The period lives in
 * the URL (this month without one); each count leads to the ledger rows behind it, and the exports hold the same.
 */
export default function RankingPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const month = thisMonth();
  const period: Period = { from: params.get('from') ?? month.from, to: params.get('to') ?? month.to };
  const ranking = useRanking(period);

  const quarter = dayjs().startOf('month').month(Math.floor(dayjs().month() / 3) * 3);
  const presets = [
    { label: t('supervision.ranking.thisMonth'), value: [dayjs().startOf('month'), dayjs().endOf('month')] as [Dayjs, Dayjs] },
    { label: t('supervision.ranking.lastMonth'), value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] as [Dayjs, Dayjs] },
    { label: t('supervision.ranking.thisQuarter'), value: [quarter, quarter.add(2, 'month').endOf('month')] as [Dayjs, Dayjs] },
    { label: t('supervision.ranking.thisYear'), value: [dayjs().startOf('year'), dayjs().endOf('year')] as [Dayjs, Dayjs] },
  ];

  return (
    <section>
      <Typography.Title level={2}>{t('nav.ranking')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('supervision.ranking.period')} htmlFor="ranking-from">
          <DatePicker.RangePicker
            id={{ start: 'ranking-from', end: 'ranking-to' }}
            format={DATE}
            allowClear={false}
            placeholder={[t('supervision.ranking.period'), t('supervision.ranking.periodEnd')]}
            presets={presets}
            value={[dayjs(period.from, DATE), dayjs(period.to, DATE)]}
            onChange={(dates) => {
              if (dates?.[0] && dates[1]) setParams(new URLSearchParams(periodOf(dates[0], dates[1])));
            }}
          />
        </Form.Item>
      </Form>

      {ranking.data && <Thresholds ranking={ranking.data} />}

      <Space wrap style={{ marginBottom: 16 }} role="group" aria-label={t('supervision.ledger.downloads')}>
        <Button href={exportHref('ranking', 'csv', period, language)}>{t('supervision.ranking.csv')}</Button>
        <Button href={exportHref('ranking', 'xlsx', period, language)}>{t('supervision.ranking.xlsx')}</Button>
      </Space>

      {ranking.error ? (
        <ErrorNotice error={ranking.error} />
      ) : (
        <RankingTable loading={ranking.isPending} rows={ranking.data?.departments ?? []} period={period} />
      )}

      {ranking.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('supervision.ranking.definition', { definition: ranking.data.definition })}
        </Typography.Paragraph>
      )}
    </section>
  );
}

/** What puts a department on each list, and which policy version says so. */
function Thresholds({ ranking }: { ranking: RankingView }) {
  const { t } = useI18n();
  const lists = ranking.thresholds;
  return (
    <Typography.Paragraph>
      {t('supervision.ranking.policy', { name: ranking.policy.name, version: ranking.policy.version })}
      {t('supervision.ranking.rule.red', { rate: threshold(lists.redFromOnTimeRate) })}
      {t('supervision.ranking.rule.yellow', { rate: threshold(lists.yellowBelowOnTimeRate), count: lists.yellowFromOverdue })}
      {lists.blackFromEscalated === null
        ? t('supervision.ranking.rule.blackRateOnly', { rate: threshold(lists.blackBelowOnTimeRate) })
        : t('supervision.ranking.rule.black', { rate: threshold(lists.blackBelowOnTimeRate), count: lists.blackFromEscalated })}
    </Typography.Paragraph>
  );
}

function RankingTable({ loading, rows, period }: { loading: boolean; rows: RankingRow[]; period: Period }) {
  const { t } = useI18n();

  /**
   * A count leading to the ledger rows behind it: the department's problems found in the period, and `narrower`
   * for the closed ones. The ledger has no deadline filter: an open and overdue count leads to the department's rows,
   * where each of those is marked red.
   */
  const figure = (figureKey: MessageKey, narrower: Omit<LedgerFilters, 'department' | 'from' | 'to'> = {}) => (count: number, row: RankingRow) =>
    count === 0 ? (
      count
    ) : (
      <Link
        to={ledgerHref({ department: row.departmentId, ...period, ...narrower })}
        aria-label={t('supervision.ranking.figureLink', { department: row.department, figure: t(figureKey), count })}
      >
        {count}
      </Link>
    );

  return (
    <Table<RankingRow>
      rowKey="departmentId"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: true }}
      locale={{ emptyText: <Empty description={t('supervision.ranking.empty')} /> }}
      columns={[
        { title: t('supervision.ranking.rank'), dataIndex: 'rank', align: 'right' },
        { title: t('problem.department'), dataIndex: 'department' },
        {
          title: t('supervision.ranking.list'),
          dataIndex: 'list',
          render: (_: RankingList | null, row) => <RankingListTag row={row} reasons />,
        },
        // The two rates side by side: against the deadline first given (extensions cannot hide lateness), and with them.
        { title: t('supervision.ranking.rateOriginal'), dataIndex: 'onTimeRateOriginal', align: 'right', render: formatRate },
        { title: t('supervision.ranking.rateWithExtensions'), dataIndex: 'onTimeRateWithExtensions', align: 'right', render: formatRate },
        { title: t('supervision.ranking.received'), dataIndex: 'received', align: 'right', render: figure('supervision.ranking.received') },
        { title: t('supervision.count.closed'), dataIndex: 'closed', align: 'right', render: figure('supervision.count.closed', { state: 'closed' }) },
        { title: t('supervision.count.open'), dataIndex: 'open', align: 'right' },
        { title: t('supervision.ranking.onTimeOriginal'), dataIndex: 'onTimeOriginal', align: 'right' },
        { title: t('supervision.outcome.onTimeAfterExtension'), dataIndex: 'onTimeAfterExtension', align: 'right' },
        { title: t('supervision.outcome.late'), dataIndex: 'late', align: 'right' },
        { title: t('supervision.count.overdue'), dataIndex: 'overdue', align: 'right', render: figure('supervision.count.overdue') },
        { title: t('supervision.ranking.escalated'), dataIndex: 'escalated', align: 'right' },
        { title: t('supervision.outcome.cancelled'), dataIndex: 'cancelled', align: 'right' },
        {
          title: t('supervision.count.averageDays'),
          dataIndex: 'averageWorkingDaysToClose',
          align: 'right',
          render: (days: number | null) => (days === null ? '—' : days.toFixed(1)),
        },
        { title: t('supervision.ranking.reworkRounds'), dataIndex: 'reworkRounds', align: 'right' },
        { title: t('supervision.ledger.extensions'), dataIndex: 'extensions', align: 'right' },
      ]}
    />
  );
}
