import type { ReactNode } from 'react';
import { Alert, Card, Descriptions, Empty, Flex, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DuplicateReport } from '@tide/contract';
import { formatDateTime } from '../../../lib/format.ts';
import { isActive } from '../api/duplicate-reports.ts';
import { ReportStatusTag, phaseLabel, progressPercent } from './report-status.tsx';

function count(value: number | null): string {
  return value === null ? '—' : value.toLocaleString();
}

interface ReportRunCardProps {
  report: DuplicateReport | undefined;
  /** The latest run of the type, when another one is shown. */
  isLatest: boolean;
  extra?: ReactNode;
}

/** One run: its status, a progress bar with the phase while it runs, and what it found. */
export function ReportRunCard({ report, isLatest, extra }: ReportRunCardProps) {
  const { t } = useTranslation();
  if (!report)
    return (
      <Card title={t('duplicateReport.latestRun')} extra={extra} data-testid="dup-report-run">
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('duplicateReport.noRunYet')}
          data-testid="dup-report-none"
        />
      </Card>
    );

  const active = isActive(report);
  const phase = phaseLabel(t, report.phase);
  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <span>{isLatest ? t('duplicateReport.latestRun') : t('duplicateReport.olderRun')}</span>
          <ReportStatusTag status={report.status} />
        </Flex>
      }
      extra={extra}
      data-testid="dup-report-run"
      data-status={report.status}
    >
      <Progress
        percent={progressPercent(report)}
        status={report.status === 'failed' ? 'exception' : active ? 'active' : 'success'}
        data-testid="dup-report-progress"
      />
      {active ? (
        <Typography.Text type="secondary" data-testid="dup-report-phase">
          {report.status === 'queued'
            ? t('duplicateReport.waiting')
            : t('duplicateReport.phase', { phase: phase ?? '…' })}
        </Typography.Text>
      ) : null}
      {report.status === 'failed' ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t('duplicateReport.failed')}
          description={report.error ?? undefined}
        />
      ) : null}
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }}>
        <Descriptions.Item label={t('duplicateReport.fields.records')}>
          {count(report.records)}
        </Descriptions.Item>
        <Descriptions.Item label={t('duplicateReport.fields.pairs')}>
          {count(report.pairs)}
        </Descriptions.Item>
        <Descriptions.Item label={t('duplicateReport.fields.clusters')}>
          <span data-testid="dup-report-clusters-count">{count(report.clusters)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('duplicateReport.fields.requestedBy')}>
          {report.requestedByName ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('duplicateReport.fields.createdAt')}>
          {formatDateTime(report.createdAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('duplicateReport.fields.finishedAt')}>
          {formatDateTime(report.finishedAt)}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
