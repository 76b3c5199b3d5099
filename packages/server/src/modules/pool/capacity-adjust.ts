import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type {
  CapacityAdjustment,
  CapacityAdjustmentQuery,
  CapacityAdjustmentSettings,
  Page,
  PoolEntity,
} from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import { rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { users } from '../org/org.table.ts';
import { limitsOf, POOL_TIME_ZONE, resolveLimits, type LimitRow } from './claim-check.ts';
import { capacityAdjustments, capacityAdjustmentSettings } from './pool.table.ts';

/**
 * 自动调整库容 (SPEC §5): at the start of each month every rep's capacity moves by a step
 * with their conversion rate of the month before, within the tenant's bounds.
 */

type Rule = Omit<CapacityAdjustmentSettings, 'entity' | 'enabled'>;

const defaults: Rule = {
  raiseAtPercent: 30,
  lowerBelowPercent: 10,
  stepPercent: 10,
  minRecords: 50,
  maxRecords: 500,
  minSample: 10,
};

/**
 * A rep's capacity after a month with `converted` of `handled` records: a step up at or
 * above the raising rate, a step down below the lowering rate, then held within the
 * bounds. Null when too few records were handled to judge.
 */
export function adjustedCapacity(
  current: number,
  handled: number,
  converted: number,
  rule: Rule,
): number | null {
  if (handled < rule.minSample) return null;
  const percent = (Math.min(converted, handled) * 100) / handled;
  const next =
    percent >= rule.raiseAtPercent
      ? Math.ceil((current * (100 + rule.stepPercent)) / 100)
      : percent < rule.lowerBelowPercent
        ? Math.floor((current * (100 - rule.stepPercent)) / 100)
        : current;
  return Math.min(rule.maxRecords, Math.max(rule.minRecords, next));
}

export async function getAdjustmentSettings(
  db: DbOrTx,
  tenantId: string,
): Promise<CapacityAdjustmentSettings[]> {
  const rows = await db
    .select()
    .from(capacityAdjustmentSettings)
    .where(eq(capacityAdjustmentSettings.tenantId, tenantId));
  return (['lead', 'customer'] as const).map((entity) => {
    const row = rows.find((r) => r.entity === entity);
    return row
      ? {
          entity,
          enabled: row.enabled,
          raiseAtPercent: row.raiseAtPercent,
          lowerBelowPercent: row.lowerBelowPercent,
          stepPercent: row.stepPercent,
          minRecords: row.minRecords,
          maxRecords: row.maxRecords,
          minSample: row.minSample,
        }
      : { entity, enabled: false, ...defaults };
  });
}

export async function putAdjustmentSettings(
  db: Db,
  caller: Caller,
  body: CapacityAdjustmentSettings,
): Promise<CapacityAdjustmentSettings> {
  await db.transaction(async (tx) => {
    const before = (await getAdjustmentSettings(tx, caller.tenantId)).find(
      (s) => s.entity === body.entity,
    );
    await tx
      .insert(capacityAdjustmentSettings)
      .values({ tenantId: caller.tenantId, ...body })
      .onConflictDoUpdate({
        target: [capacityAdjustmentSettings.tenantId, capacityAdjustmentSettings.entity],
        set: { ...body, updatedAt: sql`now()` },
      });
    await audit(tx, caller, {
      entity: 'capacity_adjustment',
      entityId: body.entity,
      action: 'update',
      before: { ...before },
      after: { ...body },
    });
  });
  const saved = (await getAdjustmentSettings(db, caller.tenantId)).find(
    (s) => s.entity === body.entity,
  );
  if (!saved) throw new Error('capacity adjustment settings not saved');
  return saved;
}

/** The month before the current one in the pool time zone, `YYYY-MM`. */
export function previousMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: POOL_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  return month === 1
    ? `${String(year - 1)}-12`
    : `${String(year)}-${String(month - 1).padStart(2, '0')}`;
}

/** Records a rep took on in the month, and how many of them they converted (or won). */
function monthRates(tenantId: string, entity: PoolEntity, from: SQL, to: SQL) {
  return entity === 'lead'
    ? sql`
      (SELECT count(*)::int FROM handovers h
        WHERE h.tenant_id = ${tenantId} AND h.entity = 'lead' AND h.to_user_id = u.id
          AND h.action IN ('create', 'claim', 'assign', 'transfer')
          AND h.at >= ${from} AND h.at < ${to}) AS handled,
      (SELECT count(*)::int FROM leads l
        WHERE l.tenant_id = ${tenantId} AND l.owner_id = u.id AND l.deleted_at IS NULL
          AND l.converted_at >= ${from} AND l.converted_at < ${to}) AS converted`
    : sql`
      (SELECT count(*)::int FROM opportunities o
        WHERE o.tenant_id = ${tenantId} AND o.owner_id = u.id AND o.deleted_at IS NULL
          AND o.status IN ('won', 'lost')
          AND o.closed_at >= ${from} AND o.closed_at < ${to}) AS handled,
      (SELECT count(*)::int FROM opportunities o
        WHERE o.tenant_id = ${tenantId} AND o.owner_id = u.id AND o.deleted_at IS NULL
          AND o.status = 'won'
          AND o.closed_at >= ${from} AND o.closed_at < ${to}) AS converted`;
}

/**
 * Adjusts the capacity of every active rep of the tenant for the month measured, for each
 * record type with adjustment on. A rep with a personal limit keeps it, and a rep with
 * no limit at all has nothing to adjust. Each rep, type and month is adjusted once, so
 * re-running a month (or two instances running it) changes nothing; a rep whose capacity
 * changed is told in the message center. Returns how many reps were measured.
 */
