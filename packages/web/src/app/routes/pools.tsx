import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { PoolsPanel } from '../../features/pools/components/pools-panel.tsx';

export function PoolsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('pools.title')} />
      <PoolsPanel />
    </>
  );
}
