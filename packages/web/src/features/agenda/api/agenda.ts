import { useQuery } from '@tanstack/react-query';
import type { AgendaItem } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** The caller's follow-up plans due by the end of today, and the overdue ones. */
export function useAgenda() {
  return useQuery({
    queryKey: queryKeys.agenda,
    queryFn: () => api.get<{ items: AgendaItem[] }>('/agenda'),
    select: (data) => data.items,
    // Plans turn overdue as time passes, without any write to refresh them.
    refetchInterval: 5 * 60_000,
  });
}
