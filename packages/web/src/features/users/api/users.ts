import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  ApiToken,
  CreateApiTokenBody,
  CreatedApiToken,
  CreateServiceAccountBody,
  CreateUserBody,
  DeactivateUserBody,
  UpdateUserBody,
  User,
} from '@tide/contract';
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

export function useCreateServiceAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateServiceAccountBody) => api.post<User>('/service-accounts', body),
    onSuccess: () => invalidateUsers(queryClient),
  });
}

export function useServiceTokens(id: string) {
  return useQuery({
    queryKey: queryKeys.serviceTokens(id),
    queryFn: () => api.get<{ items: ApiToken[] }>(userPath(id, 'tokens')),
    select: (data) => data.items,
  });
}

export function useIssueServiceToken(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiTokenBody) =>
      api.post<CreatedApiToken>(userPath(id, 'tokens'), body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.serviceTokens(id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]),
  });
}

export function useRevokeServiceToken(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) =>
      api.delete<unknown>(userPath(id, `tokens/${encodeURIComponent(tokenId)}`)),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.serviceTokens(id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]),
  });
}
