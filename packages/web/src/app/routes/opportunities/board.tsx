import { OpportunityBoard } from '../../../features/opportunities/components/opportunity-board.tsx';

export function OpportunityBoardPage() {
  return <OpportunityBoard />;
}
