import { Card, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiTokens } from '../../../components/api-tokens.tsx';
import { useCreateToken, useMyTokens, useRevokeToken } from '../api/account.ts';

export function ApiTokensCard() {
  const { t } = useTranslation();
  const tokens = useMyTokens(true);
  const create = useCreateToken();
  const revoke = useRevokeToken();
  return (
    <Card
      title={
        <span>
          <KeyOutlined /> {t('account.tokens')}
        </span>
      }
    >
      <Typography.Paragraph type="secondary">{t('account.tokensHelp')}</Typography.Paragraph>
      <ApiTokens tokens={tokens} create={create} revoke={revoke} />
    </Card>
  );
}
