import { useQuery } from '@tanstack/react-query';
import type { PoolEntity, RecordPoolState, UserCapacity } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** The API answers the state of at most this many records per call. */
const MAX_IDS = 200;

/**
 * Keys sit under the record type's own (`['leads', …]`, `['customers', …]`): every
 * claim, return, follow-up or transfer already invalidates those, and each of them
 * moves a capacity or a time to drop.
 */
function entityKey(entity: PoolEntity) {
  return entity === 'lead' ? queryKeys.leads : queryKeys.customers;
}

/** The signed-in user's standing against their capacity and daily claim limit. */
export function useMyCapacity(entity: PoolEntity, enabled = true) {
  return useQuery({
    queryKey: [...entityKey(entity), 'capacity', 'me'] as const,
    queryFn: () => api.get<UserCapacity>('/capacity/me'),
    select: (data) => data[entity],
    enabled,
    staleTime: 0,
  });
}

/**
 * Time to drop (private records) and protection (public ones) of the rows on screen:
 * one call per page of a list, answered as a map by record id.
 */
export function usePoolStates(entity: PoolEntity, ids: readonly string[], enabled = true) {
  const shown = ids.slice(0, MAX_IDS);
  return useQuery({
    queryKey: [...entityKey(entity), 'pool-state', shown.join(',')] as const,
    queryFn: () => api.get<{ items: RecordPoolState[] }>('/pool-state', { entity, ids: shown }),
    select: (data) => new Map(data.items.map((s) => [s.id, s])),
    enabled: enabled && shown.length > 0,
    staleTime: 0,
  });
}
