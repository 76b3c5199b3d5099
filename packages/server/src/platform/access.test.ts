import { sql } from 'drizzle-orm';
import { pgTable, uuid, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, type Org } from '../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { loadCaller } from './auth.ts';
import { buildScope, reachOf, visibleTo, type RecordKind } from './access.ts';

/** A stand-in record table: the builder only needs tenant, owner and pool columns. */
const probe = pgTable('scope_probe', {
  id: text('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  ownerId: uuid('owner_id'),
  poolId: uuid('pool_id'),
});

let t: TestApp;
let org: Org;
let southPoolId: string;
let defaultPoolId: string;

beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  await t.db.pool.query(
    `CREATE TABLE scope_probe (id text PRIMARY KEY, tenant_id uuid NOT NULL, owner_id uuid, pool_id uuid)`,
  );
  const def = await t.db.pool.query<{ id: string }>('SELECT id FROM pools WHERE is_default');
  defaultPoolId = def.rows[0]?.id ?? '';
  const south = await t.db.pool.query<{ id: string }>(
    `INSERT INTO pools (tenant_id, name, node_id) VALUES ($1, '华南公海', $2) RETURNING id`,
    [t.tenantId, org.nodes.south],
  );
  southPoolId = south.rows[0]?.id ?? '';
  const u = org.users;
  const rows: [string, string | null, string | null][] = [
    ['ownA1', u.repA1.id, null],
    ['ownA2', u.repA2.id, null],
    ['ownSquad', u.squadRep.id, null],
    ['ownMgrA', u.mgrA.id, null],
    ['ownB1', u.repB1.id, null],
    ['ownC1', u.repC1.id, null],
    ['ownEastMgr', u.eastMgr.id, null],
    ['ownTele', u.telesales.id, null],
    ['poolDefault', null, defaultPoolId],
    ['poolSouth', null, southPoolId],
  ];
  for (const [id, owner, pool] of rows) {
    await t.db.pool.query('INSERT INTO scope_probe VALUES ($1, $2, $3, $4)', [
      id,
      t.tenantId,
      owner,
      pool,
    ]);
  }
  // Another tenant's row with the same owner id must never show.
  await t.db.pool.query(`INSERT INTO tenants (slug, name) VALUES ('other', 'Other') `);
  const other = await t.db.pool.query<{ id: string }>(
    `SELECT id FROM tenants WHERE slug = 'other'`,
  );
  await t.db.pool.query('INSERT INTO scope_probe VALUES ($1, $2, $3, NULL)', [
    'otherTenant',
    other.rows[0]?.id,
    u.repA1.id,
  ]);
});
afterAll(async () => {
  await t.close();
});

async function visible(who: keyof Org['users'], kind: RecordKind = 'lead'): Promise<string[]> {
  const caller = await loadCaller(t.db.db, t.tenantId, org.users[who].id, 'session', null);
  if (!caller) throw new Error('no caller');
  const scope = await buildScope(t.db.db, caller);
  const rows = await t.db.db
    .select({ id: probe.id })
    .from(probe)
    .where(
      visibleTo(scope, kind, {
        tenantId: probe.tenantId,
        ownerId: probe.ownerId,
        poolId: probe.poolId,
      }),
    )
    .orderBy(probe.id);
  return rows.map((r) => r.id);
}

describe('data scope builder', () => {
  it('a rep sees own records and the pools serving their node, nobody else’s', async () => {
    expect(await visible('repA1')).toEqual(['ownA1', 'poolDefault']);
    expect(await visible('repC1')).toEqual(['ownC1', 'poolDefault', 'poolSouth']);
  });

  it('a team manager sees the whole subtree of their node, down to nested squads', async () => {
    expect(await visible('mgrA')).toEqual(['ownA1', 'ownA2', 'ownMgrA', 'ownSquad', 'poolDefault']);
  });

  it('a manager never sees a sibling team (closed upward and sideways)', async () => {
    const b = await visible('mgrB');
    expect(b).toEqual(['ownB1', 'poolDefault']);
    expect(b).not.toContain('ownA1');
  });

  it('a branch manager sees every team of the branch but not the other branch', async () => {
    expect(await visible('eastMgr')).toEqual([
      'ownA1',
      'ownA2',
      'ownB1',
      'ownEastMgr',
      'ownMgrA',
      'ownSquad',
      'poolDefault',
    ]);
  });

  it('telesales see like a rep', async () => {
    expect(await visible('telesales')).toEqual(['ownTele', 'poolDefault']);
  });

  it('an admin sees the whole tenant and nothing of another tenant', async () => {
    const caller = await loadCaller(
      t.db.db,
      t.tenantId,
      (await t.admin.get('/api/v1/me')).json<{ id: string }>().id,
      'session',
      null,
    );
    if (!caller) throw new Error('no admin');
    const scope = await buildScope(t.db.db, caller);
    const rows = await t.db.db
      .select({ id: probe.id })
      .from(probe)
      .where(
        visibleTo(scope, 'customer', {
          tenantId: probe.tenantId,
          ownerId: probe.ownerId,
          poolId: probe.poolId,
        }),
      );
    expect(rows.map((r) => r.id).sort()).not.toContain('otherTenant');
    expect(rows).toHaveLength(10);
  });

  it('analysts and marketing read customers of their subtree but no leads', async () => {
    expect(await visible('analyst', 'customer')).toEqual(
      ['ownA1', 'ownA2', 'ownEastMgr', 'ownMgrA', 'ownSquad', 'ownB1', 'poolDefault'].sort(),
    );
    expect(await visible('analyst', 'lead')).toEqual([]);
    expect(await visible('mktA', 'contact')).toEqual(['ownA1', 'ownA2', 'ownMgrA', 'ownSquad']);
    expect(await visible('mktA', 'opportunity')).toEqual([]);
  });

  it('service reads every customer of the tenant but no leads', async () => {
    expect(await visible('service', 'customer')).toHaveLength(10);
    expect(await visible('service', 'lead')).toEqual([]);
  });

  it('follows the org tree when a team moves to another branch', async () => {
    const res = await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamB}`, {
      parentId: org.nodes.south,
    });
    expect(res.statusCode).toBe(200);
    expect(await visible('eastMgr')).not.toContain('ownB1');
    expect(await visible('repB1')).toEqual(['ownB1', 'poolDefault', 'poolSouth']);
    await t.admin.patch(`/api/v1/org/nodes/${org.nodes.teamB}`, { parentId: org.nodes.east });
    expect(await visible('eastMgr')).toContain('ownB1');
  });

  it('a custom role reaches its view permissions as an owner', () => {
    const reach = reachOf({ roles: ['custom'], permissions: new Set(['lead.view']) });
    expect(reach.lead).toBe('own');
    expect(reach.customer).toBe('none');
  });

  it('several roles combine to the widest reach', () => {
    const reach = reachOf({ roles: ['sales', 'analyst'], permissions: new Set() });
    expect(reach.lead).toBe('own');
    expect(reach.customer).toBe('subtree');
  });

  it('is a SQL predicate, never an in-memory filter', async () => {
    const caller = await loadCaller(t.db.db, t.tenantId, org.users.repA1.id, 'session', null);
    if (!caller) throw new Error('no caller');
    const predicate = visibleTo(await buildScope(t.db.db, caller), 'lead', {
      tenantId: probe.tenantId,
      ownerId: probe.ownerId,
      poolId: probe.poolId,
    });
    const count = await t.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(probe)
      .where(predicate);
    expect(count[0]?.n).toBe(2);
  });
});
