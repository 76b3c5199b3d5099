import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  CapacityLimit,
  CapacityLimitBody,
  CollusionPair,
  CollusionSettings,
  CreatePoolBody,
  Pool,
  PoolEntity,
  PoolRule,
  PoolRuleBody,
  RecordPoolState,
  UpdatePoolBody,
  UserCapacity,
} from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import { type Db, type DbOrTx, type Tx, rowsOf } from '../../platform/db.ts';
import { AppError, conflict, invalid, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { orgNodes, users } from '../org/org.table.ts';
import { capacityOf, pairHandovers } from './claim-check.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { customers } from '../customers/customers.table.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';
import { leads } from '../leads/leads.table.ts';
import { dropAt, homePools } from './sweep.ts';
import { capacityLimits, collusionSettings, poolRules, pools } from './pool.table.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

function toRule(r: typeof poolRules.$inferSelect): PoolRule {
  return {
    id: r.id,
    entity: r.entity,
    kind: r.kind,
    days: r.days,
    warnDays: r.warnDays,
    enabled: r.enabled,
  };
}

/** Every pool of the tenant with its rules and the unowned records in it. */
export async function listPools(db: DbOrTx, tenantId: string): Promise<Pool[]> {
  const rows = await db
    .select({
      pool: pools,
      nodeName: orgNodes.name,
      leadCount: sql<number>`(SELECT count(*)::int FROM leads l WHERE l.pool_id = ${pools.id}
                            AND l.owner_id IS NULL AND l.status = 'unassigned' AND l.deleted_at IS NULL)`,
      customerCount: sql<number>`(SELECT count(*)::int FROM customers c WHERE c.pool_id = ${pools.id}
                                AND c.owner_id IS NULL AND c.deleted_at IS NULL)`,
    })
    .from(pools)
    .innerJoin(orgNodes, eq(orgNodes.id, pools.nodeId))
    .where(eq(pools.tenantId, tenantId))
    .orderBy(sql`${pools.isDefault} DESC`, asc(pools.name));
  const rules = await db
    .select()
    .from(poolRules)
    .where(eq(poolRules.tenantId, tenantId))
    .orderBy(asc(poolRules.entity), asc(poolRules.kind));
  return rows.map(({ pool: p, nodeName, leadCount, customerCount }) => ({
    id: p.id,
    name: p.name,
    nodeId: p.nodeId,
    nodeName,
    isDefault: p.isDefault,
    protectDays: p.protectDays,
    exemptWonDays: p.exemptWonDays,
    requireVerification: p.requireVerification,
    rules: rules.filter((r) => r.poolId === p.id).map(toRule),
    counts: { lead: leadCount, customer: customerCount },
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  }));
}

export async function getPool(db: DbOrTx, tenantId: string, id: string): Promise<Pool> {
  const found = (await listPools(db, tenantId)).find((p) => p.id === id);
  if (!found) throw notFound('Pool');
  return found;
}

async function checkNode(tx: Tx, tenantId: string, nodeId: string): Promise<void> {
  const [node] = await tx
    .select({ id: orgNodes.id })
    .from(orgNodes)
    .where(and(eq(orgNodes.tenantId, tenantId), eq(orgNodes.id, nodeId)));
  if (!node) throw invalid('The org node does not exist', { path: 'nodeId' });
}

async function replaceRules(tx: Tx, tenantId: string, poolId: string, rules: PoolRuleBody[]) {
  const seen = new Set<string>();
  for (const r of rules) {
    const key = `${r.entity}:${r.kind}`;
    if (seen.has(key))
      throw invalid(`The rule ${r.kind} for ${r.entity}s is given twice`, { path: 'rules' });
    seen.add(key);
  }
  await tx.delete(poolRules).where(eq(poolRules.poolId, poolId));
  if (rules.length)
    await tx.insert(poolRules).values(
      rules.map((r) => ({
        tenantId,
        poolId,
        entity: r.entity,
        kind: r.kind,
        days: r.days,
        warnDays: r.warnDays ?? 0,
        enabled: r.enabled ?? true,
      })),
    );
}

const snapshotOf = (p: Pool) => ({
  name: p.name,
  nodeId: p.nodeId,
  protectDays: p.protectDays,
  exemptWonDays: p.exemptWonDays,
  requireVerification: p.requireVerification,
  rules: p.rules.map(
    (r) =>
      `${r.entity}:${r.kind}:${String(r.days)}/${String(r.warnDays)}${r.enabled ? '' : ' off'}`,
  ),
});

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err, 'pools_name'))
    throw conflict('A pool with this name exists already', { path: 'name' });
  throw err;
}

