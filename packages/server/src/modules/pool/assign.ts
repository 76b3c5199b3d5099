import { sql } from 'drizzle-orm';
import type {
  AssignmentStrategy,
  DistributeBody,
  DistributeResult,
  PoolEntity,
} from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import { type Db, type Tx, rowsOf } from '../../platform/db.ts';
import { forbidden, invalid } from '../../platform/errors.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';
import { capacitiesOf } from './claim-check.ts';
import { planAssignment, type PlanRep } from './plan.ts';
import { regionOwners, repTerritories, withinTerritory } from './territory.ts';

/** A record open for distribution, with what profile matching reads of it. */
interface Candidate {
  id: string;
  features: Record<string, string | null>;
}

/** The reps who may receive: named, or the claimers of a node's subtree; active, in scope. */
async function resolveReps(
  tx: Tx,
  tenantId: string,
  scope: DataScope | null,
  entity: PoolEntity,
  target: { userIds?: readonly string[] | undefined; nodeId?: string | null | undefined },
): Promise<string[]> {
  const permission = entity === 'lead' ? 'lead.claim' : 'customer.claim';
  const named = target.userIds ?? [];
  const rows = rowsOf<{ id: string; path: string; may_claim: boolean }>(
    await tx.execute(sql`
      SELECT u.id, n.path,
             EXISTS (SELECT 1 FROM user_roles ur JOIN roles r
                       ON r.tenant_id = ur.tenant_id AND r.name = ur.role_name
                      WHERE ur.user_id = u.id AND ${permission} = ANY(r.permissions)) AS may_claim
        FROM users u JOIN org_nodes n ON n.id = u.node_id
       WHERE u.tenant_id = ${tenantId} AND u.active
         AND ${
           named.length
             ? sql`u.id = ANY(${sql.param([...named])}::uuid[])`
             : sql`n.path LIKE (SELECT path FROM org_nodes WHERE id = ${target.nodeId ?? null}::uuid
                                  AND tenant_id = ${tenantId}) || '%'`
         }
       ORDER BY u.id`),
  );
  if (named.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = named.filter((id) => !found.has(id));
    if (missing.length)
      throw invalid('Some of the reps are not active users of this tenant', {
        path: 'userIds',
        missing,
      });
  }
  if (scope && scope.reach[entity] !== 'tenant') {
    const outside = rows.filter((r) => !r.path.startsWith(scope.nodePath));
    if (outside.length) throw forbidden('You may share records only among people in your subtree');
  }
  return rows.filter((r) => r.may_claim || named.length > 0).map((r) => r.id);
}

/** Unowned records of the list the caller can see, open for distribution. */
async function candidates(
  tx: Tx,
  tenantId: string,
  scope: DataScope | null,
  entity: PoolEntity,
  ids: readonly string[],
): Promise<Candidate[]> {
  const list = sql.param([...new Set(ids)]);
  if (entity === 'lead') {
    const rows = rowsOf<{ id: string; source: string | null; region: string | null }>(
      await tx.execute(sql`
        SELECT id, source, province_code AS region
          FROM unnest(${list}::uuid[]) WITH ORDINALITY AS given (gid, ord)
          JOIN leads ON id = given.gid
         WHERE tenant_id = ${tenantId}
           AND owner_id IS NULL AND status = 'unassigned' AND deleted_at IS NULL
           AND (verification IS NULL OR verification = 'verified')
           ${scope ? sql`AND ${leadsVisibleTo(scope)}` : sql``}
         ORDER BY given.ord`),
    );
    return rows.map((r) => ({ id: r.id, features: { source: r.source, region: r.region } }));
  }
  const rows = rowsOf<{
    id: string;
    industry: string | null;
    size: string | null;
    kind: string;
    region: string | null;
  }>(
    await tx.execute(sql`
      SELECT id, industry, size, kind, province_code AS region
        FROM unnest(${list}::uuid[]) WITH ORDINALITY AS given (gid, ord)
        JOIN customers ON id = given.gid
       WHERE tenant_id = ${tenantId}
         AND owner_id IS NULL AND deleted_at IS NULL
         ${scope ? sql`AND ${customersVisibleTo(scope)}` : sql``}
       ORDER BY given.ord`),
  );
  return rows.map((r) => ({
    id: r.id,
    features: { industry: r.industry, size: r.size, kind: r.kind, region: r.region },
  }));
}

/** Prior weight of the smoothing: a rate from a handful of records counts little. */
const PRIOR = 5;

/**
 * The capability model (SPEC §5): each rep's conversion rate (leads, by source and region)
 * or win rate (customers' opportunities, by industry, size, customer type and region),
 * smoothed towards the rep's overall rate, itself smoothed towards the tenant's.
 */
