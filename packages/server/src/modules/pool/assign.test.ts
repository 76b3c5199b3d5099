import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AssignmentRule,
  DistributeResult,
  IntakeForm,
  Lead,
  Page,
  Pool,
  TimelineItem,
} from '@tide/contract';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
let defaultPool: Pool;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  const pools = (await t.admin.get('/api/v1/pools')).json<{ items: Pool[] }>().items;
  const found = pools.find((p) => p.isDefault);
  if (!found) throw new Error('no default pool');
  defaultPool = found;
});
afterAll(async () => {
  await t.close();
});

type ErrorJson = { error: { code: string; message: string; details?: Record<string, unknown> } };

let seq = 0;
async function poolLeads(n: number, extra: Record<string, unknown> = {}): Promise<Lead[]> {
  const out: Lead[] = [];
  for (let i = 0; i < n; i++) {
    seq++;
    const res = await t.admin.post('/api/v1/leads', {
      company: `分配测试${String(seq)}号有限公司`,
      phone: `1350000${String(seq).padStart(4, '0')}`,
      ownerId: null,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    out.push(res.json<Lead>());
  }
  return out;
}

async function ownersOf(ids: readonly string[]): Promise<(string | null)[]> {
  const { rows } = await t.db.pool.query<{ id: string; owner_id: string | null }>(
    'SELECT id, owner_id FROM leads WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return ids.map((id) => rows.find((r) => r.id === id)?.owner_id ?? null);
}

/** Puts every lead of the tenant back in the pool so each test starts from the same place. */
async function resetLeads() {
  await t.db.pool.query(
    `UPDATE leads SET owner_id = NULL, status = 'unassigned', claimed_at = NULL, pool_id = $2
      WHERE tenant_id = $1 AND status <> 'converted'`,
    [t.tenantId, defaultPool.id],
  );
}

describe('distributing pool leads by strategy', () => {
  const mgr = () => org.users.mgrA.client;
  const share = (body: Record<string, unknown>) => mgr().post('/api/v1/pools/distribute', body);

  it('round robin, even split, load balanced and random share among the named reps only', async () => {
    const [a1, a2] = [org.users.repA1.id, org.users.repA2.id];
    const leads = await poolLeads(6);
    const ids = leads.map((l) => l.id);

    const rr = await share({ entity: 'lead', ids, strategy: 'round_robin', userIds: [a1, a2] });
    expect(rr.statusCode, rr.body).toBe(200);
    expect(rr.json<DistributeResult>()).toMatchObject({ assigned: 6, skipped: [] });
    const sorted = [a1, a2].sort();
    expect(await ownersOf(ids)).toEqual([...sorted, ...sorted, ...sorted]);

    await resetLeads();
    await share({ entity: 'lead', ids, strategy: 'even_split', userIds: [a1, a2] });
    const [first, second] = sorted;
    expect(await ownersOf(ids)).toEqual([first, first, first, second, second, second]);
    // The parts follow the order the list is given in; an id given twice counts once.
    await resetLeads();
    const reversed = (
      await share({
        entity: 'lead',
        ids: [...ids].reverse().concat(ids.slice(0, 1)),
        strategy: 'even_split',
        userIds: [a1, a2],
      })
    ).json<DistributeResult>();
    expect(reversed.assigned).toBe(6);
    expect(await ownersOf(ids)).toEqual([second, second, second, first, first, first]);

    // Load balanced: the rep holding more gets less.
    await resetLeads();
    const held = await poolLeads(2);
    for (const l of held)
      expect((await org.users.repA1.client.post(`/api/v1/leads/${l.id}/claim`)).statusCode).toBe(
        200,
      );
    const lb = (
      await share({ entity: 'lead', ids, strategy: 'load_balanced', userIds: [a1, a2] })
    ).json<DistributeResult>();
    expect(lb.byUser).toEqual({ [a1]: 2, [a2]: 4 });

    await resetLeads();
    const random = (
      await share({ entity: 'lead', ids, strategy: 'random', userIds: [a1, a2] })
    ).json<DistributeResult>();
    expect(random.assigned).toBe(6);
    expect(new Set(await ownersOf(ids)).size).toBeLessThanOrEqual(2);
    for (const o of await ownersOf(ids)) expect([a1, a2]).toContain(o);

    // Every assignment is a handover and an audit entry naming the strategy.
    const { rows } = await t.db.pool.query<{ reason: string; actor_id: string }>(
      `SELECT reason, actor_id FROM handovers WHERE entity_id = $1 AND action = 'assign'
        ORDER BY at DESC LIMIT 1`,
      [ids[0]],
    );
    expect(rows[0]).toEqual({ reason: 'strategy:random', actor_id: org.users.mgrA.id });
  });

  it('respects capacity and territory, and refuses reps outside the caller’s team', async () => {
    await resetLeads();
    const [a1, a2] = [org.users.repA1.id, org.users.repA2.id];
    const limit = await t.admin.post('/api/v1/capacity-limits', {
      scope: 'user',
      userId: a1,
      entity: 'lead',
      maxRecords: 1,
      dailyClaims: null,
    });
    expect(limit.statusCode).toBe(201);
    const leads = await poolLeads(4);
    const ids = leads.map((l) => l.id);
    const res = (
      await share({ entity: 'lead', ids, strategy: 'round_robin', userIds: [a1, a2] })
    ).json<DistributeResult>();
    expect(res.byUser).toEqual({ [a1]: 1, [a2]: 3 });
    await t.admin.del(`/api/v1/capacity-limits/${limit.json<{ id: string }>().id}`);

    await resetLeads();
    await t.admin.put(`/api/v1/org/nodes/${org.nodes.east}/territory`, { regionCodes: ['330000'] });
    await t.admin.put(`/api/v1/org/nodes/${org.nodes.teamA}/territory`, {
      regionCodes: ['330100'],
    });
    const [ningbo] = await poolLeads(1, { address: '浙江省宁波市鄞州区天童路2号' });
    const outside = (
      await share({ entity: 'lead', ids: [ningbo?.id], strategy: 'load_balanced', userIds: [a1] })
    ).json<DistributeResult>();
    expect(outside).toMatchObject({
      assigned: 0,
      skipped: [{ id: ningbo?.id, reason: 'no rep of the list covers its region' }],
    });
    await t.admin.put(`/api/v1/org/nodes/${org.nodes.east}/territory`, { regionCodes: [] });
    await t.admin.put(`/api/v1/org/nodes/${org.nodes.teamA}/territory`, { regionCodes: [] });

    const foreign = await share({
      entity: 'lead',
      ids,
      strategy: 'random',
      userIds: [org.users.repB1.id],
    });
    expect(foreign.statusCode).toBe(403);
    expect(
      (
        await org.users.repA1.client.post('/api/v1/pools/distribute', {
          entity: 'lead',
          ids,
          strategy: 'random',
          userIds: [a1],
        })
      ).statusCode,
    ).toBe(403);
    expect((await share({ entity: 'lead', ids, strategy: 'random' })).statusCode).toBe(400);
  });

  it('matches leads to reps by profile: each rep gets the sources they convert', async () => {
    await resetLeads();
    const [a1, a2] = [org.users.repA1.id, org.users.repA2.id];
    // History: a1 converts trade-show leads, a2 converts website leads.
    const history = (rep: string, source: string, status: string, n: number) =>
      t.db.pool.query(
        `INSERT INTO leads (tenant_id, company, source, status, owner_id, claimed_at, converted_at)
         SELECT $1, '历史' || $2 || g, $2, $3, $4, now(), CASE WHEN $3 = 'converted' THEN now() END
           FROM generate_series(1, $5) g`,
        [t.tenantId, source, status, rep, n],
      );
    await history(a1, '展会', 'converted', 8);
    await history(a1, '官网', 'invalid', 8);
    await history(a2, '官网', 'converted', 8);
    await history(a2, '展会', 'invalid', 8);
    const fair = await poolLeads(3, { source: '展会' });
    const web = await poolLeads(3, { source: '官网' });
    const res = (
      await share({
        entity: 'lead',
        ids: [...fair, ...web].map((l) => l.id),
        strategy: 'profile',
        userIds: [a1, a2],
      })
    ).json<DistributeResult>();
    expect(res.assigned).toBe(6);
    expect(await ownersOf(fair.map((l) => l.id))).toEqual([a1, a1, a1]);
    expect(await ownersOf(web.map((l) => l.id))).toEqual([a2, a2, a2]);
  });
});

describe('assignment rules on new pool leads', () => {
  it('share matching new leads automatically, round robin carrying on between leads', async () => {
    const [a1, a2] = [org.users.repA1.id, org.users.repA2.id].sort();
    const created = await t.admin.post('/api/v1/assignment-rules', {
      poolId: defaultPool.id,
      name: '官网线索轮流分配',
      sources: ['官网'],
      strategy: 'round_robin',
      userIds: [a1, a2],
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json<AssignmentRule>();
    expect(
      (
        await t.admin.post('/api/v1/assignment-rules', {
          ...rule,
          id: undefined,
          createdAt: undefined,
          userIds: [],
          nodeId: null,
        })
      ).statusCode,
    ).toBe(400);

    const web = await poolLeads(3, { source: '官网' });
    const other = await poolLeads(1, { source: '展会' });
    expect(await ownersOf(web.map((l) => l.id))).toEqual([a1, a2, a1]);
    expect(await ownersOf(other.map((l) => l.id))).toEqual([null]);
    const got = (await t.admin.get(`/api/v1/leads/${web[0]?.id ?? ''}`)).json<Lead>();
    expect(got.status).toBe('pending');

    expect((await t.admin.del(`/api/v1/assignment-rules/${rule.id}`)).statusCode).toBe(200);
    expect(
      (await t.admin.get('/api/v1/assignment-rules')).json<{ items: unknown[] }>().items,
    ).toEqual([]);
  });
});

describe('the verification queue', () => {
  it('holds new leads of a verifying pool until telesales verify them', async () => {
    await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, { requireVerification: true });
    const [waiting, wrong] = await poolLeads(2);
    expect(waiting?.verification).toBe('pending');
    const claim = await org.users.repA1.client.post(`/api/v1/leads/${waiting?.id ?? ''}/claim`);
    expect(claim.statusCode).toBe(422);
    expect(claim.json<ErrorJson>().error.details).toMatchObject({ rule: 'verification' });

    const tele = org.users.telesales.client;
    const queue = (await tele.get('/api/v1/verification-queue')).json<Page<Lead>>();
    expect(queue.items.map((l) => l.id)).toEqual([waiting?.id, wrong?.id]);
    expect((await org.users.repA1.client.get('/api/v1/verification-queue')).statusCode).toBe(403);

    expect(
      (
        await tele.post(`/api/v1/leads/${wrong?.id ?? ''}/verification`, {
          result: 'wrong_number',
          note: '空号',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await tele.post(`/api/v1/leads/${waiting?.id ?? ''}/verification`, { result: 'verified' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await tele.post(`/api/v1/leads/${waiting?.id ?? ''}/verification`, { result: 'verified' }))
        .statusCode,
    ).toBe(409);
    expect((await tele.get('/api/v1/verification-queue')).json<Page<Lead>>().total).toBe(0);
    const timeline = (await t.admin.get(`/api/v1/leads/${wrong?.id ?? ''}/timeline`)).json<{
      items: TimelineItem[];
    }>();
    expect(JSON.stringify(timeline)).toContain('空号');

    expect(
      (await org.users.repA1.client.post(`/api/v1/leads/${waiting?.id ?? ''}/claim`)).statusCode,
    ).toBe(200);
    const refused = await org.users.repA1.client.post(`/api/v1/leads/${wrong?.id ?? ''}/claim`);
    expect(refused.json<ErrorJson>().error.message).toBe('This lead failed its verification call');
    await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, { requireVerification: false });
  });
});

describe('public web intake', () => {
  it('takes leads from a website form into its pool: keyed, cleaned, matched, rate-limited, with a honeypot', async () => {
    const created = await t.admin.post('/api/v1/intake-forms', {
      name: '官网咨询表单',
      poolId: defaultPool.id,
      source: '官网表单',
      perMinute: 4,
    });
    expect(created.statusCode, created.body).toBe(201);
    const form = created.json<IntakeForm>();
    expect(form.formKey.length).toBeGreaterThanOrEqual(20);
    const post = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/intake/leads',
        payload: { formKey: form.formKey, ...body },
      });

    const ok = await post({
      company: '表单来客科技有限公司',
      contactName: '钱总',
      phone: '139 1234 5678',
      message: '想了解报价',
    });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    const { rows } = await t.db.pool.query<{
      id: string;
      source: string;
      status: string;
      pool_id: string;
    }>(`SELECT id, source, status, pool_id FROM leads WHERE phone_e164 = '+8613912345678'`);
    expect(rows).toEqual([
      { id: rows[0]?.id, source: '官网表单', status: 'unassigned', pool_id: defaultPool.id },
    ]);

    // The same number again: linked to the lead as a follow-up, no second lead.
    expect(
      (await post({ contactName: '钱总', phone: '13912345678', message: '再次咨询' })).statusCode,
    ).toBe(202);
    const again = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM leads WHERE phone_e164 = '+8613912345678'`,
    );
    expect(again.rows[0]?.n).toBe(1);

    // A bot fills the honeypot: accepted, and nothing is stored.
    expect(
      (await post({ company: '机器人公司', phone: '13812340000', website: 'http://spam' }))
        .statusCode,
    ).toBe(202);
    const bot = await t.db.pool.query(`SELECT 1 FROM leads WHERE company = '机器人公司'`);
    expect(bot.rows).toEqual([]);

    const bad = await post({ company: '错号公司', phone: '12345' });
    expect(bad.statusCode).toBe(400);
    expect((await post({ company: '无联系方式' })).statusCode).toBe(400);
    const limited = await post({ company: '第五次提交公司', phone: '13812349999' });
    expect(limited.statusCode).toBe(429);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/intake/leads',
      payload: { formKey: 'no-such-form-key', phone: '13812340001' },
    });
    expect(unknown.statusCode).toBe(404);
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/intake/leads' });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');
    expect((await org.users.repA1.client.get('/api/v1/intake-forms')).statusCode).toBe(403);
  });
});

describe('a departure transfer', () => {
  it('may take a colleague over capacity, and tells their manager', async () => {
    await resetLeads();
    const [leaver, heir] = [org.users.squadRep, org.users.repA2];
    const limit = await t.admin.post('/api/v1/capacity-limits', {
      scope: 'user',
      userId: heir.id,
      entity: 'lead',
      maxRecords: 1,
      dailyClaims: null,
    });
    expect(limit.statusCode).toBe(201);
    for (const l of await poolLeads(2))
      expect((await leaver.client.post(`/api/v1/leads/${l.id}/claim`)).statusCode).toBe(200);
    const res = await t.admin.post(`/api/v1/users/${leaver.id}/deactivate`, {
      transferTo: heir.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    const inbox = (await org.users.mgrA.client.get('/api/v1/notifications')).json<
      Page<{ kind: string; data: Record<string, unknown> }>
    >();
    expect(inbox.items.find((n) => n.kind === 'capacity_exceeded')?.data).toMatchObject({
      userId: heir.id,
      used: 2,
      max: 1,
      entity: 'lead',
    });
  });
});
