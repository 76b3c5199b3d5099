/**
 * The organisation every pool measurement works in: a tenant (root node,
 * default pool, admin), a region node with a pool of its own, ten teams (five
 * in the region, five at the root) and 200 sales reps spread over the teams.
 * Reps of the region drop into and claim from the region's pool, the others
 * the default one, so the sweep's home-pool join has two pools to tell apart.
 */
import { randomUUID } from 'node:crypto';
import { createTenant } from '../../packages/server/src/modules/tenants/tenants.service.ts';
import type { Database } from '../../packages/server/src/platform/db.ts';

export const REPS = 200;
export const TEAMS = 10;
/** Teams 0 to REGION_TEAMS - 1 sit in the region. */
const REGION_TEAMS = 5;

export interface Rep {
  id: string;
  index: number;
  team: number;
  /** The pool the rep's leads drop into: the region's, or the default. */
  homePoolId: string;
}

export interface BenchOrg {
  tenantId: string;
  adminId: string;
  defaultPoolId: string;
  regionPoolId: string;
  reps: Rep[];
}

/** Creates the tenant `slug` and its organisation; the tenant must not exist. */
export async function createOrg(db: Database, slug: string): Promise<BenchOrg> {
  const created = await createTenant(db.db, { slug, name: slug, adminPassword: 'bench-pass-123' });
  const tenantId = created.tenant.id;
  const q = <T extends object>(text: string, values: unknown[]) =>
    db.pool.query<T>(text, values).then((r) => r.rows);

  const [root] = await q<{ path: string; admin: string; pool: string }>(
    `SELECT n.path, (SELECT id FROM users WHERE tenant_id = $1 AND username = 'admin') AS admin,
            (SELECT id FROM pools WHERE tenant_id = $1 AND is_default) AS pool
       FROM org_nodes n WHERE n.id = $2`,
    [tenantId, created.rootNodeId],
  );
  if (!root) throw new Error('no root node');

  const regionId = randomUUID();
  const regionPath = `${root.path}${regionId}/`;
  await q(
    `INSERT INTO org_nodes (id, tenant_id, parent_id, name, path, depth) VALUES ($1, $2, $3, '华东大区', $4, 1)`,
    [regionId, tenantId, created.rootNodeId, regionPath],
  );
  const regionPoolId = randomUUID();
  await q(`INSERT INTO pools (id, tenant_id, name, node_id) VALUES ($1, $2, '华东公海', $3)`, [
    regionPoolId,
    tenantId,
    regionId,
  ]);

  const teamIds: string[] = [];
  for (let t = 0; t < TEAMS; t++) {
    const id = randomUUID();
    const inRegion = t < REGION_TEAMS;
    await q(
      `INSERT INTO org_nodes (id, tenant_id, parent_id, name, path, depth) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        tenantId,
        inRegion ? regionId : created.rootNodeId,
        `销售${String(t + 1)}组`,
        `${inRegion ? regionPath : root.path}${id}/`,
        inRegion ? 2 : 1,
      ],
    );
    teamIds.push(id);
  }

  const reps: Rep[] = Array.from({ length: REPS }, (_, index) => {
    const team = index % TEAMS;
    return {
      id: randomUUID(),
      index,
      team,
      homePoolId: team < REGION_TEAMS ? regionPoolId : root.pool,
    };
  });
  // The reps never log in: a placeholder hash saves 200 argon2 runs.
  await q(
    `INSERT INTO users (id, tenant_id, username, display_name, password_hash, node_id)
     SELECT r.id, $1, 'rep' || r.i, '销售' || r.i, 'bench: no login', r.node
       FROM unnest($2::uuid[], $3::int[], $4::uuid[]) AS r (id, i, node)`,
    [tenantId, reps.map((r) => r.id), reps.map((r) => r.index), reps.map((r) => teamIds[r.team])],
  );
  await q(
    `INSERT INTO user_roles (tenant_id, user_id, role_name) SELECT $1, id, 'sales' FROM unnest($2::uuid[]) AS id`,
    [tenantId, reps.map((r) => r.id)],
  );
  return { tenantId, adminId: root.admin, defaultPoolId: root.pool, regionPoolId, reps };
}

/** The organisation of an existing tenant created by createOrg. */
export async function findOrg(db: Database, slug: string): Promise<BenchOrg | null> {
  const { rows } = await db.pool.query<{
    tenant_id: string;
    admin: string;
    default_pool: string;
    region_pool: string;
  }>(
    `SELECT t.id AS tenant_id,
            (SELECT id FROM users WHERE tenant_id = t.id AND username = 'admin') AS admin,
            (SELECT id FROM pools WHERE tenant_id = t.id AND is_default) AS default_pool,
            (SELECT id FROM pools WHERE tenant_id = t.id AND NOT is_default) AS region_pool
       FROM tenants t WHERE t.slug = $1`,
    [slug],
  );
  const t = rows[0];
  if (!t) return null;
  const reps = await db.pool.query<{ id: string; i: number }>(
    `SELECT id, substr(username, 4)::int AS i FROM users
      WHERE tenant_id = $1 AND username LIKE 'rep%' ORDER BY 2`,
    [t.tenant_id],
  );
  return {
    tenantId: t.tenant_id,
    adminId: t.admin,
    defaultPoolId: t.default_pool,
    regionPoolId: t.region_pool,
    reps: reps.rows.map((r) => ({
      id: r.id,
      index: r.i,
      team: r.i % TEAMS,
      homePoolId: r.i % TEAMS < REGION_TEAMS ? t.region_pool : t.default_pool,
    })),
  };
}
