import { App, Button, Card, Descriptions, Empty, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import type { InspectionView, ProblemView } from '../../api/views';
import { useSession } from '../../auth/session';
import { DeadlineLight } from '../../components/DeadlineLight';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { PageLoading } from '../../components/PageLoading';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useDepartments } from '../problems/problem-queries';
import { useInspection, useInspectionProblems, useTeamChange, useUserNames } from './inspection-queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATES: ReadonlyArray<ProblemView['state']> = ['found', 'assigned', 'rectifying', 'verified', 'closed', 'cancelled'];

/** One inspection: what it is, the problems found under it, and its team (changed by whoever may manage it). */
export function InspectionDetail({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const inspection = useInspection(id);
  const departments = useDepartments();
  // Only administrators may read the user list; everyone else sees team members by id.
  const names = useUserNames(user.role === 'admin');

  if (inspection.isPending) return <PageLoading />;
  if (inspection.error) {
    return (
      <section>
        <BackToList />
        <ErrorNotice error={inspection.error} />
      </section>
    );
  }
  const view = inspection.data;
  const departmentName = (departmentId: string) => departments.data?.find((department) => department.id === departmentId)?.name ?? departmentId;
  const personName = (userId: string) => (userId === user.id ? `${user.name} ${t('inspections.team.you')}` : names.data?.find((one) => one.id === userId)?.name ?? userId);
  const dates = [view.startsOn, view.endsOn].filter(Boolean).join(' – ') || '—';

  return (
    <article style={{ maxWidth: 960 }}>
      <BackToList />
      <Typography.Title level={2} style={{ marginTop: 8 }}>
        {view.reference}
        {view.title !== view.reference && <Typography.Text type="secondary" style={{ display: 'block', fontSize: 16, fontWeight: 'normal' }}>{view.title}</Typography.Text>}
      </Typography.Title>
      {view.mayFile ? (
        <Button type="primary" block style={{ maxWidth: 360, marginBottom: 16 }} onClick={() => navigate(`/problems/new?inspection=${encodeURIComponent(view.id)}`)}>
          {t('inspections.fileHere')}
        </Button>
      ) : (
        (user.role === 'inspector' || user.role === 'supervisor') && (
          <Typography.Paragraph type="secondary">{t('inspections.mayNotFile')}</Typography.Paragraph>
        )
      )}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('inspections.kind')}>{t(dynamicKey('inspections.kind', view.kind))}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.dates')}>{dates}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.inspectedDepartments')} span={2}>
          {view.inspectedDepartmentIds.length === 0 ? '—' : view.inspectedDepartmentIds.map(departmentName).join('、')}
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.team.creator')}>{personName(view.createdBy)}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.createdAt')}>{formatInstant(view.createdAt, language)}</Descriptions.Item>
      </Descriptions>
      <InspectionProblems inspection={view} />
      <Team inspection={view} personName={personName} candidates={names.data} />
    </article>
  );
}

function BackToList() {
  const { t } = useI18n();
  return <Link to="/inspections">← {t('inspections.back')}</Link>;
}

function InspectionProblems({ inspection }: { inspection: InspectionView }) {
  const { t } = useI18n();
  const { counts, recent } = useInspectionProblems(inspection.id);
  const allLink = `/problems?inspection=${encodeURIComponent(inspection.reference)}`;
  return (
    <section style={{ marginBottom: 24 }}>
      <Typography.Title level={3}>{t('inspections.problems')}</Typography.Title>
      {counts.error ? (
        <ErrorNotice error={counts.error} />
      ) : counts.data && (
        <Space wrap size={[4, 8]} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{t('inspections.problems.total', { count: counts.data.total })}</Typography.Text>
          {STATES.filter((state) => (counts.data.byState[state] ?? 0) > 0).map((state) => (
            <Tag key={state}>
              {t(dynamicKey('state', state))} {counts.data.byState[state]}
            </Tag>
          ))}
        </Space>
      )}
      {recent.error ? (
        <ErrorNotice error={recent.error} />
      ) : recent.data && recent.data.items.length === 0 ? (
        <Empty description={t('inspections.problems.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {(recent.data?.items ?? []).map((problem) => (
            <li key={problem.id} style={{ padding: '8px 0', borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }}>
              <Space wrap size={[8, 4]}>
                <Link to={`/problems/${problem.id}`}>{problem.title}</Link>
                <Tag>{t(dynamicKey('state', problem.state))}</Tag>
                <DeadlineLight state={problem.deadlineState} />
              </Space>
            </li>
          ))}
        </ul>
      )}
      <div style={{ marginTop: 8 }}>
        <Link to={allLink}>{t('inspections.problems.all')} →</Link>
      </div>
    </section>
  );
}

