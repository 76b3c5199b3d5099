import type { QueryParams } from './api-client.ts';

/**
 * Every query key in one place, so a mutation in one feature can invalidate what
 * another feature shows (moving a user changes the org tree's user counts).
 */
export const queryKeys = {
  me: ['me'] as const,
  myTokens: ['me', 'tokens'] as const,
  orgTree: ['org', 'tree'] as const,
  users: ['users'] as const,
  userList: (params: QueryParams) => ['users', 'list', params] as const,
  user: (id: string) => ['users', 'detail', id] as const,
  roles: ['roles'] as const,
  audit: ['audit'] as const,
  auditList: (params: QueryParams) => ['audit', 'list', params] as const,
};
