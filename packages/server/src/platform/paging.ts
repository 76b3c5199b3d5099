import { sql, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './db.ts';
import { invalid } from './errors.ts';

export interface Sort<K extends string> {
  field: K;
  descending: boolean;
}

/** Reads `sort` as SPEC §14 says: a whitelisted field, `-` prefix for descending. */
export function parseSort<K extends string>(
  sort: string | undefined,
  allowed: readonly K[],
  fallback: string,
): Sort<K> {
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

/** Above this many matching rows, lists may answer an estimated total (SPEC §14). */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * Counts exactly up to the limit, then asks the planner: a count over a
 * million rows costs more than the page it describes.
 */
export async function countRows(
  db: DbOrTx,
  query: SQLWrapper,
): Promise<{ total: number; totalIsEstimate?: true }> {
  const capped = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM (${query} LIMIT ${EXACT_COUNT_LIMIT + 1}) capped`,
  );
  const n = capped.rows[0]?.n ?? 0;
  if (n <= EXACT_COUNT_LIMIT) return { total: n };
  const plan = await db.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    sql`EXPLAIN (FORMAT JSON) ${query}`,
  );
  const estimate = plan.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? n;
  return { total: Math.max(Math.round(estimate), n), totalIsEstimate: true };
}

/** Escapes LIKE wildcards in user input. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
