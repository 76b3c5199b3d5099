import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { ApiTokensCard } from '../../features/account/components/api-tokens-card.tsx';
import { ChangePasswordForm } from '../../features/account/components/change-password-form.tsx';
import { ProfileCard } from '../../features/account/components/profile-card.tsx';
import { useCan, useMe } from '../../lib/session.ts';

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const canManageTokens = useCan('token.manage');
  return (
    <>
      <PageHeader title={t('account.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ProfileCard me={me} />
        </Col>
        <Col xs={24} lg={12}>
          <ChangePasswordForm />
        </Col>
        {canManageTokens ? (
          <Col span={24}>
            <ApiTokensCard />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
