import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DistributeBody, DistributeResult, PoolEntity } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/**
 * Shares pool records among reps. The records leave the pool and land in the reps' own
 * lists (a customer's open opportunities follow it), so those lists and the audit log are
 * refreshed.
 */
export function useDistribute(entity: PoolEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<DistributeBody, 'entity'>) =>
      api.post<DistributeResult>('/pools/distribute', { ...body, entity }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({
          queryKey: entity === 'lead' ? queryKeys.leads : queryKeys.customers,
        }),
        ...(entity === 'customer'
          ? [queryClient.invalidateQueries({ queryKey: queryKeys.opportunities })]
          : []),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]),
  });
}
