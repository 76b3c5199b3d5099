import { sql, type SQL } from 'drizzle-orm';
import type { CapacitySource, CapacityStatus, PoolEntity } from '@tide/contract';
import { type DbOrTx, executePrepared, rowsOf } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { decideClaim, type ClaimFacts } from './decide.ts';
import { regionOwners, repTerritories, withinTerritory } from './territory.ts';

/** Pool days and the daily claim limit are counted in the tenant's time zone. */
export const POOL_TIME_ZONE = 'Asia/Shanghai';
const dayStart = sql.raw(
  `(date_trunc('day', now() AT TIME ZONE '${POOL_TIME_ZONE}') AT TIME ZONE '${POOL_TIME_ZONE}')`,
);

/** What a claim needs to know of the record. */
export interface ClaimTarget {
  entity: PoolEntity;
  id: string;
  poolId: string | null;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
}

/** Private records a rep holds: leads being worked, customers owned (SPEC §5). */
export function heldCount(entity: PoolEntity, tenantId: string, userId: SQL) {
  return entity === 'lead'
    ? sql`(SELECT count(*)::int FROM leads WHERE tenant_id = ${tenantId} AND owner_id = ${userId}
            AND status IN ('pending', 'following', 'invalid') AND deleted_at IS NULL)`
    : sql`(SELECT count(*)::int FROM customers WHERE tenant_id = ${tenantId} AND owner_id = ${userId}
            AND deleted_at IS NULL)`;
}

export interface LimitRow {
  scope: CapacitySource;
  max: number | null;
  daily: number | null;
  depth: number | null;
}

/**
 * The limits that apply to a rep, each field on its own: the person's own, else the
 * monthly adjustment's (capacity only), else the nearest node's, else the largest of
 * their roles', else the tenant's; null if none.
 */
export function resolveLimits(rows: readonly LimitRow[]): {
  max: number | null;
  maxFrom: CapacitySource | null;
  daily: number | null;
  dailyFrom: CapacitySource | null;
} {
  const order: Record<CapacitySource, number> = {
    user: 0,
    adjusted: 1,
    node: 2,
    role: 3,
    tenant: 4,
  };
  const pick = (field: 'max' | 'daily') => {
    const set = rows
      .filter((r) => r[field] !== null)
      .sort(
        (a, b) =>
          order[a.scope] - order[b.scope] ||
          (a.scope === 'node' ? (b.depth ?? 0) - (a.depth ?? 0) : 0) || // the nearest node
          (b[field] ?? 0) - (a[field] ?? 0), // then the largest (of the roles)
      );
    const first = set[0];
    return first ? { value: first[field], from: first.scope } : { value: null, from: null };
  };
  const max = pick('max');
  const daily = pick('daily');
  return { max: max.value, maxFrom: max.from, daily: daily.value, dailyFrom: daily.from };
}

interface CapacityRow {
  used: number;
  claimed_today: number;
  limits: LimitRow[] | null;
}

/**
 * The limit rows that apply to a rep (`user`: a parameter or a column): every scope's
 * limit, and the latest monthly adjustment while the tenant has adjustment on.
 */
export function limitsOf(tenantId: string, user: SQL, entity: PoolEntity): SQL {
  return sql`(SELECT json_agg(l) FROM (
      SELECT c.scope, c.max_records AS max, c.daily_claims AS daily, n.depth
        FROM capacity_limits c
        LEFT JOIN org_nodes n ON n.id = c.node_id
       WHERE c.tenant_id = ${tenantId} AND c.entity = ${entity}
         AND (c.scope = 'tenant'
              OR (c.scope = 'user' AND c.user_id = ${user})
              OR (c.scope = 'role' AND c.role_name IN
                    (SELECT role_name FROM user_roles WHERE user_id = ${user}))
              OR (c.scope = 'node' AND (SELECT un.path FROM users u
                                          JOIN org_nodes un ON un.id = u.node_id
                                         WHERE u.id = ${user}) LIKE n.path || '%'))
      UNION ALL
      (SELECT 'adjusted', a.max_records, NULL, NULL
         FROM capacity_adjustments a
         JOIN capacity_adjustment_settings s
           ON s.tenant_id = a.tenant_id AND s.entity = a.entity AND s.enabled
        WHERE a.tenant_id = ${tenantId} AND a.user_id = ${user} AND a.entity = ${entity}
        ORDER BY a.month DESC LIMIT 1)
    ) l)`;
}

