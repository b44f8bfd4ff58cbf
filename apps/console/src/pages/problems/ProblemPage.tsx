import { useQueryClient } from '@tanstack/react-query';
import { App, Alert, Button, Card, Descriptions, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import type { ProblemEventBody, ProblemView } from '../../api/views';
import { DeadlineLight } from '../../components/DeadlineLight';
import { TrafficLight } from '../../components/TrafficLight';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { PageLoading } from '../../components/PageLoading';
import { useSession } from '../../auth/session';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { DANGEROUS_EVENTS } from './event-forms';
import { DeadlineExplanation } from './DeadlineExplanation';
import { EventDialog } from './EventDialog';
import { EvidenceGallery } from './EvidenceGallery';
import { SupervisionSheets } from './SupervisionSheets';
import { problemKey, useDepartments, useHistory, useProblem } from './problem-queries';
import { useProblemStream } from './useProblemStream';

const STEPS = ['found', 'assigned', 'rectifying', 'verified', 'closed'] as const;

/**
 * One problem: where it stands in its life, its deadline light, what the caller may do now (exactly the server's
 * `allowedEvents`, so nothing shown would be refused), and its history. Another person's step arrives live.
 */
export default function ProblemPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const problem = useProblem(id);
  const history = useHistory(id);
  const departments = useDepartments();
  const { user } = useSession();
  const live = useProblemStream(id, user.id);
  const [sending, setSending] = useState<string | null>(null);

  useEffect(() => {
    if (live) {
      void client.invalidateQueries({ queryKey: ['problem', id, 'history'] });
      message.info(t('problem.updated', { actor: live.actorName, event: t(dynamicKey('event', domainToEvent(live.type))) }));
    }
  }, [live, client, id, message, t]);

  if (problem.isPending) return <PageLoading />;
  if (problem.error) return <ErrorNotice error={problem.error} />;
  const view = problem.data;

  async function send(type: string, fields: Record<string, unknown>) {
    try {
      // The dialog's fields are those event-forms.ts gives the event type; the server checks them against it.
      const body = { type, expectedVersion: view.version, ...fields } as ProblemEventBody;
      const next = await unwrap(api.POST('/problems/{id}/events', { params: { path: { id } }, body }));
      client.setQueryData(problemKey(id), next);
      void client.invalidateQueries({ queryKey: ['problem', id, 'history'] });
      setSending(null);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PROBLEM.VERSION_CONFLICT') {
        // Someone else was first: show what is true now, and say so.
        setSending(null);
        await client.invalidateQueries({ queryKey: problemKey(id) });
        void client.invalidateQueries({ queryKey: ['problem', id, 'history'] });
        modal.warning({ title: t('conflict.title'), content: t('conflict.body') });
        return;
      }
      throw error;
    }
  }

  const stepIndex = view.state === 'cancelled' ? 0 : STEPS.indexOf(view.state as (typeof STEPS)[number]);
  const departmentName = departments.data?.find((department) => department.id === view.departmentId)?.name ?? '—';

  return (
    <article>
      <Space align="center" wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {view.title}
        </Typography.Title>
        <TrafficLight light={view.light} />
        <DeadlineLight state={view.deadlineState} />
        {view.state === 'cancelled' && <Tag>{t('state.cancelled')}</Tag>}
      </Space>
      <Steps
        style={{ margin: '16px 0' }}
        current={stepIndex}
        status={view.state === 'cancelled' ? 'error' : view.state === 'closed' ? 'finish' : 'process'}
        items={STEPS.map((step) => ({ title: t(dynamicKey('problem.step', step)) }))}
        responsive
      />
      {view.pendingRequest && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t(dynamicKey('problem.pending', view.pendingRequest.kind))} description={view.pendingRequest.reason} />}
      <Card title={t('problem.actions')} size="small" style={{ marginBottom: 16 }}>
        {view.allowedEvents.length === 0 ? (
          <Typography.Text type="secondary">{t('problem.noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {view.allowedEvents.map((type) => (
              <Button key={type} danger={DANGEROUS_EVENTS.has(type)} type={DANGEROUS_EVENTS.has(type) ? 'default' : 'primary'} onClick={() => setSending(type)}>
                {t(dynamicKey('event', type))}
              </Button>
            ))}
          </Space>
        )}
      </Card>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('problem.state')}>{t(dynamicKey('state', view.state))}</Descriptions.Item>
        <Descriptions.Item label={t('problem.severity')}>{t(dynamicKey('severity', view.severity))}</Descriptions.Item>
        <Descriptions.Item label={t('problem.department')}>{departmentName}</Descriptions.Item>
        <Descriptions.Item label={t('problem.responsiblePerson')}>{view.responsiblePerson ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('problem.deadline')}>{formatInstant(view.deadline, language)}</Descriptions.Item>
        <Descriptions.Item label={t('problem.inspectionRef')}>{view.inspectionRef}</Descriptions.Item>
        <Descriptions.Item label={t('problem.location')}>{view.location}</Descriptions.Item>
        <Descriptions.Item label={t('problem.category')}>{view.category}</Descriptions.Item>
        <Descriptions.Item label={t('problem.description')} span={2}>
          {view.description}
        </Descriptions.Item>
        <Descriptions.Item label={t('problem.requirement')} span={2}>
          {view.requirement}
        </Descriptions.Item>
      </Descriptions>
      <EvidenceGallery problem={view} />
      <DeadlineExplanation problemId={view.id} version={view.version} />
      <SupervisionSheets problemId={view.id} version={view.version} />
      <Card title={t('problem.history')} size="small">
        {history.error ? (
          <ErrorNotice error={history.error} />
        ) : (
          <Timeline
            items={(history.data ?? []).map((row) => ({
              key: row.version,
              content: (
                <span>
                  <strong>{t(dynamicKey('event', row.eventType))}</strong> · {row.actorName} · {formatInstant(row.occurredAt, language)}
                  {['reason', 'comment', 'note', 'measures', 'summary'].map((field) =>
                    typeof row.payload[field] === 'string' ? <div key={field}>{row.payload[field] as string}</div> : null,
                  )}
                </span>
              ),
            }))}
          />
        )}
      </Card>
      {sending && <EventDialog type={sending} open onCancel={() => setSending(null)} onSend={(fields) => send(sending, fields)} />}
    </article>
  );
}

