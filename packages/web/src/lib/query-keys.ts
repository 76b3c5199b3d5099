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
  leads: ['leads'] as const,
  leadList: (params: QueryParams) => ['leads', 'list', params] as const,
  lead: (id: string) => ['leads', 'detail', id] as const,
  leadTimeline: (id: string) => ['leads', 'timeline', id] as const,
  agenda: ['agenda'] as const,
  recycleBinLeads: ['recycle-bin', 'leads'] as const,
  recycleBinLeadList: (params: QueryParams) => ['recycle-bin', 'leads', 'list', params] as const,
};
