import { useParams } from 'react-router';
import { LeadDetail } from '../../../features/leads/components/lead-detail.tsx';
import { VerificationTag } from '../../../features/verification/components/verification-tag.tsx';
import { NotFoundPage } from '../not-found.tsx';

export function LeadDetailPage() {
  const { id } = useParams();
  if (!id) return <NotFoundPage />;
  // Keyed by id so moving from one lead to another starts with fresh forms.
  return <LeadDetail key={id} id={id} renderTags={(lead) => <VerificationTag lead={lead} />} />;
}
