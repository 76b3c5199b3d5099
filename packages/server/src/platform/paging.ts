import { invalid } from './errors.ts';

export interface Sort<K extends string> {
  field: K;
  descending: boolean;
}

/** Reads `sort` as SPEC §14 says: a whitelisted field, `-` prefix for descending. */
export function parseSort<K extends string>(sort: string | undefined, allowed: readonly K[], fallback: string): Sort<K> {
  const raw = sort?.trim() ? sort.trim() : fallback;
  const descending = raw.startsWith('-');
  const name = descending ? raw.slice(1) : raw;
  const field = allowed.find((f) => f === name);
  if (!field) {
    throw invalid(`Cannot sort by "${name}"; sortable fields: ${allowed.join(', ')}`, {
      path: 'sort',
      allowed,
    });
  }
  return { field, descending };
}