/**
 * The columns a rep's capacity is read from (`user`: a parameter or a column): held
 * records, claims today, their limits.
 */
function capacityColumns(tenantId: string, user: SQL, entity: PoolEntity): SQL {
  return sql`
    ${heldCount(entity, tenantId, user)} AS used,
    (SELECT count(*)::int FROM handovers
      WHERE tenant_id = ${tenantId} AND to_user_id = ${user} AND action = 'claim'
        AND entity = ${entity} AND at >= ${dayStart}) AS claimed_today,
    ${limitsOf(tenantId, user, entity)} AS limits`;
}

function toCapacity(entity: PoolEntity, row: CapacityRow | undefined): CapacityStatus {
  if (!row) throw new Error('capacity query returned nothing');
  const limits = resolveLimits(row.limits ?? []);
  return {
    entity,
    used: row.used,
    max: limits.max,
    maxFrom: limits.maxFrom,
    claimedToday: row.claimed_today,
    dailyMax: limits.daily,
    dailyFrom: limits.dailyFrom,
  };
}

/** A rep's standing against their capacity and daily limit. */
export async function capacityOf(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  entity: PoolEntity,
): Promise<CapacityStatus> {
  const [row] = rowsOf<CapacityRow>(
    await db.execute(sql`SELECT ${capacityColumns(tenantId, sql`${userId}::uuid`, entity)}`),
  );
  return toCapacity(entity, row);
}

/** `capacityOf` for several reps in one statement. */
export async function capacitiesOf(
  db: DbOrTx,
  tenantId: string,
  userIds: readonly string[],
  entity: PoolEntity,
): Promise<Map<string, CapacityStatus>> {
  const rows = rowsOf<CapacityRow & { id: string }>(
    await db.execute(sql`
      SELECT u.id, ${capacityColumns(tenantId, sql`u.id`, entity)}
        FROM users u
       WHERE u.tenant_id = ${tenantId} AND u.id = ANY(${sql.param([...userIds])}::uuid[])`),
  );
  return new Map(rows.map((r) => [r.id, toCapacity(entity, r)]));
}

/** The team owning the record's region when the rep's territory does not cover it. */
export async function outOfTerritory(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  target: Pick<ClaimTarget, 'entity' | 'id'>,
): Promise<{ regionName: string; ownerNodeName: string } | null> {
  const owner = (await regionOwners(db, tenantId, target.entity, [target.id])).get(target.id);
  if (!owner) return null;
  const rep = (await repTerritories(db, tenantId, [userId])).get(userId);
  return withinTerritory(rep, owner)
    ? null
    : { regionName: owner.regionName, ownerNodeName: owner.nodeName };
}

/**
 * Claims by `toUserId` in the last `windowDays` of records whose previous handover was a
 * drop or return by `fromUserId` less than `claimHours` before (SPEC §5, anti-collusion).
 */
export function pairHandovers(
  tenantId: string,
  s: { windowDays: number; claimHours: number },
  filter: { fromUserId?: string; toUserId?: string } = {},
) {
  return sql`
    SELECT c.entity, c.entity_id, c.to_user_id, c.at AS claimed_at,
           r.from_user_id, r.at AS released_at
      FROM handovers c
      JOIN LATERAL (
        SELECT p.from_user_id, p.action, p.at FROM handovers p
         WHERE p.tenant_id = c.tenant_id AND p.entity = c.entity AND p.entity_id = c.entity_id
           AND p.at < c.at
         ORDER BY p.at DESC LIMIT 1
      ) r ON true
     WHERE c.tenant_id = ${tenantId} AND c.action = 'claim'
       AND c.at > now() - make_interval(days => ${s.windowDays})
       ${filter.toUserId ? sql`AND c.to_user_id = ${filter.toUserId}` : sql``}
       AND r.action IN ('drop', 'return') AND r.from_user_id IS NOT NULL
       AND r.from_user_id <> c.to_user_id
       ${filter.fromUserId ? sql`AND r.from_user_id = ${filter.fromUserId}` : sql``}
       AND c.at - r.at <= make_interval(hours => ${s.claimHours})`;
}

