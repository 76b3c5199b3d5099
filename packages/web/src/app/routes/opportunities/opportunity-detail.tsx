import { useParams } from 'react-router';
import { OpportunityDetail } from '../../../features/opportunities/components/opportunity-detail.tsx';
import { NotFoundPage } from '../not-found.tsx';

export function OpportunityDetailPage() {
  const { id } = useParams();
  if (!id) return <NotFoundPage />;
  return <OpportunityDetail key={id} id={id} />;
}
