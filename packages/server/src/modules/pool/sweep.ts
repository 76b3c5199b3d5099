import { sql, type SQL } from 'drizzle-orm';
import type { PoolEntity, PoolRuleKind } from '@tide/contract';
import { type Db, rowsOf } from '../../platform/db.ts';

/**
 * The pool sweep (SPEC §5): drops private records that a pool rule says are due, and
 * warns owners before. Set-based: per rule, one `UPDATE … RETURNING` per batch of
 * candidates walked by claim time, with its handover, audit and notification rows written
 * by the same statement; locked rows are skipped and due conditions re-checked on the
 * locked version, so two instances sweeping at once drop each record exactly once, and a
 * second run finds nothing left to do.
 */

/** Candidates read per statement. */
export const SWEEP_BATCH = 20_000;

/** Each user's home pool: the pool bound to their nearest node (or ancestor) with one. */
export function homePools(tenantId: string): SQL {
  return sql`
    SELECT DISTINCT ON (u.id) u.id AS user_id, p.id AS pool_id
      FROM users u
      JOIN org_nodes un ON un.id = u.node_id
      JOIN pools p ON p.tenant_id = u.tenant_id
      JOIN org_nodes pn ON pn.id = p.node_id
     WHERE u.tenant_id = ${tenantId} AND un.path LIKE pn.path || '%'
     ORDER BY u.id, pn.depth DESC`;
}

const base = sql.raw('r.claimed_at');

/**
 * When each kind's countdown started: the claim, or the last follow-up (or visit) since.
 * These are the expressions of the sweep's indexes (migration 0018), so walking a rule's
 * clock visits only records that are due.
 */
function clockOf(kind: PoolRuleKind): SQL {
  switch (kind) {
    case 'no_follow_up':
      return sql.raw('greatest(r.claimed_at, coalesce(r.last_follow_up_at, r.claimed_at))');
    case 'no_visit':
      return sql.raw('greatest(r.claimed_at, coalesce(r.last_visit_at, r.claimed_at))');
    default:
      return base;
  }
}
const won = (since: SQL) =>
  sql`EXISTS (SELECT 1 FROM opportunities o WHERE o.customer_id = r.id AND o.status = 'won'
                 AND o.deleted_at IS NULL AND o.closed_at >= ${since})`;

/**
 * When rule `pr` (of pool `p`) drops record `r`, or NULL when it never will as things
 * stand: the clock starts at the claim and restarts with each follow-up (or visit).
 */
export function dropAt(entity: PoolEntity, kind: PoolRuleKind | null): SQL {
  const days = sql.raw('make_interval(days => pr.days)');
  const byKind: Record<PoolRuleKind, SQL> = {
    no_follow_up: sql`${clockOf('no_follow_up')} + ${days}`,
    no_visit: sql`${clockOf('no_visit')} + ${days}`,
    not_converted: sql`${base} + ${days}`,
    no_won_opportunity: sql`CASE WHEN ${won(base)} THEN NULL ELSE ${base} + ${days} END`,
  };
  const expr = kind
    ? byKind[kind]
    : sql`CASE pr.kind ${sql.join(
        Object.entries(byKind).map(([k, e]) => sql`WHEN ${k} THEN ${e}`),
        sql` `,
      )} END`;
  if (entity === 'lead') return expr;
  // Customers with a recent win are exempt.
  return sql`CASE WHEN p.exempt_won_days IS NOT NULL
                    AND ${won(sql`now() - make_interval(days => p.exempt_won_days)`)}
                  THEN NULL ELSE ${expr} END`;
}

const owned = (entity: PoolEntity) =>
  entity === 'lead'
    ? sql`r.owner_id IS NOT NULL AND r.deleted_at IS NULL AND r.status IN ('pending', 'following', 'invalid')`
    : sql`r.owner_id IS NOT NULL AND r.deleted_at IS NULL`;
const nameOf = (entity: PoolEntity) =>
  sql.raw(entity === 'lead' ? 'coalesce(r.company, r.contact_name, r.phone)' : 'r.name');
const tableOf = (entity: PoolEntity) => sql.raw(entity === 'lead' ? 'leads' : 'customers');

interface RuleRow {
  id: string;
  tenant_id: string;
  pool_id: string;
  pool_name: string;
  entity: PoolEntity;
  kind: PoolRuleKind;
  days: number;
  warn_days: number;
}

