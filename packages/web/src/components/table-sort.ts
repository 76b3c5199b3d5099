import type { TableProps } from 'antd';

type Sorter<T> = Parameters<NonNullable<TableProps<T>['onChange']>>[2];

export type SortOrder = 'ascend' | 'descend';

/** `-createdAt` → the field and antd's sort order, to show the current sort in the header. */
export function parseSort(sort: string | undefined): { field?: string; order?: SortOrder } {
  if (!sort) return {};
  return sort.startsWith('-')
    ? { field: sort.slice(1), order: 'descend' }
    : { field: sort, order: 'ascend' };
}

/** The column's sort order when the list is sorted by `field`, else none. */
export function sortOrderOf(sort: string | undefined, field: string): SortOrder | null {
  const current = parseSort(sort);
  return current.field === field ? (current.order ?? null) : null;
}

/**
 * antd's sorter answer → the API's `sort` parameter (`-amount`), only for the fields the
 * API whitelists; anything else (sorting cleared) means the default order.
 */
export function toSortParam<T>(sorter: Sorter<T>, allowed: readonly string[]): string | undefined {
  const one = Array.isArray(sorter) ? sorter[0] : sorter;
  const field = one?.columnKey;
  if (!one?.order || typeof field !== 'string' || !allowed.includes(field)) return undefined;
  return `${one.order === 'descend' ? '-' : ''}${field}`;
}
