import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  CreateFollowUpBody,
  CreateOpportunityBody,
  FollowUp,
  MoveStageBody,
  Opportunity,
  OpportunityStage,
  OpportunityStatus,
  Page,
  PutStagesBody,
  StageChange,
  TimelineItem,
  UpdateOpportunityBody,
} from '@tide/contract';
import { api, type QueryParams } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export interface OpportunityListParams {
  page: number;
  pageSize: number;
  sort?: string;
  stage?: readonly string[];
  status?: readonly OpportunityStatus[];
  ownerId?: readonly string[];
  customerId?: string;
  q?: string;
}

function toQueryParams(params: OpportunityListParams): QueryParams {
  return {
    page: params.page,
    pageSize: params.pageSize,
    sort: params.sort,
    stage: params.stage,
    status: params.status,
    ownerId: params.ownerId,
    customerId: params.customerId,
    q: params.q,
  };
}

/** The list's filters and sort without paging: the query of its export. */
export function opportunityFilterQuery(params: OpportunityListParams): QueryParams {
  const { page: _page, pageSize: _pageSize, ...filters } = toQueryParams(params);
  return filters;
}

const ALWAYS_REFRESH = 0;

function opportunityPath(id: string, action?: string): string {
  return `/opportunities/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

/** An opportunity's change shows on its lists, the board, its customer's 360 page and the audit log. */
function invalidateOpportunities(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.opportunities }),
    queryClient.invalidateQueries({ queryKey: queryKeys.customers }),
    queryClient.invalidateQueries({ queryKey: queryKeys.agenda }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

export function useOpportunityStages() {
  return useQuery({
    queryKey: queryKeys.opportunityStages,
    queryFn: () => api.get<{ items: OpportunityStage[] }>('/opportunity-stages'),
    select: (data) => [...data.items].sort((a, b) => a.position - b.position),
  });
}

export function usePutOpportunityStages() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutStagesBody) =>
      api.put<{ items: OpportunityStage[] }>('/opportunity-stages', body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.opportunityStages }),
        invalidateOpportunities(queryClient),
      ]),
  });
}

export function useOpportunityList(params: OpportunityListParams) {
  const query = toQueryParams(params);
  return useQuery({
    queryKey: queryKeys.opportunityList(query),
    queryFn: () => api.get<Page<Opportunity>>('/opportunities', query),
    staleTime: ALWAYS_REFRESH,
    placeholderData: (previous) => previous,
  });
}

export function useOpportunity(id: string) {
  return useQuery({
    queryKey: queryKeys.opportunity(id),
    queryFn: () => api.get<Opportunity>(opportunityPath(id)),
    staleTime: ALWAYS_REFRESH,
  });
}

export function useOpportunityTimeline(id: string) {
  return useQuery({
    queryKey: queryKeys.opportunityTimeline(id),
    queryFn: () => api.get<{ items: TimelineItem[] }>(opportunityPath(id, 'timeline')),
    staleTime: ALWAYS_REFRESH,
    select: (data) => data.items,
  });
}

export function useStageHistory(id: string) {
  return useQuery({
    queryKey: queryKeys.opportunityStageHistory(id),
    queryFn: () => api.get<{ items: StageChange[] }>(opportunityPath(id, 'stage-history')),
    staleTime: ALWAYS_REFRESH,
    select: (data) => data.items,
  });
}

export function useCreateOpportunity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOpportunityBody) => api.post<Opportunity>('/opportunities', body),
    onSuccess: () => invalidateOpportunities(queryClient),
  });
}

export function useUpdateOpportunity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateOpportunityBody }) =>
      api.patch<Opportunity>(opportunityPath(id), body),
    onSuccess: () => invalidateOpportunities(queryClient),
  });
}

export function useMoveStage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MoveStageBody }) =>
      api.post<Opportunity>(opportunityPath(id, 'stage'), body),
    // Settled, not success: a refused move must redraw the board with the card back home.
    onSettled: () => invalidateOpportunities(queryClient),
  });
}

export function useAddOpportunityFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CreateFollowUpBody }) =>
      api.post<FollowUp>(opportunityPath(id, 'follow-ups'), body),
    onSuccess: () => invalidateOpportunities(queryClient),
  });
}
