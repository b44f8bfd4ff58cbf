import { Tag, Typography } from 'antd';
import type { RankingList, RankingRow } from '../../api/views';
import { dynamicKey, useI18n } from '../../i18n/i18n';

const LIST_COLOURS: Record<RankingList, string> = { red: 'red', yellow: 'gold', black: '#262626' };

/**
 * A department's list (红榜, 黄榜, 黑榜) in its colour and in words, what put it there as the tag's title, and, with
 * `reasons`, beside it; a dash when it is on none.
 */
export function RankingListTag({ row, reasons = false }: { row: Pick<RankingRow, 'list' | 'listReasons'>; reasons?: boolean }) {
  const { t, language } = useI18n();
  if (row.list === null) return <>—</>;
  const why = row.listReasons.map((reason) => t(dynamicKey('supervision.ranking.reason', reason))).join(language === 'zh' ? '、' : ', ');
  return (
    <>
      <Tag color={LIST_COLOURS[row.list]} data-list={row.list} title={why}>
        {t(dynamicKey('supervision.ranking.list', row.list))}
      </Tag>
      {reasons && (
        <>
          {' '}
          <Typography.Text type="secondary">{why}</Typography.Text>
        </>
      )}
    </>
  );
}
