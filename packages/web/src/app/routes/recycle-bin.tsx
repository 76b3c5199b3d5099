import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { RecycleBinPanel } from '../../features/leads/components/recycle-bin-panel.tsx';

export function RecycleBinPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('recycleBin.title')} />
      <RecycleBinPanel />
    </>
  );
}
