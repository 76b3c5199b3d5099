import { useParams } from 'react-router';
import { CustomerDetail } from '../../../features/customers/components/customer-detail.tsx';
import { CustomerOpportunities } from '../../../features/opportunities/components/customer-opportunities.tsx';
import { useCan } from '../../../lib/session.ts';
import { NotFoundPage } from '../not-found.tsx';

export function CustomerDetailPage() {
  const { id } = useParams();
  const canViewOpportunities = useCan('opportunity.view');
  if (!id) return <NotFoundPage />;
  // Keyed by id so moving from one customer to another starts with fresh forms.
  return (
    <CustomerDetail
      key={id}
      id={id}
      {...(canViewOpportunities
        ? {
            renderOpportunities: (customer, works) => (
              <CustomerOpportunities customerId={customer.id} canAdd={works} />
            ),
          }
        : {})}
    />
  );
}
