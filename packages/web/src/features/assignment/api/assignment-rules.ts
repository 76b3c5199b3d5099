import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AssignmentRule, AssignmentRuleBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { assignmentKeys } from './keys.ts';

function rulePath(id: string): string {
  return `/assignment-rules/${encodeURIComponent(id)}`;
}

function invalidateRules(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: assignmentKeys.rules }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

/** Every rule of the tenant, by pool and then priority. */
export function useAssignmentRules() {
  return useQuery({
    queryKey: assignmentKeys.rules,
    queryFn: () => api.get<{ items: AssignmentRule[] }>('/assignment-rules'),
    select: (data) => data.items,
  });
}

/** Adds a rule (no id) or replaces one whole. */
export function useSaveAssignmentRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: AssignmentRuleBody }) =>
      id === undefined
        ? api.post<AssignmentRule>('/assignment-rules', body)
        : api.put<AssignmentRule>(rulePath(id), body),
    onSuccess: () => invalidateRules(queryClient),
  });
}

export function useDeleteAssignmentRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(rulePath(id)),
    onSuccess: () => invalidateRules(queryClient),
  });
}
