import { Button, Flex, Segmented } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { duplicateReportTypes, type DuplicateReport } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import {
  isActive,
  runningReportOf,
  useDuplicateReport,
  useDuplicateReports,
  useStartDuplicateReport,
  type DuplicateReportType,
} from '../api/duplicate-reports.ts';
import { ClusterTable } from './cluster-table.tsx';
import { ReportHistory } from './report-history.tsx';
import { ReportRunCard } from './report-run-card.tsx';

/** Enough of the newest runs to find the latest of each type. */
const LATEST_WINDOW = 50;

function typeParam(value: string | null): DuplicateReportType {
  return duplicateReportTypes.find((k) => k === value) ?? 'customer';
}

/**
 * 重复数据报告: a background job scans every customer (or lead) and groups the records
 * that may be the same. The page follows the latest run of each type, so the user may
 * leave while it runs and come back to its result.
 */
export function DuplicateReportPanel() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [params, setParams] = useSearchParams();
  const type = typeParam(params.get('type'));
  const chosenId = params.get('report') ?? undefined;
  const recent = useDuplicateReports({ page: 1, pageSize: LATEST_WINDOW });
  const start = useStartDuplicateReport();

  const latest = recent.data?.items.find((r) => r.objectType === type);
  const selectedId = chosenId ?? latest?.id;
  const selected = useDuplicateReport(selectedId);
  const report = selected.data ?? (latest?.id === selectedId ? latest : undefined);
  // One run of a type at a time: the latest of the type, or the one shown, may be it.
  const running =
    (latest !== undefined && isActive(latest)) || (report?.objectType === type && isActive(report));

  const show = (nextType: DuplicateReportType, reportId?: string) => {
    setParams(reportId ? { type: nextType, report: reportId } : { type: nextType }, {
      replace: true,
    });
  };

  const run = () => {
    start.mutate(type, {
      onSuccess: (created) => {
        notify.success(t('duplicateReport.started'));
        show(type, created.id);
      },
      onError: (err) => {
        // One run of a type at a time: follow the one already under way instead.
        const already = runningReportOf(err);
        if (already) {
          notify.success(t('duplicateReport.alreadyRunning'));
          show(type, already);
        } else notify.error(err);
      },
    });
  };

  const extra = (
    <Flex gap={8} wrap>
      <Segmented<DuplicateReportType>
        data-testid="dup-report-type"
        value={type}
        onChange={(next) => {
          show(next);
        }}
        options={duplicateReportTypes.map((k) => ({
          value: k,
          label: <span data-testid={`dup-report-type-${k}`}>{t(`dedupe.types.${k}`)}</span>,
        }))}
      />
      <Button
        type="primary"
        icon={<PlayCircleOutlined />}
        loading={start.isPending}
        disabled={running}
        data-testid="dup-report-start"
        onClick={run}
      >
        {running ? t('duplicateReport.running') : t('duplicateReport.start')}
      </Button>
    </Flex>
  );

  const body = () => {
    if (recent.isPending || (selectedId !== undefined && selected.isPending && !report))
      return <Loading height={160} />;
    if (recent.isError)
      return <ErrorAlert error={recent.error} onRetry={() => void recent.refetch()} />;
    if (selected.isError)
      return <ErrorAlert error={selected.error} onRetry={() => void selected.refetch()} />;
    return (
      <>
        <ReportRunCard
          report={report}
          isLatest={report === undefined || report.id === latest?.id}
        />
        {report?.status === 'done' ? (
          <ClusterTable key={report.id} reportId={report.id} type={report.objectType} />
        ) : null}
      </>
    );
  };

  return (
    <>
      <PageHeader title={t('duplicateReport.title')} extra={extra} />
      <Flex vertical gap={16}>
        {body()}
        <ReportHistory
          selectedId={report?.id}
          onSelect={(r: DuplicateReport) => {
            show(r.objectType, r.id);
          }}
        />
      </Flex>
    </>
  );
}