/** Set when the tenant blocks collusion and this claim would make the pair reach K. */
async function collusionBlock(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  target: ClaimTarget,
): Promise<ClaimFacts['collusion']> {
  const [last] = rowsOf<{
    from_user_id: string;
    name: string;
    min_handovers: number;
    window_days: number;
    claim_hours: number;
  }>(
    await db.execute(sql`
      SELECT h.from_user_id, u.display_name AS name, s.min_handovers, s.window_days, s.claim_hours
        FROM collusion_settings s
        JOIN LATERAL (
          SELECT from_user_id, action, at FROM handovers
           WHERE tenant_id = ${tenantId} AND entity = ${target.entity} AND entity_id = ${target.id}
           ORDER BY at DESC LIMIT 1
        ) h ON true
        JOIN users u ON u.id = h.from_user_id
       WHERE s.tenant_id = ${tenantId} AND s.block
         AND h.action IN ('drop', 'return') AND h.from_user_id <> ${userId}
         AND h.at > now() - make_interval(hours => s.claim_hours)`),
  );
  if (!last) return null;
  const settings = { windowDays: last.window_days, claimHours: last.claim_hours };
  const [count] = rowsOf<{ n: number }>(
    await db.execute(
      sql`SELECT count(*)::int AS n FROM (${pairHandovers(tenantId, settings, {
        fromUserId: last.from_user_id,
        toUserId: userId,
      })}) pairs`,
    ),
  );
  const handovers = (count?.n ?? 0) + 1;
  return handovers >= last.min_handovers
    ? { partnerName: last.name, handovers, minHandovers: last.min_handovers }
    : null;
}

/**
 * Checks a claim of `target` by `userId` (or its assignment to them) against territory,
 * protection, collusion, capacity and the daily limit, under a lock on the rep's user row:
 * concurrent claims by one rep queue here, so the counts they read stay true until the
 * claim commits. Throws a 422 with the numbers when a rule refuses.
 */
export async function checkClaim(
  tx: DbOrTx,
  tenantId: string,
  userId: string,
  target: ClaimTarget,
  kind: 'claim' | 'assign',
): Promise<void> {
  // The lock first, in a statement of its own: the facts must be read after it is
  // granted, with a snapshot that sees the claims committed while this one waited.
  await tx.execute(sql`SELECT 1 FROM users WHERE id = ${userId} FOR UPDATE`);
  await checkLockedClaim(tx, tenantId, userId, target, kind);
}

/**
 * `checkClaim` for a caller already holding the rep's row lock (`claimerLock`), taken in
 * an earlier statement of the transaction.
 */
export async function checkLockedClaim(
  tx: DbOrTx,
  tenantId: string,
  userId: string,
  target: ClaimTarget,
  kind: 'claim' | 'assign',
): Promise<void> {
  // Every fact in one round trip; territory and collusion are looked at only where the
  // tenant uses them.
  const [facts] = await executePrepared<
    CapacityRow & {
      protected_until: Date | string | null;
      territories: boolean;
      collusion_block: boolean;
    }
  >(
    tx,
    sql`
      SELECT ${capacityColumns(tenantId, sql`${userId}::uuid`, target.entity)},
             ${
               kind === 'claim' && target.poolId
                 ? sql`(SELECT h.at + make_interval(days => p.protect_days)
                          FROM handovers h, pools p
                         WHERE p.id = ${target.poolId} AND p.protect_days > 0
                           AND h.tenant_id = ${tenantId} AND h.entity = ${target.entity}
                           AND h.entity_id = ${target.id} AND h.from_user_id = ${userId}
                           AND h.action IN ('drop', 'return')
                         ORDER BY h.at DESC LIMIT 1)`
                 : sql`NULL::timestamptz`
             } AS protected_until,
             EXISTS (SELECT 1 FROM territory_bindings WHERE tenant_id = ${tenantId}) AS territories,
             EXISTS (SELECT 1 FROM collusion_settings WHERE tenant_id = ${tenantId} AND block)
               AS collusion_block`,
  );
  const capacity = toCapacity(target.entity, facts);
  const refusal = decideClaim({
    entity: target.entity,
    kind,
    now: new Date(),
    used: capacity.used,
    max: capacity.max,
    claimedToday: capacity.claimedToday,
    dailyMax: capacity.dailyMax,
    protectedUntil: facts?.protected_until ? new Date(facts.protected_until) : null,
    outOfTerritory: facts?.territories ? await outOfTerritory(tx, tenantId, userId, target) : null,
    collusion: facts?.collusion_block ? await collusionBlock(tx, tenantId, userId, target) : null,
  });
  if (refusal) throw new AppError('BUSINESS_RULE', refusal.message, refusal.details);
}