/** `problem.extension_requested` → REQUEST_EXTENSION, for the message naming what someone just did. */
function domainToEvent(type: string): string {
  const names: Record<string, string> = {
    'problem.filed': 'FILE', 'problem.assigned': 'ASSIGN', 'problem.reassigned': 'REASSIGN', 'problem.started': 'START',
    'problem.progress_reported': 'REPORT_PROGRESS', 'problem.submitted': 'SUBMIT', 'problem.approved': 'APPROVE', 'problem.rejected': 'REJECT',
    'problem.closed': 'CLOSE', 'problem.cancelled': 'CANCEL', 'problem.reopened': 'REOPEN', 'problem.extension_requested': 'REQUEST_EXTENSION',
    'problem.extension_approved': 'APPROVE_EXTENSION', 'problem.extension_rejected': 'REJECT_EXTENSION', 'problem.suspension_requested': 'REQUEST_SUSPENSION',
    'problem.suspended': 'APPROVE_SUSPENSION', 'problem.suspension_rejected': 'REJECT_SUSPENSION', 'problem.resumed': 'RESUME',
    'problem.deadline_recounted': 'RECOUNT_DEADLINE', 'problem.deadline_approaching': 'DEADLINE_REMINDER', 'problem.overdue': 'DEADLINE_PASSED',
    'problem.escalated': 'ESCALATE', 'problem.verification_overdue': 'VERIFICATION_OVERDUE', 'problem.behind_plan': 'BEHIND_PLAN',
  };
  return names[type] ?? type;
}
