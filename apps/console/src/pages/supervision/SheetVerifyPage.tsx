import { Alert, Button, Card, Descriptions, Space, Tag, Typography, Upload } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import type { SheetVerification, SupervisionSheet } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageLoading } from '../../components/PageLoading';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useSheet, useSheetVerification, useVerifyCopy } from '../problems/sheet-queries';
import { ResponseState } from '../problems/SupervisionSheets';

/**
 * Where a supervision sheet's QR code leads (/sheets/2026-17/verify?organisation=…): whether the sheet matches the
 * tamper-evident history, what it says, and a check of a PDF copy byte for byte. Whoever may see the problem may
 * verify its sheets; to anyone else the sheet does not exist.
 */
export default function SheetVerifyPage() {
  const { t } = useI18n();
  const { number = '' } = useParams();
  const [params] = useSearchParams();
  const organisation = params.get('organisation');
  const sheet = useSheet(number, organisation);
  const verification = useSheetVerification(number, organisation);
  const copy = useVerifyCopy(number, organisation);

  if (sheet.error) return <ErrorNotice error={sheet.error} />;
  if (verification.error) return <ErrorNotice error={verification.error} />;
  if (!sheet.data || !verification.data) return <PageLoading />;
  const result = copy.data ?? verification.data;

  return (
    <section>
      <Typography.Title level={2}>
        {t('sheets.verify.title')} · {sheet.data.number}
      </Typography.Title>
      <Verdict result={result} />
      <Card title={t('sheets.verify.upload')} size="small" style={{ margin: '16px 0' }}>
        <Typography.Paragraph>{t('sheets.verify.uploadHint')}</Typography.Paragraph>
        <Upload
          accept="application/pdf"
          showUploadList={false}
          beforeUpload={(file) => {
            copy.mutate(file);
            return false;
          }}
        >
          <Button loading={copy.isPending}>{t('sheets.verify.upload')}</Button>
        </Upload>
        {copy.error && <ErrorNotice error={copy.error} />}
      </Card>
      <Facts sheet={sheet.data} />
    </section>
  );
}

function Verdict({ result }: { result: SheetVerification }) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type={result.valid ? 'success' : 'error'}
        showIcon
        title={result.valid ? t('sheets.verify.valid') : t('sheets.verify.invalid')}
        description={result.problems.length > 0 ? result.problems.join(' ') : undefined}
      />
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('sheets.verify.historyRow')}>
          <Tag color={result.historyRow === 'matches' ? 'green' : 'red'}>{t(dynamicKey('sheets.verify.historyRow', result.historyRow))}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.chain')}>
          <Tag color={result.chainIntact ? 'green' : 'red'}>{t(result.chainIntact ? 'sheets.verify.chain.intact' : 'sheets.verify.chain.broken')}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.pdf')}>
          <Tag color={result.pdf === 'matches' ? 'green' : result.pdf === 'differs' ? 'red' : undefined}>{t(dynamicKey('sheets.verify.pdf', result.pdf))}</Tag>
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

function Facts({ sheet }: { sheet: SupervisionSheet }) {
  const { t, language } = useI18n();
  const { facts } = sheet;
  return (
    <Card title={t('sheets.verify.facts')} size="small">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('sheets.step')}>{facts.stepName}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.problem')}>
          <Link to={`/problems/${sheet.problemId}`}>{facts.problem.title}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.department')}>{facts.responsibleDepartment.name}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.leader')}>{facts.leader?.name ?? t('sheets.verify.none')}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.deadline')}>{formatInstant(facts.deadline, language)}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.requirement')}>{facts.requirement}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.issuingOffice')}>{facts.issuingOffice.name}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.issuedAt')}>{formatInstant(sheet.issuedAt, language)}</Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.response')}>
          <Space orientation="vertical">
            <ResponseState sheet={sheet} />
            {sheet.response && (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {sheet.response.text} —— {sheet.response.by.name}
              </Typography.Paragraph>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('sheets.verify.hash')}>
          <Typography.Text code copyable>
            {sheet.historyHash}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