export async function adjustCapacities(db: Db, tenantId: string, month: string): Promise<number> {
  const firstDay = `${month}-01`;
  const from = sql`(${firstDay}::timestamp AT TIME ZONE ${POOL_TIME_ZONE})`;
  const to = sql`((${firstDay}::timestamp + interval '1 month') AT TIME ZONE ${POOL_TIME_ZONE})`;
  let measured = 0;
  for (const settings of await getAdjustmentSettings(db, tenantId)) {
    if (!settings.enabled) continue;
    const { entity } = settings;
    const reps = rowsOf<{
      id: string;
      handled: number;
      converted: number;
      limits: LimitRow[] | null;
    }>(
      await db.execute(sql`
        SELECT u.id, ${monthRates(tenantId, entity, from, to)},
               ${limitsOf(tenantId, sql`u.id`, entity)} AS limits
          FROM users u
         WHERE u.tenant_id = ${tenantId} AND u.active
           AND NOT EXISTS (SELECT 1 FROM capacity_adjustments a
                            WHERE a.tenant_id = u.tenant_id AND a.user_id = u.id
                              AND a.entity = ${entity} AND a.month >= ${firstDay}::date)`),
    );
    const rows: {
      userId: string;
      handled: number;
      converted: number;
      before: number;
      after: number;
    }[] = [];
    for (const rep of reps) {
      const limits = resolveLimits(rep.limits ?? []);
      if (limits.max === null || limits.maxFrom === 'user') continue;
      const after = adjustedCapacity(limits.max, rep.handled, rep.converted, settings);
      if (after === null) continue;
      rows.push({
        userId: rep.id,
        handled: rep.handled,
        converted: rep.converted,
        before: limits.max,
        after,
      });
    }
    if (rows.length === 0) continue;
    const [written] = rowsOf<{ n: number }>(
      await db.execute(sql`
        WITH measured AS (
          SELECT * FROM unnest(${sql.param(rows.map((r) => r.userId))}::uuid[],
                               ${sql.param(rows.map((r) => r.handled))}::int[],
                               ${sql.param(rows.map((r) => r.converted))}::int[],
                               ${sql.param(rows.map((r) => r.before))}::int[],
                               ${sql.param(rows.map((r) => r.after))}::int[])
                   AS m (user_id, handled, converted, before_max, max_records)
        ),
        adjusted AS (
          INSERT INTO capacity_adjustments (tenant_id, user_id, entity, month, handled, converted,
                                            rate, before_max, max_records)
          SELECT ${tenantId}::uuid, user_id, ${entity}::text, ${firstDay}::date, handled, converted,
                 least(converted, handled)::float8 / handled, before_max, max_records
            FROM measured
          ON CONFLICT (tenant_id, user_id, entity, month) DO NOTHING
          RETURNING user_id, rate, before_max, max_records
        ),
        told AS (
          INSERT INTO notifications (tenant_id, user_id, kind, data)
          SELECT ${tenantId}::uuid, user_id, 'capacity_adjusted',
                 jsonb_build_object('entity', ${entity}::text, 'month', ${month}::text,
                                    'rate', rate, 'before', before_max, 'after', max_records)
            FROM adjusted
           WHERE before_max <> max_records
        )
        SELECT count(*)::int AS n FROM adjusted`),
    );
    measured += written?.n ?? 0;
  }
  return measured;
}

/** Adjusts every tenant with adjustment on, for the month before the current one. */
export async function adjustAllTenants(db: Db, month = previousMonth()): Promise<number> {
  const tenants = await db
    .selectDistinct({ id: capacityAdjustmentSettings.tenantId })
    .from(capacityAdjustmentSettings)
    .where(eq(capacityAdjustmentSettings.enabled, true));
  let n = 0;
  for (const t of tenants) n += await adjustCapacities(db, t.id, month);
  return n;
}

/**
 * The adjustment history, newest month first: admins see everyone's, managers their
 * subtree's reps, a rep their own.
 */
export async function listAdjustments(
  db: Db,
  caller: Caller,
  q: CapacityAdjustmentQuery & { page: number; pageSize: number },
): Promise<Page<CapacityAdjustment>> {
  const reach = (await buildScope(db, caller)).reach.lead;
  const where = and(
    eq(capacityAdjustments.tenantId, caller.tenantId),
    q.entity ? eq(capacityAdjustments.entity, q.entity) : undefined,
    q.month ? eq(capacityAdjustments.month, `${q.month}-01`) : undefined,
    reach === 'tenant'
      ? undefined
      : reach === 'subtree'
        ? sql`${users.nodeId} IN (SELECT id FROM org_nodes WHERE tenant_id = ${caller.tenantId}
                                    AND path LIKE ${caller.nodePath} || '%')`
        : eq(capacityAdjustments.userId, caller.userId),
  );
  const [rows, [count]] = await Promise.all([
    db
      .select({ a: capacityAdjustments, userName: users.displayName })
      .from(capacityAdjustments)
      .innerJoin(users, eq(users.id, capacityAdjustments.userId))
      .where(where)
      .orderBy(desc(capacityAdjustments.month), users.displayName, capacityAdjustments.entity)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(capacityAdjustments)
      .innerJoin(users, eq(users.id, capacityAdjustments.userId))
      .where(where),
  ]);
  return {
    items: rows.map(({ a, userName }) => ({
      id: a.id,
      userId: a.userId,
      userName,
      entity: a.entity,
      month: a.month.slice(0, 7),
      handled: a.handled,
      converted: a.converted,
      rate: a.rate,
      before: a.beforeMax,
      after: a.maxRecords,
      at: a.at.toISOString(),
    })),
    total: count?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}