/** One batch of drops for one rule: returns how many dropped and where the walk is. */
async function dropBatch(
  db: Db,
  rule: RuleRow,
  homeUsers: readonly string[],
  after: { at: string; id: string } | null,
): Promise<{ dropped: number; seen: number; last: { at: string; id: string } | null }> {
  const t = tableOf(rule.entity);
  const clock = clockOf(rule.kind);
  const ruleJson = JSON.stringify({ id: rule.id, kind: rule.kind, days: rule.days });
  const reason = `${rule.kind}:${String(rule.days)}`;
  const setOwnerless =
    rule.entity === 'lead'
      ? sql`owner_id = NULL, status = 'unassigned', pool_id = ${rule.pool_id}::uuid, claimed_at = NULL, updated_at = now()`
      : sql`owner_id = NULL, pool_id = ${rule.pool_id}::uuid, claimed_at = NULL, updated_at = now()`;
  const opportunities =
    rule.entity === 'customer'
      ? sql`, opps AS (
          UPDATE opportunities o SET owner_id = NULL, updated_at = now()
            FROM dropped d
           WHERE o.customer_id = d.id AND o.status = 'open' AND o.deleted_at IS NULL
             AND o.owner_id IS NOT NULL
          RETURNING o.id, d.owner_id
        ), opps_audit AS (
          INSERT INTO audit_log (tenant_id, actor_id, entity, entity_id, action, changes)
          SELECT ${rule.tenant_id}::uuid, NULL, 'opportunity', id::text, 'drop',
                 jsonb_build_object('ownerId', jsonb_build_object('before', owner_id, 'after', NULL),
                                    'rule', jsonb_build_object('before', NULL, 'after', ${ruleJson}::jsonb))
            FROM opps
        )`
      : sql``;
  const statusChange =
    rule.entity === 'lead'
      ? sql`, 'status', jsonb_build_object('before', d.status, 'after', 'unassigned')`
      : sql``;
  const [row] = rowsOf<{
    dropped: number;
    seen: number;
    last_at: string | null;
    last_id: string | null;
  }>(
    await db.execute(sql`
      WITH win AS (
        SELECT r.id, ${clock} AS clock FROM ${t} r
         WHERE r.tenant_id = ${rule.tenant_id}::uuid AND ${owned(rule.entity)}
           AND r.owner_id = ANY(${sql.param([...homeUsers])}::uuid[])
           AND ${clock} < now() - make_interval(days => ${rule.days}::int)
           ${after ? sql`AND (${clock}, r.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
         ORDER BY ${clock}, r.id
         LIMIT ${SWEEP_BATCH}
      ),
      due AS (
        SELECT r.id, r.owner_id, ${rule.entity === 'lead' ? sql`r.status` : sql`NULL::text`} AS status,
               ${nameOf(rule.entity)} AS name
          FROM win w
          JOIN ${t} r ON r.id = w.id
          JOIN pool_rules pr ON pr.id = ${rule.id}::uuid
          JOIN pools p ON p.id = pr.pool_id
         WHERE ${owned(rule.entity)} AND pr.enabled
           AND r.owner_id = ANY(${sql.param([...homeUsers])}::uuid[])
           AND ${dropAt(rule.entity, rule.kind)} <= now()
           FOR UPDATE OF r SKIP LOCKED
      ),
      dropped AS (
        UPDATE ${t} r SET ${setOwnerless}
          FROM due d
         WHERE r.id = d.id
        RETURNING r.id, d.owner_id, d.status, d.name
      ),
      handed AS (
        INSERT INTO handovers (tenant_id, entity, entity_id, action, from_user_id, to_user_id,
                               pool_id, reason, actor_id, rule_id)
        SELECT ${rule.tenant_id}::uuid, ${rule.entity}::text, id, 'drop', owner_id, NULL,
               ${rule.pool_id}::uuid, ${reason}::text, NULL, ${rule.id}::uuid
          FROM dropped
      ),
      audited AS (
        INSERT INTO audit_log (tenant_id, actor_id, entity, entity_id, action, changes)
        SELECT ${rule.tenant_id}::uuid, NULL, ${rule.entity}::text, d.id::text, 'drop',
               jsonb_build_object('ownerId', jsonb_build_object('before', d.owner_id, 'after', NULL),
                                  'poolId', jsonb_build_object('before', NULL, 'after', ${rule.pool_id}::text),
                                  'rule', jsonb_build_object('before', NULL, 'after', ${ruleJson}::jsonb)
                                  ${statusChange})
          FROM dropped d
      ),
      told AS (
        INSERT INTO notifications (tenant_id, user_id, kind, entity, entity_id, data)
        SELECT ${rule.tenant_id}::uuid, d.owner_id, 'dropped', ${rule.entity}::text, d.id,
               jsonb_build_object('name', d.name, 'poolName', ${rule.pool_name}::text,
                                  'rule', jsonb_build_object('kind', ${rule.kind}::text, 'days', ${rule.days}::int))
          FROM dropped d
      )
      ${opportunities}
      SELECT (SELECT count(*)::int FROM dropped) AS dropped,
             (SELECT count(*)::int FROM win) AS seen,
             (SELECT clock FROM win ORDER BY clock DESC, id DESC LIMIT 1) AS last_at,
             (SELECT id FROM win ORDER BY clock DESC, id DESC LIMIT 1) AS last_id`),
  );
  return {
    dropped: row?.dropped ?? 0,
    seen: row?.seen ?? 0,
    last:
      row?.last_at && row.last_id
        ? { at: new Date(row.last_at).toISOString(), id: row.last_id }
        : null,
  };
}

/** Warns owners of records a rule will drop within its warning days, once per deadline. */
async function warn(db: Db, rule: RuleRow, homeUsers: readonly string[]): Promise<number> {
  if (rule.warn_days <= 0) return 0;
  const t = tableOf(rule.entity);
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      WITH soon AS (
        SELECT r.id, r.owner_id, ${nameOf(rule.entity)} AS name,
               ${dropAt(rule.entity, rule.kind)} AS drop_at
          FROM ${t} r
          JOIN pool_rules pr ON pr.id = ${rule.id}::uuid
          JOIN pools p ON p.id = pr.pool_id
         WHERE r.tenant_id = ${rule.tenant_id}::uuid AND ${owned(rule.entity)} AND pr.enabled
           AND r.owner_id = ANY(${sql.param([...homeUsers])}::uuid[])
           AND ${clockOf(rule.kind)} < now() - make_interval(days => ${rule.days - rule.warn_days}::int)
           AND ${clockOf(rule.kind)} >= now() - make_interval(days => ${rule.days}::int)
      ),
      told AS (
        INSERT INTO notifications (tenant_id, user_id, kind, entity, entity_id, data, dedupe_key)
        SELECT ${rule.tenant_id}::uuid, s.owner_id, 'drop_warning', ${rule.entity}::text, s.id,
               jsonb_build_object('name', s.name, 'dropAt', s.drop_at, 'poolName', ${rule.pool_name}::text,
                                  'rule', jsonb_build_object('kind', ${rule.kind}::text, 'days', ${rule.days}::int)),
               'drop_warning:' || ${rule.id}::uuid || ':' || s.id || ':' || extract(epoch FROM s.drop_at)::bigint
          FROM soon s
         WHERE s.drop_at > now() AND s.drop_at <= now() + make_interval(days => ${rule.warn_days}::int)
        ON CONFLICT (tenant_id, user_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM told`),
  );
  return row?.n ?? 0;
}

