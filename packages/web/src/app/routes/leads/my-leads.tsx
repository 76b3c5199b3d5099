import { MyLeadsPanel } from '../../../features/leads/components/my-leads-panel.tsx';
import { usePoolStateColumns } from '../../../features/pool-state/components/pool-state-columns.tsx';

export function MyLeadsPage() {
  const poolStateColumns = usePoolStateColumns('lead');
  return <MyLeadsPanel poolStateColumns={poolStateColumns} />;
}
