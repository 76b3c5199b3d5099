import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Lead, Page, VerifyBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/*
 * The queue sits under the leads' key: a lead claimed, voided or merged elsewhere leaves
 * it, and every lead mutation already invalidates that key.
 */
const queueKey = (page: number, pageSize: number) =>
  [...queryKeys.leads, 'verification-queue', page, pageSize] as const;

/** Leads waiting for a verification call, oldest first. */
export function useVerificationQueue(page: number, pageSize: number) {
  return useQuery({
    queryKey: queueKey(page, pageSize),
    queryFn: () => api.get<Page<Lead>>('/verification-queue', { page, pageSize }),
    placeholderData: (previous) => previous,
    // Several callers work one queue: show what is left now, not half a minute ago.
    staleTime: 0,
  });
}

/** A verified lead is open for distribution (and its pool's rules may take it at once). */
export function useVerifyLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: VerifyBody }) =>
      api.post<{ ok: true }>(`/leads/${encodeURIComponent(id)}/verification`, body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.leads }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]),
  });
}
