import { z } from 'zod';
import { id, pageQuery, timestamp } from './common.ts';

/** Records that live in public seas (SPEC §5). */
export const poolEntities = ['lead', 'customer'] as const;
export type PoolEntity = (typeof poolEntities)[number];

/**
 * Why a private record falls back to the public sea: no follow-up in N days, no visit in N
 * days (a follow-up of type `visit`), not converted within N days of claiming (leads), no
 * won opportunity within N days of claiming (customers).
 */
export const poolRuleKinds = [
  'no_follow_up',
  'no_visit',
  'not_converted',
  'no_won_opportunity',
] as const;
export type PoolRuleKind = (typeof poolRuleKinds)[number];

/** The rule kinds that apply to each record type. */
export const poolRuleKindsOf: Record<PoolEntity, readonly PoolRuleKind[]> = {
  lead: ['no_follow_up', 'no_visit', 'not_converted'],
  customer: ['no_follow_up', 'no_visit', 'no_won_opportunity'],
};

export const poolRuleBody = z
  .object({
    entity: z.enum(poolEntities),
    kind: z.enum(poolRuleKinds),
    days: z.number().int().min(1).max(3650),
    /** The owner is warned this many days before the drop; 0 for no warning. */
    warnDays: z.number().int().min(0).max(365).default(0),
    enabled: z.boolean().default(true),
  })
  .refine((r) => poolRuleKindsOf[r.entity].includes(r.kind), {
    message: 'This rule does not apply to this record type',
    path: ['kind'],
  })
  .refine((r) => r.warnDays < r.days, {
    message: 'The warning must come before the drop',
    path: ['warnDays'],
  });
export type PoolRuleBody = z.input<typeof poolRuleBody>;

export const poolRule = z
  .object({
    id,
    entity: z.enum(poolEntities),
    kind: z.enum(poolRuleKinds),
    days: z.number().int(),
    warnDays: z.number().int(),
    enabled: z.boolean(),
  })
  .meta({ id: 'PoolRule' });
export type PoolRule = z.infer<typeof poolRule>;

