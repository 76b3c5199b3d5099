import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { onUnauthenticated } from '../lib/api-client.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { expireSession } from '../lib/session.ts';
import { AppProviders } from './providers.tsx';
import { createRouter } from './router.tsx';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);

  // Any 401 means the session ended (expired, revoked, password changed elsewhere); the
  // route guard then sends the user to the login page and back to where they were.
  useEffect(
    () =>
      onUnauthenticated(() => {
        expireSession(queryClient);
      }),
    [queryClient],
  );

  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
