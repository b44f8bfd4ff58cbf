import { Tag } from 'antd';
import { dynamicKey, useI18n } from '../i18n/i18n';

/** The deadline state as a coloured light: on track green, due soon orange, overdue red, escalated magenta. */
const COLOURS: Record<string, string> = {
  onTrack: 'green',
  dueSoon: 'orange',
  overdue: 'red',
  escalated: 'magenta',
  verifying: 'blue',
  verificationOverdue: 'volcano',
  suspended: 'default',
  stopped: 'default',
  cancelled: 'default',
  notSet: 'default',
};

export function DeadlineLight({ state }: { state: string }) {
  const { t } = useI18n();
  return (
    <Tag color={COLOURS[state] ?? 'default'} data-deadline-state={state}>
      ● {t(dynamicKey('deadline', state))}
    </Tag>
  );
}
