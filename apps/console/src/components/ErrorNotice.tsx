import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** A refusal or failure, in the server's own words (they say what to do). */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useI18n();
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return <Alert type="error" showIcon title={t('app.error')} description={code ? `${message} (${code})` : message} />;
}
