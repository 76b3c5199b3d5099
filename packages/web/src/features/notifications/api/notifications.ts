import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification, Page, UnreadCount } from '@tide/contract';
import { api, type QueryParams } from '../../../lib/api-client.ts';

/**
 * Notifications are written by background jobs (the pool sweep), not by anything the
 * user does here: the unread count is asked for again every 30 seconds.
 */
const POLL_MS = 30_000;

/** The lists and the badge follow the server as soon as they are shown again. */
const ALWAYS_REFRESH = 0;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  list: (params: QueryParams) => ['notifications', 'list', params] as const,
};

export interface NotificationListParams {
  page: number;
  pageSize: number;
  unread?: boolean;
}

export function useUnreadCount() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async () => {
      const before = queryClient.getQueryData<UnreadCount>(notificationKeys.unread);
      const count = await api.get<UnreadCount>('/notifications/unread-count');
      // Something arrived (or was read in another tab): lists shown now follow.
      if (before && before.unread !== count.unread)
        void queryClient.invalidateQueries({ queryKey: [...notificationKeys.all, 'list'] });
      return count;
    },
    select: (data) => data.unread,
    staleTime: ALWAYS_REFRESH,
    refetchInterval: POLL_MS,
  });
}

export function useNotifications(params: NotificationListParams, enabled = true) {
  const query: QueryParams = {
    page: params.page,
    pageSize: params.pageSize,
    ...(params.unread === undefined ? {} : { unread: params.unread }),
  };
  return useQuery({
    queryKey: notificationKeys.list(query),
    queryFn: () => api.get<Page<Notification>>('/notifications', query),
    staleTime: ALWAYS_REFRESH,
    placeholderData: (previous) => previous,
    enabled,
  });
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<Notification>(`/notifications/${encodeURIComponent(id)}/read`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/notifications/read-all'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
