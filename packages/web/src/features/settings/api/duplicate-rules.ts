import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DuplicateObjectType, DuplicateRule, DuplicateRules } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export function useDuplicateRules() {
  return useQuery({
    queryKey: queryKeys.duplicateRules,
    queryFn: () => api.get<DuplicateRules>('/duplicates/rules'),
  });
}

/**
 * Sets the rule of one record type. What the duplicate check reports changes with it,
 * so any check shown is stale too.
 */
export function useUpdateDuplicateRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ type, rule }: { type: DuplicateObjectType; rule: DuplicateRule }) =>
      api.put<DuplicateRules>(`/duplicates/rules/${type}`, rule),
    onSuccess: (rules) => {
      queryClient.setQueryData(queryKeys.duplicateRules, rules);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicates }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]);
    },
  });
}
