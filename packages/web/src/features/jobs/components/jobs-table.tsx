import { Button, Card, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { JobQueue } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useJobQueues, useRunJob } from '../api/jobs.ts';

/** The job states the queue reports (pg-boss's); others are shown as sent. */
const jobStates = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
type JobState = (typeof jobStates)[number];

const stateColors: Record<JobState, string> = {
  created: 'default',
  retry: 'warning',
  active: 'processing',
  completed: 'success',
  cancelled: 'default',
  failed: 'error',
};

function isJobState(value: string): value is JobState {
  return (jobStates as readonly string[]).includes(value);
}

function StateTag({ state }: { state: string | null }) {
  const { t } = useTranslation();
  if (state === null) return <Typography.Text type="secondary">—</Typography.Text>;
  if (!isJobState(state)) return <Tag>{state}</Tag>;
  return <Tag color={stateColors[state]}>{t(`jobs.states.${state}`)}</Tag>;
}

/**
 * The queues the server defines, by their names (`jobs.define(…)` in its modules). A
 * queue this build does not know, or one a newer server adds, shows its raw name.
 */
const queueLabelKeys = {
  'pool-sweep': 'jobs.queues.poolSweep',
  'capacity-adjust': 'jobs.queues.capacityAdjust',
  import: 'jobs.queues.import',
  'duplicate-report': 'jobs.queues.duplicateReport',
} as const;
type KnownQueue = keyof typeof queueLabelKeys;

function isKnownQueue(name: string): name is KnownQueue {
  return Object.hasOwn(queueLabelKeys, name);
}

/** The queue's name in the user's language, or its raw name when unknown. */
function queueLabel(t: TFunction, name: string): string {
  return isKnownQueue(name) ? t(queueLabelKeys[name]) : name;
}

function QueueName({ name }: { name: string }) {
  const { t } = useTranslation();
  if (!isKnownQueue(name)) return <Typography.Text code>{name}</Typography.Text>;
  return (
    <Space orientation="vertical" size={0}>
      <span data-testid="job-label">{queueLabel(t, name)}</span>
      <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
        {name}
      </Typography.Text>
    </Space>
  );
}

function scheduleText(t: TFunction, job: JobQueue): string {
  if (job.cron === null) return t('jobs.onDemand');
  return job.timezone ? `${job.cron} (${job.timezone})` : job.cron;
}

/** 后台任务: every queue, its schedule and recent health; scheduled ones can run now. */
export function JobsTable() {
  const { t } = useTranslation();
  const notify = useNotify();
  const jobs = useJobQueues();
  const run = useRunJob();

  return (
    <>
      <PageHeader
        title={t('jobs.title')}
        extra={
          <Button
            icon={<ReloadOutlined />}
            loading={jobs.isFetching}
            data-testid="jobs-refresh"
            onClick={() => void jobs.refetch()}
          >
            {t('jobs.refresh')}
          </Button>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">{t('jobs.hint')}</Typography.Paragraph>
        {jobs.isError ? (
          <ErrorAlert error={jobs.error} onRetry={() => void jobs.refetch()} />
        ) : (
          <Table<JobQueue>
            rowKey="name"
            size="middle"
            data-testid="jobs-table"
            loading={jobs.isPending}
            dataSource={jobs.data ?? []}
            scroll={{ x: 'max-content' }}
            pagination={false}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('jobs.empty')} />
              ),
            }}
            columns={[
              {
                title: t('jobs.fields.name'),
                key: 'name',
                render: (_v, job) => <QueueName name={job.name} />,
              },
              {
                title: t('jobs.fields.schedule'),
                key: 'schedule',
                render: (_v, job) =>
                  job.cron === null ? (
                    <Typography.Text type="secondary">{scheduleText(t, job)}</Typography.Text>
                  ) : (
                    <span data-testid="job-schedule">{scheduleText(t, job)}</span>
                  ),
              },
              {
                title: t('jobs.fields.nextRunAt'),
                key: 'nextRunAt',
                render: (_v, job) => formatDateTime(job.nextRunAt),
              },
              {
                title: t('jobs.fields.lastRunAt'),
                key: 'lastRunAt',
                render: (_v, job) => (
                  <span data-testid="job-last-run">{formatDateTime(job.lastRunAt)}</span>
                ),
              },
              {
                title: t('jobs.fields.lastState'),
                key: 'lastState',
                render: (_v, job) => (
                  <span data-testid="job-last-state">
                    <StateTag state={job.lastState} />
                  </span>
                ),
              },
              {
                title: t('jobs.fields.lastError'),
                key: 'lastError',
                render: (_v, job) =>
                  job.lastError === null ? (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ) : (
                    <Tooltip title={job.lastError}>
                      <Typography.Text type="danger" ellipsis style={{ maxWidth: 240 }}>
                        {job.lastError}
                      </Typography.Text>
                    </Tooltip>
                  ),
              },
              {
                title: t('jobs.fields.pending'),
                key: 'pending',
                align: 'right',
                render: (_v, job) => <span data-testid="job-pending">{job.pending}</span>,
              },
              {
                title: t('jobs.fields.failures'),
                key: 'failures',
                align: 'right',
                render: (_v, job) =>
                  job.failures > 0 ? (
                    <Typography.Text type="danger">{job.failures}</Typography.Text>
                  ) : (
                    job.failures
                  ),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_v, job) =>
                  // Only scheduled queues have a job to run without a payload.
                  job.cron === null ? null : (
                    <Space>
                      <Button
                        size="small"
                        icon={<PlayCircleOutlined />}
                        loading={run.isPending && run.variables === job.name}
                        data-testid={`job-run-${job.name}`}
                        onClick={() => {
                          run.mutate(job.name, {
                            onSuccess: () => {
                              notify.success(t('jobs.queued', { name: queueLabel(t, job.name) }));
                            },
                            onError: notify.error,
                          });
                        }}
                      >
                        {t('jobs.runNow')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
