import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreatePoolBody, Pool, UpdatePoolBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/*
 * The keys of this feature's own queries. Nothing outside the pools page reads them,
 * so they stay here rather than in the shared list, except the pool list itself:
 * pool pickers elsewhere read it through `usePools` in lib/reference-data.ts.
 */
export const poolKeys = {
  all: ['pools'] as const,
  list: queryKeys.poolList,
  capacityLimits: ['pools', 'capacity-limits'] as const,
  collusionSettings: ['pools', 'collusion', 'settings'] as const,
  collusionReport: ['pools', 'collusion', 'report'] as const,
};

function poolPath(id: string): string {
  return `/pools/${encodeURIComponent(id)}`;
}

/** A pool change is audited; the record counts it shows change with it too. */
function invalidatePools(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: poolKeys.list }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

export function useCreatePool() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePoolBody) => api.post<Pool>('/pools', body),
    onSuccess: () => invalidatePools(queryClient),
  });
}

/** `rules`, when given, replaces the pool's whole rule list. */
export function useUpdatePool() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdatePoolBody }) =>
      api.patch<Pool>(poolPath(id), body),
    onSuccess: () => invalidatePools(queryClient),
  });
}

/** Refused (422) for the default pool and for a pool still holding records. */
export function useDeletePool() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(poolPath(id)),
    onSuccess: () => invalidatePools(queryClient),
  });
}
