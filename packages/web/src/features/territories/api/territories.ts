import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Territory, TerritoryBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/*
 * The keys of this feature's own queries. The divisions the bindings are picked from
 * are shared reference data: `regionsQuery` in lib/reference-data.ts.
 */
export const territoryKeys = {
  all: ['territories'] as const,
  list: ['territories', 'list'] as const,
};

/** Every org node with its own bindings; a node without any inherits its parent's. */
export function useTerritories() {
  return useQuery({
    queryKey: territoryKeys.list,
    queryFn: () => api.get<{ items: Territory[] }>('/territories'),
    select: (data) => data.items,
  });
}

/** `['000000']` binds the node to the whole country; `[]` lets it inherit again. */
export function useSetTerritory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, body }: { nodeId: string; body: TerritoryBody }) =>
      api.put<Territory>(`/org/nodes/${encodeURIComponent(nodeId)}/territory`, body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: territoryKeys.list }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]),
  });
}
