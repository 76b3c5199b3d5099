import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, User } from '@tide/contract';
import { createTestApp, isPglite, onServerOnly, type TestApp } from '../../../test/harness.ts';
import { USER_PASSWORD } from '../../../test/fixtures.ts';
import { loadCaller } from '../../platform/auth.ts';
import { openDatabase, type Database } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { claimLead } from '../leads/leads.service.ts';

const REPS = 50;
const LEADS = 120;

let t: TestApp;
const reps: string[] = [];
const leads: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  if (isPglite) return;
  const root = (await t.admin.get('/api/v1/org/nodes')).json<{ roots: { id: string }[] }>().roots[0]
    ?.id;
  for (let i = 0; i < REPS; i++) {
    const res = await t.admin.post('/api/v1/users', {
      username: `rep${String(i)}`,
      password: USER_PASSWORD,
      displayName: `销售${String(i)}`,
      nodeId: root,
      roles: ['sales'],
    });
    reps.push(res.json<User>().id);
  }
  for (let i = 0; i < LEADS; i++) {
    const res = await t.admin.post('/api/v1/leads', {
      company: `并发领取${String(i)}号有限公司`,
      phone: `1360000${String(i).padStart(4, '0')}`,
      ownerId: null,
    });
    leads.push(res.json<Lead>().id);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
});

/** Every rep on their own PostgreSQL connection tries the same leads at once, in its own order. */
async function race(attempts: number): Promise<{ ok: number; outcomes: string[] }> {
  const dbs: Database[] = await Promise.all(
    reps.map(() =>
      openDatabase({
        databaseUrl: process.env.DATABASE_URL,
        dataDir: '',
        schema: t.db.schema,
        poolSize: 1,
      }),
    ),
  );
  try {
    await Promise.all(dbs.map((d) => d.pool.query('SELECT 1')));
    const callers = await Promise.all(
      reps.map(async (id) => {
        const caller = await loadCaller(t.db.db, t.tenantId, id, 'api', null);
        if (!caller) throw new Error(`no caller for ${id}`);
        return caller;
      }),
    );
    const outcomes: string[] = [];
    await Promise.all(
      dbs.map(async (d, r) => {
        const caller = callers[r];
        if (!caller) throw new Error('no caller');
        for (let k = 0; k < attempts; k++) {
          const id = leads[(r * 7 + k * 13) % leads.length] ?? '';
          try {
            await claimLead(d.db, caller, id);
            outcomes.push('ok');
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            const rule = (err.details as { rule?: string } | undefined)?.rule;
            outcomes.push(rule ? `${err.code}:${rule}` : err.code);
          }
        }
      }),
    );
    return { ok: outcomes.filter((o) => o === 'ok').length, outcomes };
  } finally {
    await Promise.all(dbs.map((d) => d.close()));
  }
}

async function invariants(maxPerRep: number) {
  // No lead has two owners: one claim handover per owned lead, and it names the owner.
  const claims = await t.db.pool.query<{ entity_id: string; n: number; owner_ok: boolean }>(
    `SELECT h.entity_id, count(*)::int AS n, bool_and(h.to_user_id = l.owner_id) AS owner_ok
       FROM handovers h JOIN leads l ON l.id = h.entity_id
      WHERE h.action = 'claim' AND h.tenant_id = $1 GROUP BY h.entity_id`,
    [t.tenantId],
  );
  for (const c of claims.rows) expect(c).toMatchObject({ n: 1, owner_ok: true });
  const held = await t.db.pool.query<{ owner_id: string; n: number }>(
    `SELECT owner_id, count(*)::int AS n FROM leads
      WHERE tenant_id = $1 AND owner_id IS NOT NULL GROUP BY owner_id`,
    [t.tenantId],
  );
  for (const h of held.rows) expect(h.n).toBeLessThanOrEqual(maxPerRep);
  return claims.rows.length;
}

describe(`${String(REPS)} reps claiming at once on ${String(REPS)} PostgreSQL connections`, () => {
  it.skipIf(isPglite)(
    `never give a lead two owners nor a rep more than their capacity (skipped on PGlite: ${onServerOnly})`,
    async () => {
      const limit = await t.admin.post('/api/v1/capacity-limits', {
        scope: 'tenant',
        entity: 'lead',
        maxRecords: 2,
        dailyClaims: null,
      });
      expect(limit.statusCode).toBe(201);
      const { ok, outcomes } = await race(6);
      expect(new Set(outcomes)).toEqual(
        new Set(['ok', 'ALREADY_CLAIMED', 'BUSINESS_RULE:capacity']),
      );
      const owned = await invariants(2);
      expect(owned).toBe(ok);
      expect(ok).toBeGreaterThan(LEADS / 2);
      await t.admin.del(`/api/v1/capacity-limits/${limit.json<{ id: string }>().id}`);
    },
  );

  it.skipIf(isPglite)(
    `never let a rep claim more than the daily limit (skipped on PGlite: ${onServerOnly})`,
    async () => {
      await t.db.pool.query(
        `UPDATE leads SET owner_id = NULL, status = 'unassigned', claimed_at = NULL,
                pool_id = (SELECT id FROM pools WHERE tenant_id = $1 AND is_default)
          WHERE tenant_id = $1`,
        [t.tenantId],
      );
      await t.db.pool.query(`DELETE FROM handovers WHERE tenant_id = $1`, [t.tenantId]);
      const limit = await t.admin.post('/api/v1/capacity-limits', {
        scope: 'tenant',
        entity: 'lead',
        maxRecords: null,
        dailyClaims: 1,
      });
      expect(limit.statusCode).toBe(201);
      const { ok, outcomes } = await race(5);
      expect(outcomes).toContain('BUSINESS_RULE:daily_limit');
      const perRep = await t.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM handovers WHERE tenant_id = $1 AND action = 'claim'
          GROUP BY to_user_id`,
        [t.tenantId],
      );
      for (const r of perRep.rows) expect(r.n).toBe(1);
      expect(await invariants(1)).toBe(ok);
    },
  );
});
