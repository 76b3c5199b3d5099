import { z } from 'zod';

export const id = z.uuid();
export const idParams = z.object({ id });
export type IdParams = z.infer<typeof idParams>;

export const timestamp = z.iso.datetime({ offset: true });

/** Paging as SPEC §14: `page` from 1, `pageSize` default 20, at most 200. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.string().optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    totalIsEstimate: z.boolean().optional(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  totalIsEstimate?: boolean;
}

/** Query parameters carrying several values, comma-separated (`status=a,b`). */
export const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== ''),
);

export const okResponse = z.object({ ok: z.literal(true) });

/**
 * Text PostgreSQL cannot keep: a NUL character (refused by `text`) or half of a UTF-16
 * surrogate pair (refused by `jsonb`, so by every audit entry). JSON and URLs carry both.
 */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !loneSurrogate.test(s);
}

/**
 * The path of the first string (value or object key) in a parsed JSON value or query
 * that PostgreSQL cannot keep, or undefined when there is none.
 */
export function unstorableTextPath(
  value: unknown,
  path: (string | number)[] = [],
): (string | number)[] | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableTextPath(item, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  // Plain objects only (parsed JSON; parsed queries, whose prototype has none), never a
  // stream or a buffer.
  if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value);
    const plain =
      proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
    if (!plain) return undefined;
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key];
      const found = unstorableTextPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
