import { z } from 'zod';
import { id } from './common.ts';

/** The code a nationwide node is bound to: it has no regional limit. */
export const NATIONWIDE = '000000';

export const region = z
  .object({ code: z.string(), name: z.string(), level: z.number().int().min(0).max(3) })
  .meta({ id: 'Region' });
export type Region = z.infer<typeof region>;

export const regionQuery = z.object({
  /** Children of this division; without it, the provinces. */
  parent: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional(),
});

export const territory = z
  .object({
    nodeId: id,
    nodeName: z.string(),
    nodePath: z.string(),
    regions: z.array(region),
    nationwide: z.boolean(),
  })
  .meta({ id: 'Territory' });
export type Territory = z.infer<typeof territory>;

export const territoryBody = z.object({
  /** Province, city or district codes; `000000` alone for nationwide; empty to inherit. */
  regionCodes: z
    .array(z.string().regex(/^[0-9]{6}$/, 'A region code has 6 digits'))
    .max(500)
    .refine((c) => !c.includes(NATIONWIDE) || c.length === 1, {
      message: 'Nationwide stands alone',
    }),
});
export type TerritoryBody = z.infer<typeof territoryBody>;

/** Which team a region belongs to: the most specific binding wins. */
export const regionOwner = z.object({
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  nodeId: id.nullable(),
  nodeName: z.string().nullable(),
});
export type RegionOwner = z.infer<typeof regionOwner>;
