import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { SettingsPanel } from '../../features/settings/components/settings-panel.tsx';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <SettingsPanel />
    </>
  );
}
