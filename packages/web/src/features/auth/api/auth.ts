import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginBody, LoginResponse } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { endSession, useSetSession } from '../../../lib/session.ts';

export function useLogin() {
  const setSession = useSetSession();
  return useMutation({
    mutationFn: (body: LoginBody) =>
      // A wrong password answers 401; the form shows it rather than redirecting.
      api.post<LoginResponse>('/auth/login', body, { skipUnauthenticatedHandler: true }),
    onSuccess: (data) => {
      setSession(data.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/auth/logout'),
    // Signed out locally even when the server is unreachable or the session already ended.
    onSettled: () => {
      endSession(queryClient);
    },
  });
}
