import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TenantSettings, UpdateTenantSettingsBody } from '@tide/contract';
import { api } from './api-client.ts';
import { queryKeys } from './query-keys.ts';

/**
 * The tenant's settings change rarely, but several features read them (lead conversion
 * needs to know whether it will link an existing customer): one shared query.
 */
export function useTenantSettings() {
  return useQuery({
    queryKey: queryKeys.tenantSettings,
    queryFn: () => api.get<TenantSettings>('/settings'),
    staleTime: 60_000,
  });
}

export function useUpdateTenantSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTenantSettingsBody) => api.patch<TenantSettings>('/settings', body),
    onSuccess: (settings) => {
      queryClient.setQueryData(queryKeys.tenantSettings, settings);
      return queryClient.invalidateQueries({ queryKey: queryKeys.audit });
    },
  });
}