export async function createPool(db: Db, caller: Caller, body: CreatePoolBody): Promise<Pool> {
  const id = await db
    .transaction(async (tx) => {
      await checkNode(tx, caller.tenantId, body.nodeId);
      const [row] = await tx
        .insert(pools)
        .values({
          tenantId: caller.tenantId,
          name: body.name,
          nodeId: body.nodeId,
          protectDays: body.protectDays ?? 0,
          exemptWonDays: body.exemptWonDays ?? null,
          requireVerification: body.requireVerification ?? false,
        })
        .returning({ id: pools.id });
      if (!row) throw new Error('insert returned nothing');
      await replaceRules(tx, caller.tenantId, row.id, body.rules ?? []);
      const after = await getPool(tx, caller.tenantId, row.id);
      await audit(tx, caller, {
        entity: 'pool',
        entityId: row.id,
        action: 'create',
        after: snapshotOf(after),
      });
      return row.id;
    })
    .catch(nameTaken);
  return getPool(db, caller.tenantId, id);
}

export async function updatePool(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdatePoolBody,
): Promise<Pool> {
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM pools WHERE id = ${id} FOR UPDATE`);
      const before = await getPool(tx, caller.tenantId, id);
      if (body.nodeId !== undefined) {
        if (before.isDefault && body.nodeId !== before.nodeId)
          throw new AppError(
            'BUSINESS_RULE',
            'The default pool stays at the root of the org tree',
            {
              path: 'nodeId',
            },
          );
        await checkNode(tx, caller.tenantId, body.nodeId);
      }
      const { rules, ...fields } = body;
      if (Object.keys(fields).length)
        await tx
          .update(pools)
          .set({ ...fields, updatedAt: sql`now()` })
          .where(eq(pools.id, id));
      if (rules) await replaceRules(tx, caller.tenantId, id, rules);
      const after = await getPool(tx, caller.tenantId, id);
      await audit(tx, caller, {
        entity: 'pool',
        entityId: id,
        action: 'update',
        before: snapshotOf(before),
        after: snapshotOf(after),
      });
    })
    .catch(nameTaken);
  return getPool(db, caller.tenantId, id);
}

export async function deletePool(db: Db, caller: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const p = await getPool(tx, caller.tenantId, id);
    if (p.isDefault) throw new AppError('BUSINESS_RULE', 'The default pool cannot be deleted');
    const [used] = rowsOf<{ n: number }>(
      await tx.execute(sql`
        SELECT ((SELECT count(*) FROM leads WHERE pool_id = ${id})
              + (SELECT count(*) FROM customers WHERE pool_id = ${id})
              + (SELECT count(*) FROM handovers WHERE pool_id = ${id}))::int AS n`),
    );
    const records = used?.n ?? 0;
    if (records > 0)
      throw new AppError(
        'BUSINESS_RULE',
        'The pool holds or held records; move them first or keep the pool',
        { records },
      );
    await tx.delete(poolRules).where(eq(poolRules.poolId, id));
    await tx.delete(pools).where(eq(pools.id, id));
    await audit(tx, caller, {
      entity: 'pool',
      entityId: id,
      action: 'delete',
      before: snapshotOf(p),
    });
  });
}

/* ---------- Capacity limits ---------- */

export async function listCapacityLimits(db: DbOrTx, tenantId: string): Promise<CapacityLimit[]> {
  const rows = await db
    .select({
      limit: capacityLimits,
      nodeName: orgNodes.name,
      userName: users.displayName,
    })
    .from(capacityLimits)
    .leftJoin(orgNodes, eq(orgNodes.id, capacityLimits.nodeId))
    .leftJoin(users, eq(users.id, capacityLimits.userId))
    .where(eq(capacityLimits.tenantId, tenantId))
    .orderBy(asc(capacityLimits.entity), asc(capacityLimits.scope), asc(capacityLimits.createdAt));
  return rows.map(({ limit: l, nodeName, userName }) => ({
    id: l.id,
    scope: l.scope,
    roleName: l.roleName,
    nodeId: l.nodeId,
    userId: l.userId,
    targetName: l.scope === 'node' ? nodeName : l.scope === 'user' ? userName : l.roleName,
    entity: l.entity,
    maxRecords: l.maxRecords,
    dailyClaims: l.dailyClaims,
  }));
}

async function capacityLimit(db: DbOrTx, tenantId: string, id: string): Promise<CapacityLimit> {
  const found = (await listCapacityLimits(db, tenantId)).find((l) => l.id === id);
  if (!found) throw notFound('Capacity limit');
  return found;
}

export async function createCapacityLimit(
  db: Db,
  caller: Caller,
  body: CapacityLimitBody,
): Promise<CapacityLimit> {
  const id = await db
    .transaction(async (tx) => {
      if (body.nodeId) await checkNode(tx, caller.tenantId, body.nodeId);
      if (body.userId) {
        const [u] = await tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.tenantId, caller.tenantId), eq(users.id, body.userId)));
        if (!u) throw invalid('The user does not exist', { path: 'userId' });
      }
      if (body.roleName) {
        const [r] = rowsOf<{ name: string }>(
          await tx.execute(
            sql`SELECT name FROM roles WHERE tenant_id = ${caller.tenantId} AND name = ${body.roleName}`,
          ),
        );
        if (!r) throw invalid('The role does not exist', { path: 'roleName' });
      }
      const [row] = await tx
        .insert(capacityLimits)
        .values({
          tenantId: caller.tenantId,
          scope: body.scope,
          roleName: body.roleName ?? null,
          nodeId: body.nodeId ?? null,
          userId: body.userId ?? null,
          entity: body.entity,
          maxRecords: body.maxRecords,
          dailyClaims: body.dailyClaims,
        })
        .returning({ id: capacityLimits.id });
      if (!row) throw new Error('insert returned nothing');
      await audit(tx, caller, {
        entity: 'capacity_limit',
        entityId: row.id,
        action: 'create',
        after: { ...body },
      });
      return row.id;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err, 'capacity_limits_target'))
        throw conflict('This target has a limit already; change that one', { path: 'scope' });
      throw err;
    });
  return capacityLimit(db, caller.tenantId, id);
}

export async function updateCapacityLimit(
  db: Db,
  caller: Caller,
  id: string,
  body: { maxRecords?: number | null | undefined; dailyClaims?: number | null | undefined },
): Promise<CapacityLimit> {
  await db.transaction(async (tx) => {
    const before = await capacityLimit(tx, caller.tenantId, id);
    const set = {
      ...(body.maxRecords !== undefined ? { maxRecords: body.maxRecords } : {}),
      ...(body.dailyClaims !== undefined ? { dailyClaims: body.dailyClaims } : {}),
    };
    await tx
      .update(capacityLimits)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(capacityLimits.id, id));
    // Lowering a limit drops nothing: claims are refused until the rep is under it.
    await audit(tx, caller, {
      entity: 'capacity_limit',
      entityId: id,
      action: 'update',
      before: { maxRecords: before.maxRecords, dailyClaims: before.dailyClaims },
      after: {
        maxRecords: set.maxRecords ?? before.maxRecords,
        dailyClaims: set.dailyClaims ?? before.dailyClaims,
      },
    });
  });
  return capacityLimit(db, caller.tenantId, id);
}

export async function deleteCapacityLimit(db: Db, caller: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await capacityLimit(tx, caller.tenantId, id);
    await tx.delete(capacityLimits).where(eq(capacityLimits.id, id));
    await audit(tx, caller, {
      entity: 'capacity_limit',
      entityId: id,
      action: 'delete',
      before: { ...before },
    });
  });
}

/** A rep's capacity meter; managers may read their subtree's people, admins anyone's. */
export async function userCapacity(db: Db, caller: Caller, userId: string): Promise<UserCapacity> {
  if (userId !== caller.userId) {
    const scope = await buildScope(db, caller);
    const [u] = await db
      .select({ path: orgNodes.path })
      .from(users)
      .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
      .where(and(eq(users.tenantId, caller.tenantId), eq(users.id, userId)));
    const reach = scope.reach.lead;
    if (
      !u ||
      reach === 'none' ||
      reach === 'own' ||
      (reach === 'subtree' && !u.path.startsWith(scope.nodePath))
    )
      throw notFound('User');
  }
  return {
    userId,
    lead: await capacityOf(db, caller.tenantId, userId, 'lead'),
    customer: await capacityOf(db, caller.tenantId, userId, 'customer'),
  };
}

/* ---------- Per-record pool state ---------- */

/**
 * For each record the caller can see: when a rule will drop it (private records), or until
 * when the caller may not claim it back (public records they released).
 */
export async function poolState(
  db: Db,
  caller: Caller,
  entity: PoolEntity,
  ids: readonly string[],
): Promise<RecordPoolState[]> {
  const table = sql.raw(entity === 'lead' ? 'leads' : 'customers');
  const owned =
    entity === 'lead' ? sql`r.status IN ('pending', 'following', 'invalid')` : sql`true`;
  const rows = rowsOf<{
    id: string;
    drop_at: Date | string | null;
    rule_id: string | null;
    protected_until: Date | string | null;
  }>(
    await db.execute(sql`
      WITH homes AS (${homePools(caller.tenantId)})
      SELECT r.id, due.drop_at, due.rule_id, prot.until AS protected_until
        FROM ${table} r
        LEFT JOIN homes h ON h.user_id = r.owner_id
        LEFT JOIN LATERAL (
          SELECT d.drop_at, d.rule_id FROM (
            SELECT pr.id AS rule_id, ${dropAt(entity, null)} AS drop_at
              FROM pool_rules pr JOIN pools p ON p.id = pr.pool_id
             WHERE pr.pool_id = h.pool_id AND pr.entity = ${entity} AND pr.enabled
          ) d WHERE d.drop_at IS NOT NULL ORDER BY d.drop_at LIMIT 1
        ) due ON r.owner_id IS NOT NULL AND ${owned}
        LEFT JOIN LATERAL (
          SELECT ho.at + make_interval(days => p.protect_days) AS until
            FROM handovers ho JOIN pools p ON p.id = r.pool_id
           WHERE r.owner_id IS NULL AND p.protect_days > 0 AND ho.tenant_id = r.tenant_id
             AND ho.entity = ${entity} AND ho.entity_id = r.id AND ho.from_user_id = ${caller.userId}
             AND ho.action IN ('drop', 'return')
           ORDER BY ho.at DESC LIMIT 1
        ) prot ON true
       WHERE r.tenant_id = ${caller.tenantId} AND r.id = ANY(${sql.param([...ids])}::uuid[])
         AND r.deleted_at IS NULL`),
  );
  const visible = await visibleIds(
    db,
    caller,
    entity,
    rows.map((r) => r.id),
  );
  const rules = await db.select().from(poolRules).where(eq(poolRules.tenantId, caller.tenantId));
  const now = Date.now();
  return rows
    .filter((r) => visible.has(r.id))
    .map((r) => {
      const rule = rules.find((x) => x.id === r.rule_id);
      const until = r.protected_until ? new Date(r.protected_until) : null;
      return {
        id: r.id,
        dropAt: r.drop_at ? iso(r.drop_at) : null,
        dropRule: rule ? toRule(rule) : null,
        protectedUntil: until && until.getTime() > now ? until.toISOString() : null,
      };
    });
}

async function visibleIds(
  db: Db,
  caller: Caller,
  entity: PoolEntity,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const scope = await buildScope(db, caller);
  const rows =
    entity === 'lead'
      ? await db
          .select({ id: leads.id })
          .from(leads)
          .where(and(sql`${leads.id} = ANY(${sql.param([...ids])}::uuid[])`, leadsVisibleTo(scope)))
      : await db
          .select({ id: customers.id })
          .from(customers)
          .where(
            and(
              sql`${customers.id} = ANY(${sql.param([...ids])}::uuid[])`,
              customersVisibleTo(scope),
            ),
          );
  return new Set(rows.map((r) => r.id));
}

/* ---------- Anti-collusion ---------- */

const defaultCollusion: CollusionSettings = {
  minHandovers: 3,
  windowDays: 30,
  claimHours: 24,
  block: false,
};

export async function getCollusionSettings(
  db: DbOrTx,
  tenantId: string,
): Promise<CollusionSettings> {
  const [row] = await db
    .select()
    .from(collusionSettings)
    .where(eq(collusionSettings.tenantId, tenantId));
  return row
    ? {
        minHandovers: row.minHandovers,
        windowDays: row.windowDays,
        claimHours: row.claimHours,
        block: row.block,
      }
    : defaultCollusion;
}

export async function putCollusionSettings(
  db: Db,
  caller: Caller,
  body: CollusionSettings,
): Promise<CollusionSettings> {
  await db.transaction(async (tx) => {
    const before = await getCollusionSettings(tx, caller.tenantId);
    await tx
      .insert(collusionSettings)
      .values({ tenantId: caller.tenantId, ...body })
      .onConflictDoUpdate({
        target: collusionSettings.tenantId,
        set: { ...body, updatedAt: sql`now()` },
      });
    await audit(tx, caller, {
      entity: 'collusion_settings',
      entityId: caller.tenantId,
      action: 'update',
      before: { ...before },
      after: { ...body },
    });
  });
  return getCollusionSettings(db, caller.tenantId);
}

/**
 * Pairs of reps where one repeatedly claimed what the other had just dropped or returned,
 * from the handover history; a manager sees pairs whose claimer is in their subtree.
 */
export async function collusionReport(db: Db, caller: Caller): Promise<CollusionPair[]> {
  const s = await getCollusionSettings(db, caller.tenantId);
  const scope = await buildScope(db, caller);
  const subtree = scope.reach.lead === 'tenant' ? '/' : scope.nodePath;
  const rows = rowsOf<{
    from_user_id: string;
    from_name: string;
    to_user_id: string;
    to_name: string;
    handovers: number;
    last_at: Date | string;
    records: {
      entity: PoolEntity;
      id: string;
      name: string | null;
      releasedAt: string;
      claimedAt: string;
    }[];
  }>(
    await db.execute(sql`
      WITH pairs AS (${pairHandovers(caller.tenantId, s)})
      SELECT p.from_user_id, fu.display_name AS from_name, p.to_user_id, tu.display_name AS to_name,
             count(*)::int AS handovers, max(p.claimed_at) AS last_at,
             (array_agg(json_build_object(
                'entity', p.entity, 'id', p.entity_id,
                'name', coalesce((SELECT company FROM leads WHERE id = p.entity_id),
                                 (SELECT name FROM customers WHERE id = p.entity_id)),
                'releasedAt', p.released_at, 'claimedAt', p.claimed_at)
               ORDER BY p.claimed_at DESC))[1:20] AS records
        FROM pairs p
        JOIN users fu ON fu.id = p.from_user_id
        JOIN users tu ON tu.id = p.to_user_id
        JOIN org_nodes tn ON tn.id = tu.node_id
       WHERE tn.path LIKE ${subtree} || '%'
       GROUP BY p.from_user_id, fu.display_name, p.to_user_id, tu.display_name
      HAVING count(*) >= ${s.minHandovers}
       ORDER BY count(*) DESC, max(p.claimed_at) DESC`),
  );
  return rows.map((r) => ({
    fromUserId: r.from_user_id,
    fromUserName: r.from_name,
    toUserId: r.to_user_id,
    toUserName: r.to_name,
    handovers: r.handovers,
    lastAt: iso(r.last_at),
    records: r.records.map((x) => ({
      ...x,
      releasedAt: iso(x.releasedAt),
      claimedAt: iso(x.claimedAt),
    })),
  }));
}