export interface SweepResult {
  dropped: number;
  warned: number;
  /** Drops per rule id. */
  byRule: Record<string, number>;
}

/** Sweeps every enabled rule of every tenant (or one tenant). */
export async function sweepPools(db: Db, tenantId?: string): Promise<SweepResult> {
  const rules = rowsOf<RuleRow>(
    await db.execute(sql`
      SELECT pr.id, pr.tenant_id, pr.pool_id, p.name AS pool_name, pr.entity, pr.kind, pr.days,
             pr.warn_days
        FROM pool_rules pr JOIN pools p ON p.id = pr.pool_id
       WHERE pr.enabled ${tenantId ? sql`AND pr.tenant_id = ${tenantId}` : sql``}
       ORDER BY pr.tenant_id, pr.entity, pr.days`),
  );
  const result: SweepResult = { dropped: 0, warned: 0, byRule: {} };
  // Rules run two at a time: their batches write different records (a record claimed by
  // one statement is skipped by the other), and two connections keep both cores busy.
  const queue = [...rules];
  const worker = async () => {
    for (let rule = queue.shift(); rule; rule = queue.shift()) {
      // The people whose private records this pool's rules govern: those it is home to.
      const homeUsers = rowsOf<{ user_id: string }>(
        await db.execute(sql`SELECT user_id FROM (${homePools(rule.tenant_id)}) h
                              WHERE pool_id = ${rule.pool_id}::uuid`),
      ).map((r) => r.user_id);
      let dropped = 0;
      if (homeUsers.length) {
        let after: { at: string; id: string } | null = null;
        for (;;) {
          const batch = await dropBatch(db, rule, homeUsers, after);
          dropped += batch.dropped;
          if (batch.seen < SWEEP_BATCH || !batch.last) break;
          after = batch.last;
        }
        // Awaited first: `+=` would read the total before the other worker adds to it.
        const warned = await warn(db, rule, homeUsers);
        result.warned += warned;
      }
      result.byRule[rule.id] = dropped;
      result.dropped += dropped;
    }
  };
  await Promise.all([worker(), worker()]);
  return result;
}
