import { Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '@tide/contract';
import { ApiTokens } from '../../../components/api-tokens.tsx';
import { useIssueServiceToken, useRevokeServiceToken, useServiceTokens } from '../api/users.ts';

/** An admin issues and revokes the API tokens a service account acts with. */
export function ServiceTokensDialog({ account, onClose }: { account: User; onClose: () => void }) {
  const { t } = useTranslation();
  const tokens = useServiceTokens(account.id);
  const issue = useIssueServiceToken(account.id);
  const revoke = useRevokeServiceToken(account.id);
  return (
    <Modal
      open
      title={t('users.tokensTitle', { name: account.displayName })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('common.close')}</Button>}
      width={880}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('users.serviceTokensHelp')}</Typography.Paragraph>
      <ApiTokens tokens={tokens} create={issue} revoke={revoke} />
    </Modal>
  );
}
