import { Alert, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n';

/** A secret the server answers once (a token, an invitation code, a signing secret): copy it now or never. */
export function ShowOnce({ label, value, note }: { label: string; value: string; note?: string }) {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      title={t('admin.showOnce.title', { what: label })}
      description={
        <>
          <Typography.Paragraph copyable={{ text: value }} style={{ marginBottom: 4 }}>
            <Typography.Text code aria-label={label} style={{ wordBreak: 'break-all' }}>
              {value}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Text type="secondary">{note ?? t('admin.showOnce.note')}</Typography.Text>
        </>
      }
    />
  );
}
