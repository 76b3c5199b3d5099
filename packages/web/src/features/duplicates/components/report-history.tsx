import { useState } from 'react';
import { Button, Card, Empty, Progress, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DuplicateReport } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useDuplicateReports } from '../api/duplicate-reports.ts';
import { ReportStatusTag, progressPercent } from './report-status.tsx';

interface ReportHistoryProps {
  selectedId: string | undefined;
  onSelect: (report: DuplicateReport) => void;
}

/** Every run of either type, newest first; one can be opened to see what it found. */
export function ReportHistory({ selectedId, onSelect }: ReportHistoryProps) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const reports = useDuplicateReports({ page, pageSize });

  return (
    <Card title={t('duplicateReport.history')} data-testid="dup-history">
      {reports.isError ? (
        <ErrorAlert error={reports.error} onRetry={() => void reports.refetch()} />
      ) : (
        <Table<DuplicateReport>
          rowKey="id"
          size="small"
          loading={reports.isPending}
          dataSource={reports.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          rowClassName={(r) => (r.id === selectedId ? 'ant-table-row-selected' : '')}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t('duplicateReport.noHistory')}
              />
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: reports.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('common.total', { total: n }),
          }}
          onChange={(pagination) => {
            const nextSize = pagination.pageSize ?? pageSize;
            setPage(nextSize === pageSize ? (pagination.current ?? 1) : 1);
            setPageSize(nextSize);
          }}
          columns={[
            {
              title: t('duplicateReport.fields.type'),
              key: 'type',
              render: (_v, r) => t(`dedupe.types.${r.objectType}`),
            },
            {
              title: t('duplicateReport.fields.status'),
              key: 'status',
              render: (_v, r) => <ReportStatusTag status={r.status} />,
            },
            {
              title: t('duplicateReport.fields.progress'),
              key: 'progress',
              width: 160,
              render: (_v, r) => (
                <Progress
                  size="small"
                  percent={progressPercent(r)}
                  status={r.status === 'failed' ? 'exception' : undefined}
                />
              ),
            },
            {
              title: t('duplicateReport.fields.clusters'),
              key: 'clusters',
              render: (_v, r) => (r.clusters === null ? '—' : r.clusters.toLocaleString()),
            },
            {
              title: t('duplicateReport.fields.requestedBy'),
              key: 'requestedBy',
              render: (_v, r) => r.requestedByName ?? '—',
            },
            {
              title: t('duplicateReport.fields.createdAt'),
              key: 'createdAt',
              render: (_v, r) => formatDateTime(r.createdAt),
            },
            {
              title: t('duplicateReport.fields.finishedAt'),
              key: 'finishedAt',
              render: (_v, r) => formatDateTime(r.finishedAt),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_v, r) => (
                <Button
                  size="small"
                  type="link"
                  disabled={r.id === selectedId}
                  data-testid={`dup-history-open-${r.id}`}
                  onClick={() => {
                    onSelect(r);
                  }}
                >
                  {t('duplicateReport.open')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
