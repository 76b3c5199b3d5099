import { useState } from 'react';
import { Alert, Button, Flex, Progress, Space, Statistic, Typography } from 'antd';
import { DownloadOutlined, RedoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { importRowOutcomes, type ImportJob } from '@tide/contract';
import { useNotify } from '../../../components/use-notify.ts';
import {
  downloadImportReport,
  isActive,
  useMayChangeImport,
  useRunImport,
} from '../api/imports.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { formatDuration, progressPercent } from './import-status.tsx';

/** Downloads the per-row outcome of an import as CSV. */
export function ReportButton({ job, size }: { job: ImportJob; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size={size}
      icon={<DownloadOutlined />}
      loading={busy}
      data-testid={`import-report-${job.id}`}
      onClick={() => {
        setBusy(true);
        downloadImportReport(job)
          .catch(notify.error)
          .finally(() => {
            setBusy(false);
          });
      }}
    >
      {t('imports.downloadReport')}
    </Button>
  );
}

/** Continues an import that failed (or was cut short) from its last committed rows. */
export function ResumeButton({ job, size }: { job: ImportJob; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const run = useRunImport();
  if (!useMayChangeImport(job)) return null;
  return (
    <Button
      size={size}
      icon={<RedoOutlined />}
      loading={run.isPending}
      data-testid={`import-resume-${job.id}`}
      onClick={() => {
        run.mutate({ id: job.id, resume: true }, { onError: notify.error });
      }}
    >
      {t('imports.resume')}
    </Button>
  );
}

/** Step 4: the running import's progress, then what became of its rows. */
export function RunStep({ job, onNew }: { job: ImportJob; onNew: () => void }) {
  const { t } = useTranslation();
  const active = isActive(job) && !job.stalled;
  const finished = job.status === 'done' || job.status === 'failed';

  return (
    <Flex vertical gap={16} data-testid="import-run" data-status={job.status}>
      <Progress
        percent={progressPercent(job)}
        status={job.status === 'failed' ? 'exception' : active ? 'active' : 'success'}
        data-testid="import-progress"
      />
      <Typography.Text type="secondary" data-testid="import-progress-text">
        {job.status === 'queued'
          ? t('imports.waiting')
          : job.rowsTotal === null
            ? t('imports.rowsDone', { done: job.rowsDone })
            : t('imports.rowsDoneOf', { done: job.rowsDone, total: job.rowsTotal })}
        {active && job.rowsPerSecond !== null
          ? ` · ${t('imports.rate', { rate: Math.round(job.rowsPerSecond).toLocaleString() })}`
          : ''}
        {active && job.secondsLeft !== null
          ? ` · ${t('imports.timeLeft', { time: formatDuration(t, job.secondsLeft) })}`
          : ''}
      </Typography.Text>
      {job.status === 'failed' ? (
        <Alert
          type="error"
          showIcon
          data-testid="import-failed"
          title={t('imports.failed')}
          description={job.error ?? undefined}
          action={<ResumeButton job={job} size="small" />}
        />
      ) : null}
      {job.status === 'running' && job.stalled ? (
        <Alert
          type="warning"
          showIcon
          data-testid="import-stalled"
          title={t('imports.stalled')}
          description={t('imports.stalledHelp', {
            time: job.heartbeatAt ? formatDateTime(job.heartbeatAt) : '—',
          })}
          action={<ResumeButton job={job} size="small" />}
        />
      ) : null}
      {job.status === 'done' ? (
        <Alert type="success" showIcon data-testid="import-done" title={t('imports.done')} />
      ) : null}
      <Flex wrap gap={32} data-testid="import-counts">
        {importRowOutcomes.map((outcome) => (
          <div key={outcome} data-testid={`import-count-${outcome}`}>
            <Statistic title={t(`imports.outcomes.${outcome}`)} value={job.counts[outcome]} />
          </div>
        ))}
      </Flex>
      <Typography.Text type="secondary">{t(`imports.outcomeHelp.${job.type}`)}</Typography.Text>
      <Flex justify="space-between">
        <Button data-testid="import-new" onClick={onNew}>
          {t('imports.newImport')}
        </Button>
        {finished ? (
          <Space>
            <ReportButton job={job} />
          </Space>
        ) : null}
      </Flex>
    </Flex>
  );
}
