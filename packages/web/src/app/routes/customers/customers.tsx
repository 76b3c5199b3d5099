import { CustomerListPanel } from '../../../features/customers/components/customer-list-panel.tsx';

export function CustomersPage() {
  return <CustomerListPanel />;
}
