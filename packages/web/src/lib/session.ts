import { useSyncExternalStore } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Me, Permission } from '@tide/contract';
import { api, isApiError } from './api-client.ts';
import { queryKeys } from './query-keys.ts';

/** The signed-in user, or null when there is no valid session. */
async function fetchMe(): Promise<Me | null> {
  try {
    // Signed out is an answer here, not an event: no need to tell the session watcher.
    return await api.get<Me>('/me', undefined, { skipUnauthenticatedHandler: true });
  } catch (err) {
    if (isApiError(err) && err.status === 401) return null;
    throw err;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** The signed-in user; only for components rendered inside the authenticated layout. */
export function useMe(): Me {
  const { data } = useMeQuery();
  if (!data) throw new Error('useMe() used outside an authenticated route');
  return data;
}

export function useCan(permission: Permission): boolean {
  const { data } = useMeQuery();
  return data?.permissions.includes(permission) ?? false;
}

/** Whether the user holds at least one of the permissions. */
export function useCanAny(permissions: readonly Permission[]): boolean {
  const { data } = useMeQuery();
  const granted = data?.permissions ?? [];
  return permissions.some((p) => granted.includes(p));
}

function isMeKey(key: readonly unknown[]): boolean {
  return key.length === queryKeys.me.length && key[0] === queryKeys.me[0];
}

/*
 * Whether the session ended under the user (a 401 mid-use) rather than never existing:
 * the login page then says why they are there.
 */
let sessionExpired = false;
const expiryListeners = new Set<() => void>();

function setSessionExpired(value: boolean): void {
  if (sessionExpired === value) return;
  sessionExpired = value;
  for (const listener of expiryListeners) listener();
}

export function useSessionExpired(): boolean {
  return useSyncExternalStore(
    (listener) => {
      expiryListeners.add(listener);
      return () => {
        expiryListeners.delete(listener);
      };
    },
    () => sessionExpired,
  );
}

/** The session was refused mid-use: sign out locally and remember why. */
export function expireSession(queryClient: QueryClient): void {
  setSessionExpired(true);
  endSession(queryClient);
}

/** Forget everything cached for the previous session and mark it signed out. */
export function endSession(queryClient: QueryClient): void {
  void queryClient.cancelQueries();
  queryClient.removeQueries({ predicate: (q) => !isMeKey(q.queryKey) });
  queryClient.setQueryData<Me | null>(queryKeys.me, null);
}

export function useSetSession(): (me: Me) => void {
  const queryClient = useQueryClient();
  return (me: Me) => {
    setSessionExpired(false);
    queryClient.removeQueries({ predicate: (q) => !isMeKey(q.queryKey) });
    queryClient.setQueryData<Me | null>(queryKeys.me, me);
  };
}
