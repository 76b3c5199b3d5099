import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IntakeForm, IntakeFormBody } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { assignmentKeys } from './keys.ts';

/** The path a website posts its form to; public, identified by the form key alone. */
export const intakePath = '/api/v1/intake/leads';

export function useIntakeForms() {
  return useQuery({
    queryKey: assignmentKeys.intakeForms,
    queryFn: () => api.get<{ items: IntakeForm[] }>('/intake-forms'),
    select: (data) => data.items,
  });
}

/** Adds a form (no id; the server generates its key) or changes one. */
export function useSaveIntakeForm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: IntakeFormBody }) =>
      id === undefined
        ? api.post<IntakeForm>('/intake-forms', body)
        : api.put<IntakeForm>(`/intake-forms/${encodeURIComponent(id)}`, body),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: assignmentKeys.intakeForms }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]),
  });
}
