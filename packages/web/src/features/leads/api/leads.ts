import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  BatchResult,
  ConvertLeadBody,
  ConvertLeadResult,
  CreateFollowUpBody,
  CreateLeadBody,
  Customer,
  FollowUp,
  Lead,
  LeadStatus,
  MergeLeadBody,
  Page,
  TimelineItem,
  UpdateLeadBody,
} from '@tide/contract';
import { api, type QueryParams } from '../../../lib/api-client.ts';
import type { WithDuplicates } from '../../../lib/duplicates.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export interface LeadListParams {
  page: number;
  pageSize: number;
  sort?: string;
  status?: readonly LeadStatus[];
  ownerId?: readonly string[];
  source?: readonly string[];
  q?: string;
}

function toQueryParams(params: LeadListParams): QueryParams {
  return {
    page: params.page,
    pageSize: params.pageSize,
    sort: params.sort,
    status: params.status,
    ownerId: params.ownerId,
    source: params.source,
    q: params.q,
  };
}

/** The list's filters and sort without paging: the query of its export. */
export function leadFilterQuery(params: LeadListParams): QueryParams {
  const { page: _page, pageSize: _pageSize, ...filters } = toQueryParams(params);
  return filters;
}

/**
 * Colleagues claim, assign and follow up the same leads all day: a list or a lead
 * refetches whenever it is shown again instead of trusting a 30-second-old copy.
 */
const ALWAYS_REFRESH = 0;

function leadPath(id: string, action?: string): string {
  return `/leads/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

/**
 * A lead's change moves the lists it appears in, its detail, its timeline, the agenda
 * (a follow-up plan) and the audit log: refresh them all rather than guess which.
 */
function invalidateLeads(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.leads }),
    queryClient.invalidateQueries({ queryKey: queryKeys.agenda }),
    queryClient.invalidateQueries({ queryKey: queryKeys.recycleBinLeads }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

/** The lead list as a query, for `useLeadList` and for pickers that search it. */
export function leadListQuery(params: LeadListParams) {
  const query = toQueryParams(params);
  return queryOptions({
    queryKey: queryKeys.leadList(query),
    queryFn: () => api.get<Page<Lead>>('/leads', query),
    staleTime: ALWAYS_REFRESH,
    placeholderData: (previous) => previous,
  });
}

export function useLeadList(params: LeadListParams, enabled = true) {
  return useQuery({ ...leadListQuery(params), enabled });
}

export function useLead(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.lead(id),
    queryFn: () => api.get<Lead>(leadPath(id)),
    staleTime: ALWAYS_REFRESH,
    enabled,
  });
}

/** The customer a converted lead became; 404 when the viewer may not see it (no retry). */
export function useConvertedCustomer(customerId: string) {
  return useQuery({
    queryKey: queryKeys.customer(customerId),
    queryFn: () => api.get<Customer>(`/customers/${encodeURIComponent(customerId)}`),
    retry: false,
  });
}

export function useLeadTimeline(id: string) {
  return useQuery({
    queryKey: queryKeys.leadTimeline(id),
    queryFn: () => api.get<{ items: TimelineItem[] }>(leadPath(id, 'timeline')),
    staleTime: ALWAYS_REFRESH,
    select: (data) => data.items,
  });
}

export function useCreateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLeadBody) => api.post<WithDuplicates<Lead>>('/leads', body),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useUpdateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateLeadBody }) =>
      api.patch<WithDuplicates<Lead>>(leadPath(id), body),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useDeleteLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(leadPath(id)),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

/** The status changes that take a reason (SPEC §2). */
export type ReasonAction = 'return' | 'invalidate' | 'void';

export function useLeadReasonAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: ReasonAction; reason: string }) =>
      api.post<Lead>(leadPath(id, action), { reason }),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useClaimLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Lead>(leadPath(id, 'claim')),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useRestoreVoidedLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Lead>(leadPath(id, 'restore')),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useAssignLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ownerId }: { id: string; ownerId: string }) =>
      api.post<Lead>(leadPath(id, 'assign'), { ownerId }),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

/** Each id succeeds or fails on its own; the answer says which. */
export function useBatchClaimLeads() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: readonly string[]) => api.post<BatchResult>('/leads/claim', { ids }),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useBatchAssignLeads() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, ownerId }: { ids: readonly string[]; ownerId: string }) =>
      api.post<BatchResult>('/leads/assign', { ids, ownerId }),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useAddLeadFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CreateFollowUpBody }) =>
      api.post<FollowUp>(leadPath(id, 'follow-ups'), body),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function useRecycleBinLeads(params: LeadListParams) {
  const query = toQueryParams(params);
  return useQuery({
    queryKey: queryKeys.recycleBinLeadList(query),
    queryFn: () => api.get<Page<Lead>>('/recycle-bin/leads', query),
    placeholderData: (previous) => previous,
  });
}

export function useRestoreDeletedLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<Lead>(`/recycle-bin/leads/${encodeURIComponent(id)}/restore`),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

export function usePurgeLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/recycle-bin/leads/${encodeURIComponent(id)}`),
    onSuccess: () => invalidateLeads(queryClient),
  });
}

/**
 * Conversion also creates (or claims) a customer, maybe a contact and an opportunity:
 * the customer and opportunity lists and any duplicate warning shown are stale too.
 */
export function useConvertLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ConvertLeadBody }) =>
      api.post<ConvertLeadResult>(leadPath(id, 'convert'), body),
    onSuccess: () =>
      Promise.all([
        invalidateLeads(queryClient),
        queryClient.invalidateQueries({ queryKey: queryKeys.customers }),
        queryClient.invalidateQueries({ queryKey: queryKeys.contacts }),
        queryClient.invalidateQueries({ queryKey: queryKeys.opportunities }),
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicates }),
      ]),
  });
}

/**
 * Merges `body.otherId` into lead `id`, the survivor. The other's follow-ups and
 * handovers move over and it leaves every list; duplicate reports shown are stale too.
 */
export function useMergeLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MergeLeadBody }) =>
      api.post<Lead>(leadPath(id, 'merge'), body),
    onSuccess: () =>
      Promise.all([
        invalidateLeads(queryClient),
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicates }),
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicateReports }),
      ]),
  });
}
