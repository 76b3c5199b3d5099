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
  customers: ['customers'] as const,
  customerList: (params: QueryParams) => ['customers', 'list', params] as const,
  customer: (id: string) => ['customers', 'detail', id] as const,
  customerTimeline: (id: string) => ['customers', 'timeline', id] as const,
  contacts: ['contacts'] as const,
  contactList: (params: QueryParams) => ['contacts', 'list', params] as const,
  opportunities: ['opportunities'] as const,
  opportunityList: (params: QueryParams) => ['opportunities', 'list', params] as const,
  opportunity: (id: string) => ['opportunities', 'detail', id] as const,
  opportunityTimeline: (id: string) => ['opportunities', 'timeline', id] as const,
  opportunityStageHistory: (id: string) => ['opportunities', 'stage-history', id] as const,
  opportunityStages: ['opportunity-stages'] as const,
  tenantSettings: ['tenant-settings'] as const,
  duplicates: ['duplicates'] as const,
  duplicateCheck: (params: QueryParams) => ['duplicates', 'check', params] as const,
  duplicateRules: ['duplicate-rules'] as const,
  duplicateReports: ['duplicate-reports'] as const,
  duplicateReportList: (params: QueryParams) => ['duplicate-reports', 'list', params] as const,
  duplicateReport: (id: string) => ['duplicate-reports', 'detail', id] as const,
  duplicateClusters: (id: string, params: QueryParams) =>
    ['duplicate-reports', 'clusters', id, params] as const,
};
