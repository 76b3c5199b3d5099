import { Alert, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { Loading } from '../../components/loading.tsx';
import { LoginForm } from '../../features/auth/components/login-form.tsx';
import { useMeQuery } from '../../lib/session.ts';

/** Only same-site paths: `next` comes from the URL and must not send users elsewhere. */
function safeNext(next: string | null): string {
  if (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMeQuery();
  const next = safeNext(params.get('next'));
  const expired = params.get('expired') === '1';

  if (me.isPending) return <Loading height="100vh" />;
  if (me.data) return <Navigate to={next} replace />;

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        padding: 24,
        background: 'linear-gradient(160deg, #e8f0fe 0%, #f5f7fa 60%)',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 32 } }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Flex align="center" gap={8}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <Typography.Text strong style={{ fontSize: 18 }}>
              {t('app.name')}
            </Typography.Text>
          </Flex>
          <LanguageSwitch size="small" />
        </Flex>
        <Typography.Title level={3} style={{ marginTop: 16 }}>
          {t('auth.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        {expired ? (
          <Alert
            type="warning"
            showIcon
            title={t('auth.sessionExpired')}
            style={{ marginBottom: 16 }}
            data-testid="session-expired"
          />
        ) : null}
        <LoginForm
          onLoggedIn={() => {
            void navigate(next, { replace: true });
          }}
        />
      </Card>
    </Flex>
  );
}
