import { App, Button, Card, Col, Empty, Row, Space, Typography, Upload } from 'antd';
import type { ReactNode } from 'react';
import type { EvidenceItem, ProblemView } from '../../api/views';
import { useSession } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import { evidenceContentPath, useEvidence, useUploadEvidence } from './evidence-queries';

/**
 * The problem's evidence (佐证材料) side by side: before (the inspecting side's `finding` files) and after (the
 * department's `rectification` files). The responsible department adds "after" files while it rectifies.
 */
export function EvidenceGallery({ problem }: { problem: Pick<ProblemView, 'id' | 'state' | 'departmentId'> }) {
  const { t } = useI18n();
  const { user } = useSession();
  const evidence = useEvidence(problem.id);
  // The server's rule for `rectification` files: a member of the department the problem is assigned to now.
  const mayAddAfter = user.role === 'department' && user.departmentId !== null && user.departmentId === problem.departmentId && problem.state === 'rectifying';
  const items = evidence.data ?? [];

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('problem.evidence')}</Typography.Title>} size="small" style={{ marginBottom: 16 }}>
      {evidence.error ? (
        <ErrorNotice error={evidence.error} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={12}>
            <EvidenceColumn problemId={problem.id} kind="finding" items={items.filter((item) => item.kind === 'finding')} loading={evidence.isPending} />
          </Col>
          <Col xs={24} md={12}>
            <EvidenceColumn problemId={problem.id} kind="rectification" items={items.filter((item) => item.kind === 'rectification')} loading={evidence.isPending}>
              {mayAddAfter && <AddAfterEvidence problemId={problem.id} />}
            </EvidenceColumn>
          </Col>
        </Row>
      )}
    </Card>
  );
}

function EvidenceColumn(props: { problemId: string; kind: EvidenceItem['kind']; items: EvidenceItem[]; loading: boolean; children?: ReactNode }) {
  const { t } = useI18n();
  const heading = props.kind === 'finding' ? t('department.evidence.before') : t('department.evidence.after');
  return (
    <section aria-label={heading} data-evidence-kind={props.kind}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0, fontSize: 15 }}>
          {heading}
        </Typography.Title>
        {props.children}
      </Space>
      {props.items.length === 0 && !props.loading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('department.evidence.none')} />
      ) : (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))', gap: 8 }}>
          {props.items.map((item) => (
            <EvidenceTile key={item.id} problemId={props.problemId} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function EvidenceTile({ problemId, item }: { problemId: string; item: EvidenceItem }) {
  const { t, language } = useI18n();
  const href = evidenceContentPath(problemId, item.id);
  const image = item.mediaType.startsWith('image/');
  return (
    <li style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 6 }}>
      <a href={href} target="_blank" rel="noreferrer">
        {image ? (
          <img src={href} alt={item.originalName} loading="lazy" style={{ width: '100%', height: 120, objectFit: 'cover', display: 'block', borderRadius: 4 }} />
        ) : (
          <span style={{ display: 'block', padding: '40px 4px', textAlign: 'center', wordBreak: 'break-all' }}>📄 {item.originalName}</span>
        )}
      </a>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatInstant(item.uploadedAt, language)}
        {item.submittedInVersion === null ? '' : ` · ${t('department.evidence.submitted')}`}
      </Typography.Text>
    </li>
  );
}

/** The phone's camera (or a file): one upload per chosen file, as `rectification` evidence. */
function AddAfterEvidence({ problemId }: { problemId: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const add = useUploadEvidence(problemId, 'rectification');
  return (
    <Upload
      accept="image/*,application/pdf"
      capture="environment"
      multiple
      showUploadList={false}
      customRequest={({ file, onSuccess, onError }) => {
        add.mutate(file as File, {
          onSuccess: (record) => {
            onSuccess?.(record);
            message.success(t('department.evidence.uploaded'));
          },
          onError: (error) => {
            onError?.(error);
            message.error(error.message);
          },
        });
      }}
    >
      <Button loading={add.isPending}>{t('department.evidence.add')}</Button>
    </Upload>
  );
}
