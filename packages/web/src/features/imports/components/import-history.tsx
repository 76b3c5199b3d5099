import { Button, Card, Empty, Progress, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { canResume, useImports } from '../api/imports.ts';
import {
  ImportStatusTag,
  countedOutcomes,
  outcomeColors,
  progressPercent,
} from './import-status.tsx';
import { ReportButton, ResumeButton } from './run-step.tsx';

interface ImportHistoryProps {
  selectedId: string | undefined;
  onOpen: (job: ImportJob) => void;
}

/** Recent imports, newest first, so one can be followed, resumed or reported on later. */
export function ImportHistory({ selectedId, onOpen }: ImportHistoryProps) {
  const { t } = useTranslation();
  const imports = useImports();

  return (
    <Card title={t('imports.history')} data-testid="import-history">
      {imports.isError ? (
        <ErrorAlert error={imports.error} onRetry={() => void imports.refetch()} />
      ) : (
        <Table<ImportJob>
          rowKey="id"
          size="small"
          loading={imports.isPending}
          dataSource={imports.data ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          rowClassName={(r) => (r.id === selectedId ? 'ant-table-row-selected' : '')}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.noHistory')} />
            ),
          }}
          columns={[
            {
              title: t('imports.fileName'),
              key: 'fileName',
              render: (_v, r) => r.fileName,
            },
            {
              title: t('imports.type'),
              key: 'type',
              render: (_v, r) => t(`imports.types.${r.type}`),
            },
            {
              title: t('common.status'),
              key: 'status',
              render: (_v, r) => <ImportStatusTag job={r} />,
            },
            {
              title: t('imports.progress'),
              key: 'progress',
              width: 160,
              render: (_v, r) =>
                r.status === 'uploaded' ? (
                  '—'
                ) : (
                  <Progress
                    size="small"
                    percent={progressPercent(r)}
                    status={r.status === 'failed' ? 'exception' : undefined}
                  />
                ),
            },
            {
              title: t('imports.counts'),
              key: 'counts',
              render: (_v, r) => {
                const counted = countedOutcomes(r);
                if (counted.length === 0) return '—';
                return (
                  <Space size={4} wrap>
                    {counted.map(([outcome, n]) => (
                      <Tag key={outcome} color={outcomeColors[outcome]}>
                        {t(`imports.outcomes.${outcome}`)} {n.toLocaleString()}
                      </Tag>
                    ))}
                  </Space>
                );
              },
            },
            {
              title: t('common.createdAt'),
              key: 'createdAt',
              render: (_v, r) => formatDateTime(r.createdAt),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_v, r) => (
                <Space size={4}>
                  <Button
                    size="small"
                    type="link"
                    disabled={r.id === selectedId}
                    data-testid={`import-open-${r.id}`}
                    onClick={() => {
                      onOpen(r);
                    }}
                  >
                    {t('imports.open')}
                  </Button>
                  {canResume(r) ? <ResumeButton job={r} size="small" /> : null}
                  {r.status === 'done' || r.status === 'failed' ? (
                    <ReportButton job={r} size="small" />
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
