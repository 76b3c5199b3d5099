import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  Contact,
  CreateContactBody,
  CreateCustomerBody,
  CreateFollowUpBody,
  Customer,
  CustomerKind,
  FollowUp,
  MergeContactBody,
  MergeCustomerBody,
  Opportunity,
  Page,
  TimelineItem,
  UpdateContactBody,
  UpdateCustomerBody,
} from '@tide/contract';
import { api, type QueryParams } from '../../../lib/api-client.ts';
import type { WithDuplicates } from '../../../lib/duplicates.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export type PoolState = Customer['poolState'];

export interface CustomerListParams {
  page: number;
  pageSize: number;
  sort?: string;
  poolState?: PoolState;
  ownerId?: readonly string[];
  kind?: CustomerKind;
  source?: readonly string[];
  tag?: string;
  q?: string;
}

function toQueryParams(params: CustomerListParams): QueryParams {
  return {
    page: params.page,
    pageSize: params.pageSize,
    sort: params.sort,
    poolState: params.poolState,
    ownerId: params.ownerId,
    kind: params.kind,
    source: params.source,
    tag: params.tag,
    q: params.q,
  };
}

/** The list's filters and sort without paging: the query of its export. */
export function customerFilterQuery(params: CustomerListParams): QueryParams {
  const { page: _page, pageSize: _pageSize, ...filters } = toQueryParams(params);
  return filters;
}

/** Colleagues claim and return customers all day: refetch whenever a list is shown again. */
const ALWAYS_REFRESH = 0;

function customerPath(id: string, action?: string): string {
  return `/customers/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

/**
 * A customer's change moves its lists, its 360 page, the opportunities shown with its
 * name, the agenda (a follow-up plan) and the audit log: refresh them all.
 */
function invalidateCustomers(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.customers }),
    queryClient.invalidateQueries({ queryKey: queryKeys.opportunities }),
    queryClient.invalidateQueries({ queryKey: queryKeys.agenda }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

/** The customer list as a query, for `useCustomerList` and for pickers that search it. */
export function customerListQuery(params: CustomerListParams) {
  const query = toQueryParams(params);
  return queryOptions({
    queryKey: queryKeys.customerList(query),
    queryFn: () => api.get<Page<Customer>>('/customers', query),
    staleTime: ALWAYS_REFRESH,
    placeholderData: (previous) => previous,
  });
}

export function useCustomerList(params: CustomerListParams, enabled = true) {
  return useQuery({ ...customerListQuery(params), enabled });
}

export function useCustomer(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.customer(id),
    queryFn: () => api.get<Customer>(customerPath(id)),
    staleTime: ALWAYS_REFRESH,
    enabled,
  });
}

export function useCustomerTimeline(id: string) {
  return useQuery({
    queryKey: queryKeys.customerTimeline(id),
    queryFn: () => api.get<{ items: TimelineItem[] }>(customerPath(id, 'timeline')),
    staleTime: ALWAYS_REFRESH,
    select: (data) => data.items,
  });
}

/**
 * The customer's opportunities, for its timeline. Keyed like the opportunity lists so a
 * stage move anywhere refreshes it.
 */
export function useCustomerOpportunityEvents(customerId: string) {
  const query: QueryParams = { customerId, pageSize: 200, sort: '-updatedAt' };
  return useQuery({
    queryKey: queryKeys.opportunityList(query),
    queryFn: () => api.get<Page<Opportunity>>('/opportunities', query),
    staleTime: ALWAYS_REFRESH,
    select: (data) => data.items,
  });
}

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCustomerBody) =>
      api.post<WithDuplicates<Customer>>('/customers', body),
    onSuccess: () => invalidateCustomers(queryClient),
  });
}

export function useUpdateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCustomerBody }) =>
      api.patch<WithDuplicates<Customer>>(customerPath(id), body),
    onSuccess: () => invalidateCustomers(queryClient),
  });
}

export function useDeleteCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(customerPath(id)),
    onSuccess: () => invalidateCustomers(queryClient),
  });
}

export function useClaimCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Customer>(customerPath(id, 'claim')),
    onSuccess: () => invalidateCustomers(queryClient),
  });
}

/** Claims one customer; for batches, where each id succeeds or fails on its own. */
export function claimCustomer(id: string): Promise<Customer> {
  return api.post<Customer>(customerPath(id, 'claim'));
}

export function useInvalidateCustomers(): () => Promise<unknown> {
  const queryClient = useQueryClient();
  return () => invalidateCustomers(queryClient);
}

/**
 * Merges `body.otherId` into customer `id`, the survivor. The other's contacts,
 * opportunities and follow-ups move, so every list showing them refreshes.
 */
export function useMergeCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MergeCustomerBody }) =>
      api.post<Customer>(customerPath(id, 'merge'), body),
    onSuccess: () =>
      Promise.all([
        invalidateCustomers(queryClient),
        queryClient.invalidateQueries({ queryKey: queryKeys.contacts }),
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicates }),
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicateReports }),
      ]),
  });
}

export function useReturnCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<Customer>(customerPath(id, 'return'), { reason }),
    onSuccess: () => invalidateCustomers(queryClient),
  });
}

export function useAddCustomerFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CreateFollowUpBody }) =>
      api.post<FollowUp>(customerPath(id, 'follow-ups'), body),
    onSuccess: () => invalidateCustomers(queryClient),
  });
}

/** The contacts of a customer, as the card lists them; without paging, the query of their export. */
export function contactFilterQuery(customerId: string): QueryParams {
  return { customerId, sort: 'name' };
}

export function useContactList(customerId: string) {
  const query: QueryParams = { ...contactFilterQuery(customerId), pageSize: 200 };
  return useQuery({
    queryKey: queryKeys.contactList(query),
    queryFn: () => api.get<Page<Contact>>('/contacts', query),
    staleTime: ALWAYS_REFRESH,
    select: (data) => data.items,
  });
}

function invalidateContacts(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.contacts }),
    queryClient.invalidateQueries({ queryKey: queryKeys.customers }),
  ]);
}

export function useCreateContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateContactBody) => api.post<WithDuplicates<Contact>>('/contacts', body),
    onSuccess: () => invalidateContacts(queryClient),
  });
}

export function useUpdateContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateContactBody }) =>
      api.patch<WithDuplicates<Contact>>(`/contacts/${encodeURIComponent(id)}`, body),
    onSuccess: () => invalidateContacts(queryClient),
  });
}

/**
 * Merges contact `body.otherId` into contact `id`. The other's follow-ups and other
 * links move to the survivor, possibly from another customer: refresh every customer.
 */
export function useMergeContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: MergeContactBody }) =>
      api.post<Contact>(`/contacts/${encodeURIComponent(id)}/merge`, body),
    onSuccess: () =>
      Promise.all([
        invalidateContacts(queryClient),
        queryClient.invalidateQueries({ queryKey: queryKeys.duplicates }),
      ]),
  });
}
