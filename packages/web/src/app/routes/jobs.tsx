import { JobsTable } from '../../features/jobs/components/jobs-table.tsx';

export function JobsPage() {
  return <JobsTable />;
}
