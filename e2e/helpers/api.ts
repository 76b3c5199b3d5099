import type { BrowserContext } from 'playwright-core';

/**
 * Calls the API with the browser's own session, as the web UI does: the session cookie
 * plus the CSRF token from the readable cookie. Used to set up data quickly.
 */
export async function callApi<T>(
  context: BrowserContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const cookies = await context.cookies();
  const csrf = cookies.find((c) => c.name === 'tide_csrf')?.value;
  const res = await context.request.fetch(`/api/v1${path}`, {
    method,
    headers: {
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  if (!res.ok())
    throw new Error(`${method} ${path} answered ${String(res.status())}: ${await res.text()}`);
  const data: unknown = await res.json();
  return data as T;
}
