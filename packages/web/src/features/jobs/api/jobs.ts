import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobQueue } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';

/** A run queued from this page finishes in the background: follow it while it is pending. */
const POLL_MS = 2_000;

export const jobKeys = {
  all: ['jobs'] as const,
};

export function useJobQueues() {
  return useQuery({
    queryKey: jobKeys.all,
    queryFn: () => api.get<{ items: JobQueue[] }>('/jobs'),
    select: (data) => data.items,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.items.some((j) => j.pending > 0) ? POLL_MS : false),
  });
}

export function useRunJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<{ ok: true }>(`/jobs/${encodeURIComponent(name)}/run`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobKeys.all }),
  });
}
