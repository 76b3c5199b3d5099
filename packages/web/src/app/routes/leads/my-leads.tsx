import { MyLeadsPanel } from '../../../features/leads/components/my-leads-panel.tsx';

export function MyLeadsPage() {
  return <MyLeadsPanel />;
}
