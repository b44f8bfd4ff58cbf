import { App, Button, Card, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { SupervisionSheet } from '../../api/views';
import { useSession } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import { sheetPdfPath, sheetVerifyRoute, useProblemSheets, useRespondToSheet } from './sheet-queries';

/** The server's bound on a written response. */
const RESPONSE_MAX_CHARS = 4000;

/**
 * The problem's numbered supervision sheets (督办单), one per ladder step it reached: each as a PDF to download and
 * print, the verification page its QR code leads to, and the department's written response (书面回复) where the step
 * asks for one — given here by a member of the department. Shown once there is one.
 */
export function SupervisionSheets({ problemId, version }: { problemId: string; version: number }) {
  const { t, language } = useI18n();
  const { user } = useSession();
  const sheets = useProblemSheets(problemId, version);
  const [responding, setResponding] = useState<SupervisionSheet | null>(null);
  if (sheets.data && sheets.data.length === 0) return null;
  const mayRespond = (sheet: SupervisionSheet) =>
    user.role === 'department' && user.departmentId === sheet.facts.responsibleDepartment.id && sheet.facts.responseDue !== null && sheet.response === null;

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
            { title: t('sheets.response'), key: 'response', render: (_: unknown, sheet) => <ResponseState sheet={sheet} /> },
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
                  {mayRespond(sheet) && (
                    <Button size="small" type="primary" onClick={() => setResponding(sheet)}>
                      {t('sheets.respond')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {responding && <RespondDialog problemId={problemId} sheet={responding} onClose={() => setResponding(null)} />}
    </Card>
  );
}

/** Whether the department's written response is due, given (on time or late), overdue, or not asked. */
export function ResponseState({ sheet }: { sheet: Pick<SupervisionSheet, 'facts' | 'response'> }) {
  const { t, language } = useI18n();
  const due = sheet.facts.responseDue;
  if (sheet.response) {
    return (
      <Tag color={sheet.response.late ? 'orange' : 'green'}>
        {t(sheet.response.late ? 'sheets.response.late' : 'sheets.response.given', { at: formatInstant(sheet.response.at, language) })}
      </Tag>
    );
  }
  if (due === null) return <Typography.Text type="secondary">{t('sheets.response.notAsked')}</Typography.Text>;
  const overdue = Date.parse(due) < Date.now();
  return <Tag color={overdue ? 'red' : 'blue'}>{t(overdue ? 'sheets.response.overdue' : 'sheets.response.due', { due: formatInstant(due, language) })}</Tag>;
}

function RespondDialog({ problemId, sheet, onClose }: { problemId: string; sheet: SupervisionSheet; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const respond = useRespondToSheet(problemId);
  const [form] = Form.useForm<{ text: string }>();
  const submit = async () => {
    const { text } = await form.validateFields();
    respond.mutate(
      { sheet, text },
      {
        onSuccess: () => {
          void message.success(t('sheets.response.sent'));
          onClose();
        },
      },
    );
  };
  return (
    <Modal open title={t('sheets.respondTitle', { number: sheet.number })} okText={t('sheets.respondSend')} onOk={() => void submit()} confirmLoading={respond.isPending} onCancel={onClose}>
      <Typography.Paragraph>{sheet.facts.requirement}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="text"
          label={t('sheets.responseText')}
          rules={[{ required: true, whitespace: true, message: t('sheets.responseRequired') }, { max: RESPONSE_MAX_CHARS }]}
        >
          <Input.TextArea rows={6} maxLength={RESPONSE_MAX_CHARS} showCount />
        </Form.Item>
      </Form>
      {respond.error && <ErrorNotice error={respond.error} />}
    </Modal>
  );
}
