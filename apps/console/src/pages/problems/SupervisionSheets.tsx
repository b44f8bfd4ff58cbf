import { Card, Empty, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { SupervisionSheet } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import { sheetPdfPath, sheetVerifyRoute, useProblemSheets } from './sheet-queries';

/**
 * The problem's numbered supervision sheets (督办单), one per ladder step it reached: each as a PDF to download and
 * print, and the verification page its QR code leads to. Shown once there is one.
 */
export function SupervisionSheets({ problemId, version }: { problemId: string; version: number }) {
  const { t, language } = useI18n();
  const sheets = useProblemSheets(problemId, version);
  if (sheets.data && sheets.data.length === 0) return null;

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('sheets.title')}</Typography.Title>} size="small" style={{ marginBottom: 16 }}>
      {sheets.error ? (
        <ErrorNotice error={sheets.error} />
      ) : (
        <Table<SupervisionSheet>
          rowKey="id"
          size="small"
          loading={sheets.isPending}
          dataSource={sheets.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t('sheets.empty')} /> }}
          columns={[
            { title: t('sheets.number'), dataIndex: 'number' },
            { title: t('sheets.step'), key: 'step', render: (_: unknown, sheet) => sheet.facts.stepName },
            { title: t('sheets.issuedAt'), dataIndex: 'issuedAt', render: (at: string) => formatInstant(at, language) },
            { title: t('sheets.issuingOffice'), key: 'office', render: (_: unknown, sheet) => sheet.facts.issuingOffice.name },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, sheet) => (
                <Space wrap>
                  <a href={sheetPdfPath(sheet)} download aria-label={t('sheets.downloadLabel', { number: sheet.number })}>
                    {t('sheets.download')}
                  </a>
                  <Link to={sheetVerifyRoute(sheet)} aria-label={t('sheets.verifyLabel', { number: sheet.number })}>
                    {t('sheets.verify')}
                  </Link>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
