import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateRoleBody, Role, UpdateRoleBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** A role's permissions may be the signed-in user's own, which gate the menu. */
function invalidateRoles(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.roles }),
    queryClient.invalidateQueries({ queryKey: queryKeys.me, exact: true }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

export function useCreateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRoleBody) => api.post<Role>('/roles', body),
    onSuccess: () => invalidateRoles(queryClient),
  });
}

export function useUpdateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, body }: { name: string; body: UpdateRoleBody }) =>
      api.patch<Role>(`/roles/${encodeURIComponent(name)}`, body),
    onSuccess: () => invalidateRoles(queryClient),
  });
}

export function useDeleteRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.delete<unknown>(`/roles/${encodeURIComponent(name)}`),
    onSuccess: () => invalidateRoles(queryClient),
  });
}
