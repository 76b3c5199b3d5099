import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateUserBody, DeactivateUserBody, UpdateUserBody, User } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** User changes move the org tree's head counts and write audit entries. */
function invalidateUsers(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.users }),
    queryClient.invalidateQueries({ queryKey: queryKeys.orgTree }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

function userPath(id: string, action?: string): string {
  return `/users/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api.post<User>('/users', body),
    onSuccess: () => invalidateUsers(queryClient),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) =>
      api.patch<User>(userPath(id), body),
    onSuccess: async (user) => {
      await invalidateUsers(queryClient);
      // The signed-in user may have edited themselves (name, roles, team).
      await queryClient.invalidateQueries({ queryKey: queryKeys.me, exact: true });
      queryClient.setQueryData(queryKeys.user(user.id), user);
    },
  });
}

export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api.post<unknown>(userPath(id, 'reset-password'), { password }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  });
}

export function useDeactivateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DeactivateUserBody }) =>
      api.post<unknown>(userPath(id, 'deactivate'), body),
    onSuccess: () => invalidateUsers(queryClient),
  });
}

export function useActivateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<unknown>(userPath(id, 'activate')),
    onSuccess: () => invalidateUsers(queryClient),
  });
}
