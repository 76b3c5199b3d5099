import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  importFields,
  importRowOutcomes,
  type ImportField,
  type ImportJob,
  type ImportRowOutcome,
  type ImportStatus,
  type ImportType,
} from '@tide/contract';

const statusColors: Record<ImportStatus, string> = {
  uploaded: 'default',
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

export function ImportStatusTag({ job }: { job: Pick<ImportJob, 'status' | 'stalled'> }) {
  const { t } = useTranslation();
  if (job.status === 'running' && job.stalled)
    return (
      <Tag color="warning" data-testid="import-status">
        {t('imports.statuses.stalled')}
      </Tag>
    );
  return (
    <Tag color={statusColors[job.status]} data-testid="import-status">
      {t(`imports.statuses.${job.status}`)}
    </Tag>
  );
}

export const outcomeColors: Record<ImportRowOutcome, string> = {
  created: 'green',
  updated: 'blue',
  merged: 'purple',
  linked: 'cyan',
  skipped: 'default',
  rejected: 'red',
};

/** The outcomes an import counted at least one row for, in the contract's order. */
export function countedOutcomes(job: Pick<ImportJob, 'counts'>): [ImportRowOutcome, number][] {
  return importRowOutcomes
    .map((o): [ImportRowOutcome, number] => [o, job.counts[o]])
    .filter(([, n]) => n > 0);
}

/** The import's progress (0..1) as a whole percentage. */
export function progressPercent(job: Pick<ImportJob, 'progress' | 'status'>): number {
  if (job.status === 'done') return 100;
  return Math.max(0, Math.min(100, Math.floor(job.progress * 100)));
}

export function fieldsOf(type: ImportType): readonly ImportField[] {
  return importFields[type];
}

/** A field's name in the UI language; `name` is a person's for contacts, else the company's. */
export function fieldLabel(t: TFunction, type: ImportType, field: ImportField): string {
  if (field === 'name' && type === 'contacts') return t('imports.fields.personName');
  return t(`imports.fields.${field}`);
}

/** Time left, rounded to what a person reads: seconds, then minutes, then hours. */
export function formatDuration(t: TFunction, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('imports.duration.seconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('imports.duration.minutes', { m, s: s % 60 });
  return t('imports.duration.hours', { h: Math.floor(m / 60), m: m % 60 });
}

/** The server's reason a row cannot be imported, in the UI language when it is a known one. */
export function problemText(t: TFunction, problem: string): string {
  const phone = /^invalid phone "(.*)"$/s.exec(problem);
  if (phone) return t('imports.problems.invalidPhone', { value: phone[1] ?? '' });
  const customer = /^no customer "(.*)"$/s.exec(problem);
  if (customer) return t('imports.problems.unknownCustomer', { value: customer[1] ?? '' });
  if (problem === 'no company, contact or phone') return t('imports.problems.empty');
  if (problem === 'no name') return t('imports.problems.noName');
  if (problem === 'no customer') return t('imports.problems.noCustomer');
  return problem;
}
