import { OpportunityListPanel } from '../../../features/opportunities/components/opportunity-list-panel.tsx';

export function OpportunitiesPage() {
  return <OpportunityListPanel />;
}
