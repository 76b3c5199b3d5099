import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue, Lead, OrgTree, Pool, User } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { secondTenant } from '../../../test/fixtures.ts';

let t: TestApp;
let acmeAdmin: Client;

beforeAll(async () => {
  t = await createTestApp();
  acmeAdmin = await secondTenant(t);
});
afterAll(async () => {
  await t.close();
});

async function queue(admin: Client, name: string): Promise<JobQueue | undefined> {
  const res = await admin.get('/api/v1/jobs');
  expect(res.statusCode).toBe(200);
  return res.json<{ items: JobQueue[] }>().items.find((j) => j.name === name);
}

/** Waits for the tenant's last run of the queue to finish. */
async function settled(admin: Client, name: string): Promise<JobQueue | undefined> {
  let last: JobQueue | undefined;
  for (let i = 0; i < 150; i++) {
    last = await queue(admin, name);
    if (last?.lastRunAt && last.pending === 0) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

/** A lead of a rep of the tenant, claimed long ago and never followed up. */
async function staleLead(admin: Client, username: string): Promise<Lead> {
  const root = (await admin.get('/api/v1/org/nodes')).json<OrgTree>().roots[0]?.id;
  const rep = await admin.post('/api/v1/users', {
    username,
    password: 'stale-rep-pass-1',
    displayName: username,
    nodeId: root,
    roles: ['sales'],
  });
  expect(rep.statusCode, rep.body).toBe(201);
  const pools = (await admin.get('/api/v1/pools')).json<{ items: Pool[] }>().items;
  const pool = pools.find((p) => p.isDefault);
  const rules = await admin.patch(`/api/v1/pools/${pool?.id ?? ''}`, {
    rules: [{ entity: 'lead', kind: 'no_follow_up', days: 10, warnDays: 0 }],
  });
  expect(rules.statusCode, rules.body).toBe(200);
  const lead = await admin.post('/api/v1/leads', {
    company: `${username} 久未跟进有限公司`,
    ownerId: rep.json<User>().id,
  });
  expect(lead.statusCode, lead.body).toBe(201);
  const l = lead.json<Lead>();
  await t.db.pool.query(
    `UPDATE leads SET claimed_at = now() - interval '30 days', created_at = now() - interval '30 days'
      WHERE id = $1`,
    [l.id],
  );
  return l;
}

describe('the jobs page is per tenant', () => {
  it('shows each tenant’s admin only their own runs, and a run on request works on their tenant only', async () => {
    const ours = await staleLead(t.admin, 'stale.default');
    const theirs = await staleLead(acmeAdmin, 'stale.acme');

    // Acme's admin runs the sweep: it drops Acme's stale lead and nobody else's.
    expect((await acmeAdmin.post('/api/v1/jobs/pool-sweep/run')).statusCode).toBe(200);
    expect(await settled(acmeAdmin, 'pool-sweep')).toMatchObject({
      lastState: 'completed',
      failures: 0,
    });
    expect((await acmeAdmin.get(`/api/v1/leads/${theirs.id}`)).json<Lead>().ownerId).toBeNull();
    expect((await t.admin.get(`/api/v1/leads/${ours.id}`)).json<Lead>().ownerId).not.toBeNull();
    // The other tenant's admin sees the schedule, not Acme's run.
    expect(await queue(t.admin, 'pool-sweep')).toMatchObject({
      cron: '*/15 * * * *',
      lastRunAt: null,
      lastState: null,
      pending: 0,
      failures: 0,
    });

    expect((await t.admin.post('/api/v1/jobs/pool-sweep/run')).statusCode).toBe(200);
    expect(await settled(t.admin, 'pool-sweep')).toMatchObject({ lastState: 'completed' });
    expect((await t.admin.get(`/api/v1/leads/${ours.id}`)).json<Lead>().ownerId).toBeNull();
  });

  it('hides jobs that name no tenant, such as a cron run over every tenant', async () => {
    // A job as the cron clock (or an older version) sends it: without a tenant.
    await t.db.pool.query(
      `INSERT INTO ${t.db.schema === 'public' ? 'pgboss' : `"${t.db.schema}_jobs"`}.job
         (name, data, state, completed_on, output)
       VALUES ('capacity-adjust', '{}'::jsonb, 'failed', now(), '{"message": "tenant 1 broke"}'::jsonb)`,
    );
    for (const admin of [t.admin, acmeAdmin]) {
      const adjust = await queue(admin, 'capacity-adjust');
      expect(adjust).toMatchObject({ lastRunAt: null, lastError: null, failures: 0 });
    }
  });
});
