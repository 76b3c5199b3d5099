import { useQuery } from '@tanstack/react-query';
import type { OrgTree, Page, Pool, Region, Role, User, UserKind } from '@tide/contract';
import { api, type QueryParams } from './api-client.ts';
import { queryKeys } from './query-keys.ts';

/*
 * Data many screens read: the org tree (team pickers), the roles (role pickers and
 * labels), user look-ups (manager and colleague pickers), the pools (pool pickers) and
 * the administrative divisions (region pickers and tags). Features write them through
 * their own mutations and invalidate these keys.
 */

export function useOrgTree(enabled = true) {
  return useQuery({
    queryKey: queryKeys.orgTree,
    queryFn: () => api.get<OrgTree>('/org/nodes'),
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: queryKeys.roles,
    queryFn: () => api.get<{ items: Role[] }>('/roles'),
    select: (data) => data.items,
    enabled,
  });
}

export interface UserListParams {
  page?: number;
  pageSize?: number;
  sort?: string;
  q?: string;
  nodeId?: string;
  role?: string[];
  active?: boolean;
  kind?: UserKind;
}

export function toQueryParams(params: UserListParams): QueryParams {
  return {
    page: params.page,
    pageSize: params.pageSize,
    sort: params.sort,
    q: params.q,
    nodeId: params.nodeId,
    role: params.role,
    active: params.active,
    kind: params.kind,
  };
}

export function fetchUsers(params: UserListParams): Promise<Page<User>> {
  return api.get<Page<User>>('/users', toQueryParams(params));
}

export function useUserList(params: UserListParams, enabled = true) {
  const query = toQueryParams(params);
  return useQuery({
    queryKey: queryKeys.userList(query),
    queryFn: () => fetchUsers(params),
    enabled,
    placeholderData: (previous) => previous,
  });
}

export function useUser(id: string | null | undefined) {
  return useQuery({
    queryKey: queryKeys.user(id ?? ''),
    queryFn: () => api.get<User>(`/users/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
  });
}

/** Every pool the caller may see; the pools page changes them and invalidates this key. */
export function usePools() {
  return useQuery({
    queryKey: queryKeys.poolList,
    queryFn: () => api.get<{ items: Pool[] }>('/pools'),
    select: (data) => data.items,
  });
}

/**
 * The provinces (no parent), or the cities of a province, or the districts of a city.
 * They change only with a new data version on the server, so they are read once per session.
 */
export function regionsQuery(parent: string | undefined) {
  return {
    queryKey: queryKeys.regions(parent),
    queryFn: () => api.get<{ items: Region[] }>('/regions', { parent }),
    select: (data: { items: Region[] }) => data.items,
    staleTime: Infinity,
  };
}

export function useRegions(parent?: string) {
  return useQuery(regionsQuery(parent));
}
