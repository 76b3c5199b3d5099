import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CollusionPair, CollusionSettings } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { poolKeys } from './pools.ts';

export function useCollusionSettings() {
  return useQuery({
    queryKey: poolKeys.collusionSettings,
    queryFn: () => api.get<CollusionSettings>('/collusion/settings'),
  });
}

/** The report applies the settings: new ones may find other pairs. */
export function useUpdateCollusionSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CollusionSettings) =>
      api.put<CollusionSettings>('/collusion/settings', body),
    onSuccess: (saved) => {
      queryClient.setQueryData(poolKeys.collusionSettings, saved);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: poolKeys.collusionReport }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]);
    },
  });
}

/** Pairs of reps who keep claiming what the other has just let go (managers and admins). */
export function useCollusionReport() {
  return useQuery({
    queryKey: poolKeys.collusionReport,
    queryFn: () => api.get<{ items: CollusionPair[] }>('/collusion/report'),
    select: (data) => data.items,
  });
}