async function profileScores(
  tx: Tx,
  tenantId: string,
  entity: PoolEntity,
  reps: readonly string[],
): Promise<(c: Candidate) => (repId: string) => number> {
  const repList = sql.param([...reps]);
  const rows = rowsOf<{ rep: string; f: string; v: string; n: number; wins: number }>(
    await tx.execute(
      entity === 'lead'
        ? sql`
          SELECT l.owner_id AS rep, fv.f, fv.v, count(*)::int AS n,
                 count(*) FILTER (WHERE l.status = 'converted')::int AS wins
            FROM leads l
            CROSS JOIN LATERAL (VALUES ('*', '*'), ('source', l.source), ('region', l.province_code)) fv (f, v)
           WHERE l.tenant_id = ${tenantId} AND l.owner_id = ANY(${repList}::uuid[])
             AND l.status IN ('following', 'invalid', 'converted') AND l.deleted_at IS NULL
             AND fv.v IS NOT NULL
           GROUP BY 1, 2, 3`
        : sql`
          SELECT o.owner_id AS rep, fv.f, fv.v, count(*)::int AS n,
                 count(*) FILTER (WHERE o.status = 'won')::int AS wins
            FROM opportunities o JOIN customers c ON c.id = o.customer_id
            CROSS JOIN LATERAL (VALUES ('*', '*'), ('industry', c.industry), ('size', c.size),
                                       ('kind', c.kind), ('region', c.province_code)) fv (f, v)
           WHERE o.tenant_id = ${tenantId} AND o.owner_id = ANY(${repList}::uuid[])
             AND o.status IN ('won', 'lost') AND o.deleted_at IS NULL AND fv.v IS NOT NULL
           GROUP BY 1, 2, 3`,
    ),
  );
  let tenantN = 0;
  let tenantWins = 0;
  for (const r of rows) {
    if (r.f !== '*') continue;
    tenantN += r.n;
    tenantWins += r.wins;
  }
  const tenantRate = (tenantWins + 1) / (tenantN + 2);
  // Each rep's overall rate, then for every feature value the rate of each rep with a
  // history there: a candidate looks its few features up once, then each rep is a map
  // lookup per feature (a rep without history there scores their overall rate).
  const overall = new Map<string, number>(reps.map((rep) => [rep, tenantRate]));
  for (const r of rows)
    if (r.f === '*') overall.set(r.rep, (r.wins + PRIOR * tenantRate) / (r.n + PRIOR));
  const byFeature = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.f === '*') continue;
    const key = `${r.f}|${r.v}`;
    let rates = byFeature.get(key);
    if (!rates) byFeature.set(key, (rates = new Map<string, number>()));
    const base = overall.get(r.rep) ?? tenantRate;
    rates.set(r.rep, (r.wins + PRIOR * base) / (r.n + PRIOR));
  }
  return (c) => {
    const features: (Map<string, number> | undefined)[] = [];
    for (const [f, v] of Object.entries(c.features))
      if (v !== null) features.push(byFeature.get(`${f}|${v}`));
    return (repId) => {
      const base = overall.get(repId) ?? tenantRate;
      if (features.length === 0) return base;
      let sum = 0;
      for (const rates of features) sum += rates?.get(repId) ?? base;
      return sum / features.length;
    };
  };
}

/** Writes a plan: one set-based statement with its handover and audit rows. */
async function writePlan(
  tx: Tx,
  actor: Actor,
  entity: PoolEntity,
  strategy: AssignmentStrategy,
  plan: Map<string, string>,
): Promise<Map<string, string>> {
  if (plan.size === 0) return new Map();
  const ids = [...plan.keys()];
  const owners = ids.map((id) => plan.get(id) ?? '');
  const reason = `strategy:${strategy}`;
  const statusChange =
    entity === 'lead'
      ? sql`, 'status', jsonb_build_object('before', 'unassigned', 'after', 'pending')`
      : sql``;
  const update =
    entity === 'lead'
      ? sql`UPDATE leads r SET owner_id = p.owner_id, status = 'pending', claimed_at = now(), updated_at = now()
              FROM plan p
             WHERE r.id = p.id AND r.tenant_id = ${actor.tenantId}::uuid AND r.owner_id IS NULL
               AND r.status = 'unassigned' AND r.deleted_at IS NULL
            RETURNING r.id, r.owner_id, r.pool_id`
      : sql`UPDATE customers r SET owner_id = p.owner_id, claimed_at = now(), updated_at = now()
              FROM plan p
             WHERE r.id = p.id AND r.tenant_id = ${actor.tenantId}::uuid AND r.owner_id IS NULL
               AND r.deleted_at IS NULL
            RETURNING r.id, r.owner_id, r.pool_id`;
  const adopt =
    entity === 'customer'
      ? sql`, adopted AS (
          UPDATE opportunities o SET owner_id = d.owner_id, updated_at = now()
            FROM done d
           WHERE o.customer_id = d.id AND o.status = 'open' AND o.owner_id IS NULL
             AND o.deleted_at IS NULL
        )`
      : sql``;
  const rows = rowsOf<{ id: string; owner_id: string }>(
    await tx.execute(sql`
      WITH plan AS (
        SELECT * FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(owners)}::uuid[]) AS p (id, owner_id)
      ),
      done AS (${update}),
      handed AS (
        INSERT INTO handovers (tenant_id, entity, entity_id, action, from_user_id, to_user_id,
                               pool_id, reason, actor_id)
        SELECT ${actor.tenantId}::uuid, ${entity}::text, id, 'assign', NULL, owner_id, pool_id,
               ${reason}::text, ${actor.userId}::uuid
          FROM done
      ),
      audited AS (
        INSERT INTO audit_log (tenant_id, actor_id, entity, entity_id, action, changes, request_id)
        SELECT ${actor.tenantId}::uuid, ${actor.userId}::uuid, ${entity}::text, id::text, 'assign',
               jsonb_build_object('ownerId', jsonb_build_object('before', NULL, 'after', owner_id),
                                  'strategy', jsonb_build_object('before', NULL, 'after', ${strategy}::text)
                                  ${statusChange}),
               ${actor.requestId}::text
          FROM done
      )
      ${adopt}
      SELECT id, owner_id FROM done`),
  );
  return new Map(rows.map((r) => [r.id, r.owner_id]));
}

