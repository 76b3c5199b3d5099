import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateOrgNodeBody, OrgNode, UpdateOrgNodeBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** A tree change renames or moves teams that user rows show, and writes audit entries. */
function invalidateOrg(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.orgTree }),
    queryClient.invalidateQueries({ queryKey: queryKeys.users }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
    queryClient.invalidateQueries({ queryKey: queryKeys.me }),
  ]);
}

export function useCreateNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOrgNodeBody) => api.post<OrgNode>('/org/nodes', body),
    onSuccess: () => invalidateOrg(queryClient),
  });
}

export function useUpdateNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateOrgNodeBody }) =>
      api.patch<OrgNode>(`/org/nodes/${encodeURIComponent(id)}`, body),
    onSuccess: () => invalidateOrg(queryClient),
  });
}

export function useDeleteNode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/org/nodes/${encodeURIComponent(id)}`),
    onSuccess: () => invalidateOrg(queryClient),
  });
}
