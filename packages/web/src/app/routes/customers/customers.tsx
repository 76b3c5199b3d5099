import { DistributeDialog } from '../../../features/assignment/components/distribute-dialog.tsx';
import { CustomerListPanel } from '../../../features/customers/components/customer-list-panel.tsx';
import { CapacityMeter } from '../../../features/pool-state/components/capacity-meter.tsx';
import { usePoolStateColumns } from '../../../features/pool-state/components/pool-state-columns.tsx';

export function CustomersPage() {
  const poolStateColumns = usePoolStateColumns('customer');
  return (
    <CustomerListPanel
      capacity={<CapacityMeter entity="customer" />}
      poolStateColumns={poolStateColumns}
      renderDistribute={(distribution) => <DistributeDialog entity="customer" {...distribution} />}
    />
  );
}
