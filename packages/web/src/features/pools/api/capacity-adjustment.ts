import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CapacityAdjustment,
  CapacityAdjustmentSettings,
  capacityAdjustmentRun,
  Page,
  PoolEntity,
  runCapacityAdjustmentBody,
} from '@tide/contract';
import type { z } from 'zod';
import { api, type QueryParams } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export type CapacityAdjustmentRunBody = z.input<typeof runCapacityAdjustmentBody>;
export type CapacityAdjustmentRun = z.infer<typeof capacityAdjustmentRun>;

export interface CapacityAdjustmentFilters {
  /** `YYYY-MM`; every month when absent. */
  month?: string;
  entity?: PoolEntity;
  page: number;
  pageSize: number;
}

/* Under the pools page's own prefix, like the rest of this feature's keys. */
export const capacityAdjustmentKeys = {
  settings: ['pools', 'capacity-adjustment', 'settings'] as const,
  history: ['pools', 'capacity-adjustment', 'history'] as const,
  historyList: (params: QueryParams) =>
    ['pools', 'capacity-adjustment', 'history', params] as const,
};

/** One settings object per record type, leads first; defaults (off) for a type never set. */
export function useCapacityAdjustmentSettings() {
  return useQuery({
    queryKey: capacityAdjustmentKeys.settings,
    queryFn: () =>
      api.get<{ items: CapacityAdjustmentSettings[] }>('/capacity-adjustment/settings'),
    select: (data) => data.items,
  });
}

/** Saves one record type's settings; the server refuses crossed thresholds or bounds (400). */
export function useUpdateCapacityAdjustmentSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CapacityAdjustmentSettings) =>
      api.put<CapacityAdjustmentSettings>('/capacity-adjustment/settings', body),
    onSuccess: (saved) => {
      queryClient.setQueryData<{ items: CapacityAdjustmentSettings[] }>(
        capacityAdjustmentKeys.settings,
        (previous) =>
          previous && {
            items: previous.items.map((s) => (s.entity === saved.entity ? saved : s)),
          },
      );
      // Turning the adjustment on or off changes which limit applies to every rep.
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.leads, 'capacity'] }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.customers, 'capacity'] }),
      ]);
    },
  });
}

/** The history, newest month first: everyone's for an admin, a manager's subtree, a rep's own. */
export function useCapacityAdjustments(filters: CapacityAdjustmentFilters) {
  const params: QueryParams = { ...filters };
  return useQuery({
    queryKey: capacityAdjustmentKeys.historyList(params),
    queryFn: () => api.get<Page<CapacityAdjustment>>('/capacity-adjustments', params),
    placeholderData: (previous) => previous,
  });
}

/**
 * Adjusts every rep for one month now. A month is adjusted once: running it again
 * answers `adjusted: 0` and changes nothing.
 */
export function useRunCapacityAdjustment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CapacityAdjustmentRunBody) =>
      api.post<CapacityAdjustmentRun>('/capacity-adjustment/run', body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: capacityAdjustmentKeys.history }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.leads, 'capacity'] }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.customers, 'capacity'] }),
      ]),
  });
}
