import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApiToken,
  ChangeOwnPasswordBody,
  CreateApiTokenBody,
  CreatedApiToken,
} from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangeOwnPasswordBody) => api.post<unknown>('/me/password', body),
  });
}

export function useMyTokens(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.myTokens,
    queryFn: () => api.get<{ items: ApiToken[] }>('/me/tokens'),
    select: (data) => data.items,
    enabled,
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiTokenBody) => api.post<CreatedApiToken>('/me/tokens', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.myTokens }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/me/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.myTokens }),
  });
}
