import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Permission } from '@tide/contract';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { useCanAny, useMeQuery, useSessionExpired } from '../lib/session.ts';
import { ForbiddenPage } from './routes/forbidden.tsx';

/** Renders its children for a signed-in user; sends everyone else to the login page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMeQuery();
  const location = useLocation();
  const expired = useSessionExpired();
  if (me.isPending) return <Loading height="100vh" />;
  if (me.isError) {
    return (
      <div style={{ padding: 48 }}>
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (me.data === null) {
    const next = `${location.pathname}${location.search}`;
    const params = new URLSearchParams();
    if (expired) params.set('expired', '1');
    if (next !== '/') params.set('next', next);
    const query = params.toString();
    const to = query ? `/login?${query}` : '/login';
    return <Navigate to={to} replace />;
  }
  return children;
}

/**
 * Shows a 403 page instead of a screen whose every call would be refused. Given several
 * permissions, any one of them opens the page (which then shows what that one allows).
 */
export function RequirePermission({
  permission,
  children,
}: {
  permission: Permission | readonly Permission[];
  children: ReactNode;
}) {
  const allowed = useCanAny(typeof permission === 'string' ? [permission] : permission);
  return allowed ? children : <ForbiddenPage />;
}
