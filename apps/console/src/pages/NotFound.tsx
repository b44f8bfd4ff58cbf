import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={<h1 style={{ fontSize: 24 }}>{t('app.notFound')}</h1>}
      extra={
        <Link to="/">
          <Button type="primary">{t('app.backHome')}</Button>
        </Link>
      }
    />
  );
}
