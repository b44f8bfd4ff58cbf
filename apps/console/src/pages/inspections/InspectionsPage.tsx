import { App, Button, Card, Col, Empty, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { InspectionView } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { InspectionDetail } from './InspectionDetail';
import { useInspectionList } from './inspection-queries';
import { NewInspectionForm } from './NewInspectionForm';

/**
 * The inspector's inspections (检查): the list and a new one; `?open=<id>` shows one of them (its problems and
 * team), so it can be bookmarked and the phone's back button returns to the list.
 */
export default function InspectionsPage() {
  const [params] = useSearchParams();
  const open = params.get('open');
  return open ? <InspectionDetail id={open} /> : <InspectionList />;
}

function InspectionList() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const list = useInspectionList();
  const [creating, setCreating] = useState(false);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  function created(inspection: InspectionView) {
    setCreating(false);
    void message.success(t('inspections.created'));
    navigate(`/inspections?open=${encodeURIComponent(inspection.id)}`);
  }

  return (
    <section style={{ maxWidth: 960 }}>
      <Space align="center" wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('inspections.title')}
        </Typography.Title>
        {!creating && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('inspections.create')}
          </Button>
        )}
      </Space>
      {creating && (
        <Card size="small" style={{ margin: '16px 0' }} title={<Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{t('inspections.create')}</Typography.Title>}>
          <NewInspectionForm onCreated={created} onCancel={() => setCreating(false)} />
        </Card>
      )}
      <div style={{ marginTop: 16 }}>
        {list.error ? (
          <ErrorNotice error={list.error} />
        ) : !list.isPending && items.length === 0 ? (
          <Empty description={t('inspections.empty')} />
        ) : (
          <Row gutter={[12, 12]} role="list">
            {items.map((inspection) => (
              <Col key={inspection.id} xs={24} md={12} role="listitem">
                <InspectionCard inspection={inspection} />
              </Col>
            ))}
          </Row>
        )}
        {list.isPending && <Card loading size="small" />}
      </div>
      {list.hasNextPage && (
        <Button style={{ marginTop: 16 }} block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('inspections.more')}
        </Button>
      )}
    </section>
  );
}

function InspectionCard({ inspection }: { inspection: InspectionView }) {
  const { t } = useI18n();
  const dates = [inspection.startsOn, inspection.endsOn].filter(Boolean).join(' – ');
  return (
    <Card size="small">
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Link to={`/inspections?open=${encodeURIComponent(inspection.id)}`}>
          <Typography.Text strong>{inspection.reference}</Typography.Text>
        </Link>
        {inspection.title !== inspection.reference && <Typography.Text>{inspection.title}</Typography.Text>}
        <Space wrap size={4}>
          <Tag>{t(dynamicKey('inspections.kind', inspection.kind))}</Tag>
          {dates && <Typography.Text type="secondary">{dates}</Typography.Text>}
          <Typography.Text type="secondary">
            {t('inspections.team')}: {inspection.members.length}
          </Typography.Text>
        </Space>
      </Space>
    </Card>
  );
}
