import { useQuery } from '@tanstack/react-query';
import type { AuditEntry, Page } from '@tide/contract';
import { api, type QueryParams } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export interface AuditFilters {
  entity?: string;
  entityId?: string;
  actorId?: string;
  page: number;
  pageSize: number;
}

export function useAuditList(filters: AuditFilters) {
  const params: QueryParams = { ...filters };
  return useQuery({
    queryKey: queryKeys.auditList(params),
    queryFn: () => api.get<Page<AuditEntry>>('/audit', params),
    placeholderData: (previous) => previous,
  });
}
