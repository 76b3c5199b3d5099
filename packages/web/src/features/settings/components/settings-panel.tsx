import { Card, Flex, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useCan } from '../../../lib/session.ts';
import { useTenantSettings, useUpdateTenantSettings } from '../../../lib/tenant-settings.ts';
import { DuplicateRulesCard } from './duplicate-rules-card.tsx';

/** Tenant-wide rules an administrator sets; others with access only read them. */
export function SettingsPanel() {
  const { t } = useTranslation();
  const notify = useNotify();
  const settings = useTenantSettings();
  const update = useUpdateTenantSettings();
  const canEdit = useCan('tenant.settings');

  if (settings.isPending) return <Loading />;
  if (settings.isError)
    return <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;

  return (
    <Flex vertical gap={16}>
      <Card title={t('settings.dedupeSection')} data-testid="settings-dedupe">
        <Flex justify="space-between" align="flex-start" gap={24}>
          <div>
            <Typography.Text strong>{t('settings.duplicateCheckOnCreate')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('settings.duplicateCheckOnCreateHint')}
            </Typography.Paragraph>
          </div>
          <Switch
            data-testid="settings-duplicate-check"
            checked={settings.data.duplicateCheckOnCreate}
            disabled={!canEdit}
            loading={update.isPending}
            onChange={(checked) => {
              update.mutate(
                { duplicateCheckOnCreate: checked },
                {
                  onSuccess: () => {
                    notify.success(t('settings.saved'));
                  },
                  onError: notify.error,
                },
              );
            }}
          />
        </Flex>
      </Card>
      <DuplicateRulesCard />
    </Flex>
  );
}