export interface DistributeOptions {
  /** Round robin: where to start; the next start is returned. */
  cursor?: number;
}

/**
 * Shares records of the pool among reps by a strategy, in one transaction: the reps' rows
 * are locked (so their capacity cannot change meanwhile), the plan respects territory and
 * capacity, and it is written set-based. `scope` is the caller's, or null for rules acting
 * on their own.
 */
export async function distributeAs(
  db: Db,
  actor: Actor,
  scope: DataScope | null,
  body: DistributeBody,
  opts: DistributeOptions = {},
): Promise<DistributeResult & { cursor: number }> {
  return db.transaction(async (tx) => {
    const repIds = await resolveReps(tx, actor.tenantId, scope, body.entity, body);
    if (repIds.length === 0)
      throw invalid('Nobody there may take these records', { path: 'nodeId' });
    await tx.execute(
      sql`SELECT 1 FROM users WHERE id = ANY(${sql.param(repIds)}::uuid[]) ORDER BY id FOR UPDATE`,
    );
    const records = await candidates(tx, actor.tenantId, scope, body.entity, body.ids);
    const open = new Set(records.map((r) => r.id));
    const capacities = await capacitiesOf(tx, actor.tenantId, repIds, body.entity);
    const reps: PlanRep[] = repIds.map((id) => {
      const c = capacities.get(id);
      if (!c) throw new Error(`no capacity read for ${id}`);
      return { id, held: c.used, max: c.max };
    });
    const territories = await repTerritories(tx, actor.tenantId, repIds);
    const owners = await regionOwners(tx, actor.tenantId, body.entity, [...open]);
    const score =
      body.strategy === 'profile'
        ? await profileScores(tx, actor.tenantId, body.entity, repIds)
        : undefined;
    const plan = planAssignment({
      strategy: body.strategy,
      records,
      reps,
      allowed: (rep, record) => withinTerritory(territories.get(rep.id), owners.get(record.id)),
      ...(score
        ? {
            score: (record: Candidate) => {
              const forRep = score(record);
              return (rep: PlanRep) => forRep(rep.id);
            },
          }
        : {}),
      ...(opts.cursor !== undefined ? { cursor: opts.cursor } : {}),
    });
    const written = await writePlan(tx, actor, body.entity, body.strategy, plan.assigned);
    const byUser: Record<string, number> = {};
    for (const owner of written.values()) byUser[owner] = (byUser[owner] ?? 0) + 1;
    const skipped = [
      ...[...new Set(body.ids)]
        .filter((id) => !open.has(id))
        .map((id) => ({
          id,
          reason: 'not in the pool (claimed, waiting for verification, or not visible)',
        })),
      ...plan.skipped,
      ...[...plan.assigned.keys()]
        .filter((id) => !written.has(id))
        .map((id) => ({ id, reason: 'claimed meanwhile' })),
    ];
    return { assigned: written.size, byUser, skipped, cursor: plan.cursor };
  });
}

/** `POST /pools/distribute`: a manager shares pool records among their people. */
export async function distribute(
  db: Db,
  caller: Caller,
  body: DistributeBody,
): Promise<DistributeResult> {
  const scope = await buildScope(db, caller);
  const { cursor: _cursor, ...result } = await distributeAs(db, caller, scope, body);
  return result;
}
