import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header.tsx';
import { LeadPoolPanel } from '../../../features/leads/components/lead-pool-panel.tsx';

export function LeadPoolPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('leads.poolTitle')} />
      <LeadPoolPanel />
    </>
  );
}
