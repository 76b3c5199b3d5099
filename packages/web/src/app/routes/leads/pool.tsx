import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header.tsx';
import { DistributeDialog } from '../../../features/assignment/components/distribute-dialog.tsx';
import { LeadPoolPanel } from '../../../features/leads/components/lead-pool-panel.tsx';
import { CapacityMeter } from '../../../features/pool-state/components/capacity-meter.tsx';
import { usePoolStateColumns } from '../../../features/pool-state/components/pool-state-columns.tsx';

export function LeadPoolPage() {
  const { t } = useTranslation();
  const poolStateColumns = usePoolStateColumns('lead');
  return (
    <>
      <PageHeader title={t('leads.poolTitle')} />
      <LeadPoolPanel
        capacity={<CapacityMeter entity="lead" />}
        poolStateColumns={poolStateColumns}
        renderDistribute={(distribution) => <DistributeDialog entity="lead" {...distribution} />}
      />
    </>
  );
}
