import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DuplicateCluster, DuplicateReport, MatchLevel, Page } from '@tide/contract';
import { api, isApiError, type QueryParams } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export type DuplicateReportType = DuplicateReport['objectType'];

/** How often a queued or running report is asked for its progress. */
const POLL_MS = 1_000;

/** A run may have finished while the page was closed: ask again whenever it opens. */
const ALWAYS_REFRESH = 0;

export function isActive(report: Pick<DuplicateReport, 'status'>): boolean {
  return report.status === 'queued' || report.status === 'running';
}

function reportPath(id: string, action?: string): string {
  return `/duplicates/reports/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

/**
 * Reports, newest first. While any shown is still queued or running the list follows
 * it, so a run started elsewhere (or before the user left the page) is seen finishing.
 */
export function useDuplicateReports(params: { page: number; pageSize: number }) {
  const query: QueryParams = { page: params.page, pageSize: params.pageSize };
  return useQuery({
    queryKey: queryKeys.duplicateReportList(query),
    queryFn: () => api.get<Page<DuplicateReport>>('/duplicates/reports', query),
    staleTime: ALWAYS_REFRESH,
    placeholderData: (previous) => previous,
    refetchInterval: (q) => (q.state.data?.items.some(isActive) ? POLL_MS : false),
  });
}

/** One report; polled every second while it is queued or running. */
export function useDuplicateReport(id: string | undefined) {
  const queryClient = useQueryClient();
  const key = queryKeys.duplicateReport(id ?? '');
  return useQuery({
    queryKey: key,
    queryFn: async () => {
      const before = queryClient.getQueryData<DuplicateReport>(key);
      const report = await api.get<DuplicateReport>(reportPath(id ?? ''));
      // The history shows the same run: bring it in step the moment the run finishes.
      if (before && isActive(before) && !isActive(report))
        void queryClient.invalidateQueries({ queryKey: [...queryKeys.duplicateReports, 'list'] });
      return report;
    },
    enabled: id !== undefined,
    staleTime: ALWAYS_REFRESH,
    refetchInterval: (q) => (q.state.data && isActive(q.state.data) ? POLL_MS : false),
  });
}

export interface ClusterParams {
  page: number;
  pageSize: number;
  level?: MatchLevel | undefined;
}

export function useDuplicateClusters(id: string | undefined, params: ClusterParams) {
  const query: QueryParams = { page: params.page, pageSize: params.pageSize, level: params.level };
  return useQuery({
    queryKey: queryKeys.duplicateClusters(id ?? '', query),
    queryFn: () => api.get<Page<DuplicateCluster>>(reportPath(id ?? '', 'clusters'), query),
    enabled: id !== undefined,
    placeholderData: (previous) => previous,
  });
}

export function useStartDuplicateReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (type: DuplicateReportType) =>
      api.post<DuplicateReport>('/duplicates/reports', { type }),
    onSuccess: (report) => {
      queryClient.setQueryData(queryKeys.duplicateReport(report.id), report);
      return queryClient.invalidateQueries({ queryKey: queryKeys.duplicateReports });
    },
  });
}

/** The run already queued or running that a refused start (409 CONFLICT) names. */
export function runningReportOf(err: unknown): string | undefined {
  if (!isApiError(err) || err.status !== 409) return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null || !('reportId' in details)) return undefined;
  return typeof details.reportId === 'string' ? details.reportId : undefined;
}
