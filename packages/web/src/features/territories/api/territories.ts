import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Region, Territory, TerritoryBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/*
 * The keys of this feature's own queries. The divisions change only with a new data
 * version on the server, so they are read once per session.
 */
export const territoryKeys = {
  all: ['territories'] as const,
  list: ['territories', 'list'] as const,
  regions: (parent: string | undefined) => ['territories', 'regions', parent ?? ''] as const,
};

export function regionsQuery(parent: string | undefined) {
  return {
    queryKey: territoryKeys.regions(parent),
    queryFn: () => api.get<{ items: Region[] }>('/regions', { parent }),
    select: (data: { items: Region[] }) => data.items,
    staleTime: Infinity,
  };
}

/** The provinces without a parent; the cities of a province, the districts of a city. */
export function useRegions(parent?: string) {
  return useQuery(regionsQuery(parent));
}

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
