import { DuplicateReportPanel } from '../../features/duplicates/components/duplicate-report-panel.tsx';

export function DuplicateReportPage() {
  return <DuplicateReportPanel />;
}
