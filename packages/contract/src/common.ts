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
