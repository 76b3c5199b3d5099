import { isApiError } from './api-client.ts';

/**
 * The survivor a merged-away record's 404 points at (`details.mergedInto`), when the
 * caller may see it. Customers, leads and contacts answer alike.
 */
export function mergedIntoOf(err: unknown): string | undefined {
  if (!isApiError(err) || err.status !== 404) return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null || !('mergedInto' in details))
    return undefined;
  return typeof details.mergedInto === 'string' ? details.mergedInto : undefined;
}

/** Set by the redirect from a merged-away record to its survivor. */
export interface MergedFromState {
  mergedFrom: string;
}

export function isMergedFromState(state: unknown): state is MergedFromState {
  return (
    typeof state === 'object' &&
    state !== null &&
    'mergedFrom' in state &&
    typeof state.mergedFrom === 'string'
  );
}
