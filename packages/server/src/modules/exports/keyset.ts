import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * A list's order: its sort column (nulls last), then the id to break ties. Lists
 * and their exports build ORDER BY from the same value, so an export holds the rows
 * in exactly the order the list pages through them.
 */
export interface ListOrder {
  column: AnyPgColumn;
  descending: boolean;
  id: AnyPgColumn;
  /** The tie-break's direction; most lists break ties in the sort's direction. */
  idDescending: boolean;
}

export function orderBy(order: ListOrder): SQL[] {
  return [
    order.descending ? sql`${order.column} DESC NULLS LAST` : sql`${order.column} ASC NULLS LAST`,
    order.idDescending ? sql`${order.id} DESC` : sql`${order.id} ASC`,
  ];
}

/**
 * Where a batch stopped: the last row's sort value as PostgreSQL prints it and its
 * id. The text form keeps a timestamp's microseconds, which a JS Date would round
 * away and so skip or repeat rows at a batch boundary.
 */
export interface Keyset {
  value: string | null;
  id: string;
}

/** The sort value of a row, to select beside it for the next batch's keyset. */
export function keysetValue(order: ListOrder): SQL<string | null> {
  return sql<string | null>`${order.column}::text`;
}

/** Rows strictly after `after` in the list's order (nulls last). */
export function after(order: ListOrder, last: Keyset | null): SQL | undefined {
  if (!last) return undefined;
  const { column, id } = order;
  const idBeyond = order.idDescending
    ? sql`${id} < ${last.id}::uuid`
    : sql`${id} > ${last.id}::uuid`;
  if (last.value === null) return sql`(${column} IS NULL AND ${idBeyond})`;
  const value = sql`CAST(${last.value} AS ${sql.raw(column.getSQLType())})`;
  const beyond = order.descending ? sql`${column} < ${value}` : sql`${column} > ${value}`;
  return sql`(${column} IS NULL OR ${beyond} OR (${column} = ${value} AND ${idBeyond}))`;
}

/** One batch of a list read in order, and where the next one starts. */
export interface Batch<T> {
  items: T[];
  last: Keyset | null;
}

export function batchOf<R extends { id: string; sortKey: string | null }, T>(
  rows: readonly R[],
  map: (row: R) => T,
): Batch<T> {
  const tail = rows.at(-1);
  return { items: rows.map(map), last: tail ? { value: tail.sortKey, id: tail.id } : null };
}
