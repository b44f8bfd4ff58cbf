import { Spin } from 'antd';
import { useI18n } from '../i18n/i18n';

export function PageLoading() {
  const { t } = useI18n();
  return (
    // The label on a status region: on Spin's own plain div, aria-label is not allowed (axe: aria-prohibited-attr).
    <div role="status" aria-label={t('app.loading')} style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}