function Team({
  inspection,
  personName,
  candidates,
}: {
  inspection: InspectionView;
  personName(userId: string): string;
  candidates?: Array<{ id: string; name: string; username: string; role: string; active: boolean }>;
}) {
  const { t, language } = useI18n();
  const { modal } = App.useApp();
  const { add, remove } = useTeamChange(inspection.id);
  const [form] = Form.useForm<{ userId: string }>();
  const [error, setError] = useState<unknown>(null);

  async function addMember({ userId }: { userId: string }) {
    setError(null);
    try {
      await add.mutateAsync(userId.trim());
      form.resetFields();
    } catch (caught) {
      // The server names the refused user (not a team role, unknown) in its message: show it on the field.
      if (caught instanceof ApiError && (caught.code === 'INSPECTION.INVALID_MEMBER' || caught.fields.some((field) => field.field === 'userId'))) {
        form.setFields([{ name: 'userId', errors: caught.fields.find((field) => field.field === 'userId')?.messages ?? [caught.message] }]);
      }
      setError(caught);
    }
  }

  function confirmRemove(userId: string) {
    modal.confirm({
      title: t('inspections.team.remove'),
      content: t('inspections.team.removeConfirm', { name: personName(userId) }),
      okText: t('inspections.team.remove'),
      okButtonProps: { danger: true },
      cancelText: t('app.cancel'),
      onOk: async () => {
        setError(null);
        try {
          await remove.mutateAsync(userId);
        } catch (caught) {
          setError(caught);
        }
      },
    });
  }

  const onTeam = new Set(inspection.members.map((member) => member.userId));
  const pickable = (candidates ?? []).filter((one) => one.active && (one.role === 'inspector' || one.role === 'supervisor') && !onTeam.has(one.id));

  return (
    <section>
      <Typography.Title level={3}>{t('inspections.team')}</Typography.Title>
      {error !== null && <ErrorNotice error={error} />}
      {inspection.members.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('inspections.team.empty')}</Typography.Paragraph>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0, margin: '0 0 16px' }}>
          {inspection.members.map((member) => (
            <li key={member.userId} style={{ padding: '8px 0', borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }}>
              <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
                <span>
                  <Typography.Text style={{ wordBreak: 'break-all' }}>{personName(member.userId)}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">
                    {t('inspections.team.addedAt')} {formatInstant(member.addedAt, language)}
                  </Typography.Text>
                </span>
                {inspection.mayManage && (
                  <Button danger size="small" onClick={() => confirmRemove(member.userId)} aria-label={`${t('inspections.team.remove')} ${personName(member.userId)}`}>
                    {t('inspections.team.remove')}
                  </Button>
                )}
              </Space>
            </li>
          ))}
        </ul>
      )}
      {inspection.mayManage ? (
        <Card size="small" title={t('inspections.team.add')}>
          <Form form={form} layout="vertical" onFinish={addMember}>
            {candidates ? (
              <Form.Item name="userId" label={t('inspections.team.user')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" options={pickable.map((one) => ({ value: one.id, label: `${one.name} (${one.username})` }))} />
              </Form.Item>
            ) : (
              <Form.Item
                name="userId"
                label={t('inspections.team.userId')}
                extra={t('inspections.team.userId.help')}
                rules={[{ required: true, whitespace: true }, { pattern: UUID, message: t('inspections.invalidUserId') }]}
              >
                <Input autoComplete="off" spellCheck={false} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              {t('inspections.team.add')}
            </Button>
          </Form>
        </Card>
      ) : (
        <Typography.Paragraph type="secondary">{t('inspections.team.manageHint')}</Typography.Paragraph>
      )}
    </section>
  );
}
