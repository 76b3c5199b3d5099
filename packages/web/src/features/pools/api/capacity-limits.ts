import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CapacityLimit, CapacityLimitBody, updateCapacityLimitBody } from '@tide/contract';
import type { z } from 'zod';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { poolKeys } from './pools.ts';

/** Only the numbers of a limit change; its scope, target and record type do not. */
export type CapacityLimitPatch = z.input<typeof updateCapacityLimitBody>;

function limitPath(id: string): string {
  return `/capacity-limits/${encodeURIComponent(id)}`;
}

function invalidateLimits(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: poolKeys.capacityLimits }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

export function useCapacityLimits() {
  return useQuery({
    queryKey: poolKeys.capacityLimits,
    queryFn: () => api.get<{ items: CapacityLimit[] }>('/capacity-limits'),
    select: (data) => data.items,
  });
}

export function useCreateCapacityLimit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CapacityLimitBody) => api.post<CapacityLimit>('/capacity-limits', body),
    onSuccess: () => invalidateLimits(queryClient),
  });
}

export function useUpdateCapacityLimit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CapacityLimitPatch }) =>
      api.patch<CapacityLimit>(limitPath(id), body),
    onSuccess: () => invalidateLimits(queryClient),
  });
}

export function useDeleteCapacityLimit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(limitPath(id)),
    onSuccess: () => invalidateLimits(queryClient),
  });
}