export const pool = z
  .object({
    id,
    name: z.string(),
    /** The pool serves this node's subtree; owned records of its people drop back here. */
    nodeId: id,
    nodeName: z.string(),
    isDefault: z.boolean(),
    /** Days a former owner may not claim a record back after a drop or a return. */
    protectDays: z.number().int(),
    /** Customers with a won opportunity closed within this many days are never dropped. */
    exemptWonDays: z.number().int().nullable(),
    /** New leads wait in the verification queue until telesales verify them (SPEC §2). */
    requireVerification: z.boolean(),
    rules: z.array(poolRule),
    /** Unowned records in the pool now. */
    counts: z.object({ lead: z.number().int(), customer: z.number().int() }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Pool' });
export type Pool = z.infer<typeof pool>;

const poolFields = {
  name: z.string().trim().min(1, 'Name the pool').max(60),
  nodeId: id,
  protectDays: z.number().int().min(0).max(365),
  exemptWonDays: z.number().int().min(1).max(3650).nullable(),
  requireVerification: z.boolean(),
};
export const createPoolBody = z.object({
  ...poolFields,
  protectDays: poolFields.protectDays.default(0),
  exemptWonDays: poolFields.exemptWonDays.default(null),
  requireVerification: poolFields.requireVerification.default(false),
  rules: z.array(poolRuleBody).max(20).default([]),
});
export type CreatePoolBody = z.input<typeof createPoolBody>;
export const updatePoolBody = z
  .object({ ...poolFields, rules: z.array(poolRuleBody).max(20) })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdatePoolBody = z.input<typeof updatePoolBody>;

/* ---------- Capacity (私海库容) and daily claim limits ---------- */

export const capacityScopes = ['tenant', 'role', 'node', 'user'] as const;
export type CapacityScope = (typeof capacityScopes)[number];

export const capacityLimit = z
  .object({
    id,
    scope: z.enum(capacityScopes),
    roleName: z.string().nullable(),
    nodeId: id.nullable(),
    userId: id.nullable(),
    /** The node's or user's name, for display. */
    targetName: z.string().nullable(),
    entity: z.enum(poolEntities),
    /** Most private records at once; null for no limit. */
    maxRecords: z.number().int().nullable(),
    /** Most claims per day (Asia/Shanghai); null for no limit. */
    dailyClaims: z.number().int().nullable(),
  })
  .meta({ id: 'CapacityLimit' });
export type CapacityLimit = z.infer<typeof capacityLimit>;

export const capacityLimitBody = z
  .object({
    scope: z.enum(capacityScopes),
    roleName: z.string().trim().min(1).max(40).nullable().default(null),
    nodeId: id.nullable().default(null),
    userId: id.nullable().default(null),
    entity: z.enum(poolEntities),
    maxRecords: z.number().int().min(0).max(1_000_000).nullable(),
    dailyClaims: z.number().int().min(0).max(100_000).nullable(),
  })
  .refine(
    (b) => {
      const given = { role: b.roleName !== null, node: b.nodeId !== null, user: b.userId !== null };
      const count = Object.values(given).filter(Boolean).length;
      return b.scope === 'tenant' ? count === 0 : count === 1 && given[b.scope];
    },
    {
      message: 'Give exactly the target of the scope (roleName, nodeId or userId)',
      path: ['scope'],
    },
  );
export type CapacityLimitBody = z.input<typeof capacityLimitBody>;

export const updateCapacityLimitBody = z
  .object({
    maxRecords: z.number().int().min(0).max(1_000_000).nullable(),
    dailyClaims: z.number().int().min(0).max(100_000).nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });

/** Where a rep's limit comes from: a scope's limit, or the monthly adjustment. */
export const capacitySources = [...capacityScopes, 'adjusted'] as const;
export type CapacitySource = (typeof capacitySources)[number];

/**
 * 自动调整库容: at the start of each month a rep's capacity moves by `stepPercent` with
 * their conversion rate of the month before (leads converted of those received; for
 * customers, opportunities won of those closed), never outside the bounds. Reps with a
 * personal limit keep it; a rate measured on fewer than `minSample` records changes
 * nothing.
 */
export const capacityAdjustmentSettings = z
  .object({
    entity: z.enum(poolEntities),
    enabled: z.boolean(),
    /** A rate at or above this percentage raises the capacity. */
    raiseAtPercent: z.number().int().min(0).max(100),
    /** A rate below this percentage lowers it. */
    lowerBelowPercent: z.number().int().min(0).max(100),
    stepPercent: z.number().int().min(1).max(100),
    minRecords: z.number().int().min(0).max(1_000_000),
    maxRecords: z.number().int().min(0).max(1_000_000),
    minSample: z.number().int().min(1).max(100_000),
  })
  .refine((s) => s.lowerBelowPercent <= s.raiseAtPercent, {
    message: 'The lowering rate must not be above the raising rate',
    path: ['lowerBelowPercent'],
  })
  .refine((s) => s.minRecords <= s.maxRecords, {
    message: 'The lower bound must not be above the upper bound',
    path: ['minRecords'],
  })
  .meta({ id: 'CapacityAdjustmentSettings' });
export type CapacityAdjustmentSettings = z.infer<typeof capacityAdjustmentSettings>;

/** One month's adjustment of one rep. */
export const capacityAdjustment = z
  .object({
    id,
    userId: id,
    userName: z.string(),
    entity: z.enum(poolEntities),
    /** The month measured, `YYYY-MM`. */
    month: z.string(),
    handled: z.number().int(),
    converted: z.number().int(),
    /** converted / handled, 0..1. */
    rate: z.number(),
    before: z.number().int(),
    after: z.number().int(),
    at: timestamp,
  })
  .meta({ id: 'CapacityAdjustment' });
export type CapacityAdjustment = z.infer<typeof capacityAdjustment>;

export const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month is written YYYY-MM');
export const capacityAdjustmentQuery = pageQuery.extend({
  month: yearMonth.optional(),
  entity: z.enum(poolEntities).optional(),
});
export type CapacityAdjustmentQuery = z.input<typeof capacityAdjustmentQuery>;
export const runCapacityAdjustmentBody = z.object({
  /** The month to measure; the month before the current one (Asia/Shanghai) if omitted. */
  month: yearMonth.optional(),
});
export const capacityAdjustmentRun = z.object({ month: z.string(), adjusted: z.number().int() });

/** One rep's standing against their limits, for one record type. */
export const capacityStatus = z
  .object({
    entity: z.enum(poolEntities),
    used: z.number().int(),
    max: z.number().int().nullable(),
    /** Where the limit comes from: which scope set it, or the adjustment (null: no limit). */
    maxFrom: z.enum(capacitySources).nullable(),
    claimedToday: z.number().int(),
    dailyMax: z.number().int().nullable(),
    dailyFrom: z.enum(capacitySources).nullable(),
  })
  .meta({ id: 'CapacityStatus' });
export type CapacityStatus = z.infer<typeof capacityStatus>;
export const userCapacity = z.object({
  userId: id,
  lead: capacityStatus,
  customer: capacityStatus,
});
export type UserCapacity = z.infer<typeof userCapacity>;

/* ---------- Per-record pool state: time to drop, protection ---------- */

export const poolStateQuery = z.object({
  entity: z.enum(poolEntities),
  ids: z
    .string()
    .transform((s) => s.split(',').filter((v) => v !== ''))
    .pipe(z.array(id).min(1).max(200)),
});
export const recordPoolState = z
  .object({
    id,
    /** For a private record: when the first enabled rule will drop it, and which. */
    dropAt: timestamp.nullable(),
    dropRule: poolRule.nullable(),
    /** For a public record: until when the caller may not claim it back. */
    protectedUntil: timestamp.nullable(),
  })
  .meta({ id: 'RecordPoolState' });
export type RecordPoolState = z.infer<typeof recordPoolState>;

/* ---------- Anti-collusion (反作弊) ---------- */

export const collusionSettings = z
  .object({
    /** K: handovers between the same two reps… */
    minHandovers: z.number().int().min(2).max(1000),
    /** …within W days… */
    windowDays: z.number().int().min(1).max(365),
    /** …each claimed within D hours of the other's drop or return. */
    claimHours: z.number().int().min(1).max(720),
    /** Refuse a claim that would make the pair reach K. */
    block: z.boolean(),
  })
  .meta({ id: 'CollusionSettings' });
export type CollusionSettings = z.infer<typeof collusionSettings>;

export const collusionPair = z
  .object({
    /** The rep who dropped or returned the records. */
    fromUserId: id,
    fromUserName: z.string(),
    /** The rep who claimed them soon after. */
    toUserId: id,
    toUserName: z.string(),
    handovers: z.number().int(),
    lastAt: timestamp,
    /** The records passed over, most recent first (at most 20). */
    records: z.array(
      z.object({
        entity: z.enum(poolEntities),
        id,
        name: z.string().nullable(),
        releasedAt: timestamp,
        claimedAt: timestamp,
      }),
    ),
  })
  .meta({ id: 'CollusionPair' });
export type CollusionPair = z.infer<typeof collusionPair>;
