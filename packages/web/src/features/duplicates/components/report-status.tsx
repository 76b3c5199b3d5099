import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DuplicateReport } from '@tide/contract';

const statusColors: Record<DuplicateReport['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

export function ReportStatusTag({ status }: { status: DuplicateReport['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-testid="dup-report-status">
      {t(`duplicateReport.statuses.${status}`)}
    </Tag>
  );
}

const phases = ['identity', 'names', 'fuzzy', 'clusters'] as const;
type Phase = (typeof phases)[number];

function isPhase(value: string): value is Phase {
  return (phases as readonly string[]).includes(value);
}

/** What the job is doing now, in the UI language; a phase this version does not know stays as sent. */
export function phaseLabel(t: TFunction, phase: string | null): string | undefined {
  if (phase === null) return undefined;
  return isPhase(phase) ? t(`duplicateReport.phases.${phase}`) : phase;
}

/** The report's progress (0..1) as a whole percentage. */
export function progressPercent(report: Pick<DuplicateReport, 'progress' | 'status'>): number {
  if (report.status === 'done') return 100;
  return Math.max(0, Math.min(100, Math.round(report.progress * 100)));
}
