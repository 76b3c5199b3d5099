import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  CapacityAdjustment,
  CapacityLimit,
  CollusionPair,
  Customer,
  JobQueue,
  Lead,
  Notification,
  Page,
  Pool,
  RecordPoolState,
  Territory,
  UserCapacity,
} from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';
import { sweepPools } from './sweep.ts';

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

let phoneSeq = 0;
async function poolLead(company: string, extra: Record<string, unknown> = {}): Promise<Lead> {
  phoneSeq++;
  const res = await t.admin.post('/api/v1/leads', {
    company,
    phone: `1370000${String(phoneSeq).padStart(4, '0')}`,
    ownerId: null,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Lead>();
}

/** Moves a record's clock back, as if it had been claimed `days` ago. */
async function claimedDaysAgo(table: 'leads' | 'customers', id: string, days: number) {
  await t.db.pool.query(
    `UPDATE ${table} SET claimed_at = now() - make_interval(days => $2) WHERE id = $1`,
    [id, days],
  );
}

async function claim(c: Client, id: string) {
  return c.post(`/api/v1/leads/${id}/claim`);
}

async function clearLimits() {
  const limits = (await t.admin.get('/api/v1/capacity-limits')).json<{ items: CapacityLimit[] }>();
  for (const l of limits.items) await t.admin.del(`/api/v1/capacity-limits/${l.id}`);
}

describe('pools and their rules', () => {
  it('creates, edits and deletes a pool bound to a node, validating its rules', async () => {
    const created = await t.admin.post('/api/v1/pools', {
      name: '华南公海',
      nodeId: org.nodes.south,
      protectDays: 7,
      rules: [
        { entity: 'lead', kind: 'no_follow_up', days: 15, warnDays: 3 },
        { entity: 'customer', kind: 'no_won_opportunity', days: 90 },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const pool = created.json<Pool>();
    expect(pool).toMatchObject({
      name: '华南公海',
      nodeName: '华南',
      protectDays: 7,
      isDefault: false,
      counts: { lead: 0, customer: 0 },
    });
    expect(pool.rules.map((r) => [r.entity, r.kind, r.days, r.warnDays])).toEqual([
      ['customer', 'no_won_opportunity', 90, 0],
      ['lead', 'no_follow_up', 15, 3],
    ]);

    const bad = [
      { rules: [{ entity: 'lead', kind: 'no_follow_up', days: 5, warnDays: 5 }] },
      { rules: [{ entity: 'lead', kind: 'no_won_opportunity', days: 5 }] },
      { protectDays: -1 },
      { nodeId: '00000000-0000-4000-8000-000000000000' },
    ];
    for (const body of bad) {
      const res = await t.admin.patch(`/api/v1/pools/${pool.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const twice = await t.admin.patch(`/api/v1/pools/${pool.id}`, {
      rules: [
        { entity: 'lead', kind: 'no_visit', days: 5 },
        { entity: 'lead', kind: 'no_visit', days: 9 },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(
      (await t.admin.post('/api/v1/pools', { name: '华南公海', nodeId: org.nodes.south }))
        .statusCode,
    ).toBe(409);
    // Nothing of the refused changes stuck.
    expect((await t.admin.get(`/api/v1/pools/${pool.id}`)).json<Pool>().rules).toHaveLength(2);

    const edited = await t.admin.patch(`/api/v1/pools/${pool.id}`, {
      name: '华南一区公海',
      rules: [{ entity: 'lead', kind: 'no_visit', days: 30, warnDays: 5, enabled: false }],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Pool>()).toMatchObject({
      name: '华南一区公海',
      rules: [{ entity: 'lead', kind: 'no_visit', days: 30, warnDays: 5, enabled: false }],
    });
    const log = (await t.admin.get(`/api/v1/audit?entity=pool&entityId=${pool.id}`)).json<
      Page<AuditEntry>
    >();
    expect(log.items.map((e) => e.action)).toEqual(['update', 'create']);

    // Reps read pools but may not change them; the default pool stays.
    expect((await org.users.repA1.client.get('/api/v1/pools')).statusCode).toBe(200);
    expect(
      (await org.users.repA1.client.patch(`/api/v1/pools/${pool.id}`, { protectDays: 1 }))
        .statusCode,
    ).toBe(403);
    const keepDefault = await t.admin.del(`/api/v1/pools/${defaultPool.id}`);
    expect(keepDefault.statusCode).toBe(422);
    expect((await t.admin.del(`/api/v1/pools/${pool.id}`)).statusCode).toBe(200);
    expect((await t.admin.get(`/api/v1/pools/${pool.id}`)).statusCode).toBe(404);
  });
});

describe('claims under the pool rules', () => {
  it('refuses a claim beyond capacity or the daily limit with the numbers, and assignments beyond capacity', async () => {
    const rep = org.users.repA1;
    const limit = await t.admin.post('/api/v1/capacity-limits', {
      scope: 'user',
      userId: rep.id,
      entity: 'lead',
      maxRecords: 2,
      dailyClaims: null,
    });
    expect(limit.statusCode, limit.body).toBe(201);
    const tenantWide = await t.admin.post('/api/v1/capacity-limits', {
      scope: 'tenant',
      entity: 'lead',
      maxRecords: 100,
      dailyClaims: 3,
    });
    expect(tenantWide.statusCode).toBe(201);
    expect(
      (
        await t.admin.post('/api/v1/capacity-limits', {
          scope: 'tenant',
          entity: 'lead',
          maxRecords: 5,
          dailyClaims: null,
        })
      ).statusCode,
    ).toBe(409);

    const [l1, l2, l3, l4] = await Promise.all(
      ['容量一', '容量二', '容量三', '容量四'].map((n) => poolLead(`${n}有限公司`)),
    );
    if (!l1 || !l2 || !l3 || !l4) throw new Error('leads not created');
    expect((await claim(rep.client, l1.id)).statusCode).toBe(200);
    expect((await claim(rep.client, l2.id)).statusCode).toBe(200);
    const full = await claim(rep.client, l3.id);
    expect(full.statusCode).toBe(422);
    expect(full.json<ErrorJson>().error).toMatchObject({
      code: 'BUSINESS_RULE',
      message: 'Capacity 2 of 2 leads',
      details: { rule: 'capacity', used: 2, max: 2 },
    });
    expect((await t.admin.get(`/api/v1/leads/${l3.id}`)).json<Lead>().ownerId).toBeNull();
    const me = (await rep.client.get('/api/v1/capacity/me')).json<UserCapacity>();
    expect(me.lead).toMatchObject({
      used: 2,
      max: 2,
      maxFrom: 'user',
      claimedToday: 2,
      dailyMax: 3,
      dailyFrom: 'tenant',
    });

    // A manager's assignment counts against capacity too, but not against the daily limit.
    const assign = await org.users.mgrA.client.post(`/api/v1/leads/${l3.id}/assign`, {
      ownerId: rep.id,
    });
    expect(assign.statusCode).toBe(422);
    expect(assign.json<ErrorJson>().error.details).toMatchObject({ rule: 'capacity' });

    // Raising the limit lets the claim through; the daily limit then stops the fourth.
    const limitId = limit.json<CapacityLimit>().id;
    expect(
      (await t.admin.patch(`/api/v1/capacity-limits/${limitId}`, { maxRecords: 10 })).statusCode,
    ).toBe(200);
    expect((await claim(rep.client, l3.id)).statusCode).toBe(200);
    const daily = await claim(rep.client, l4.id);
    expect(daily.statusCode).toBe(422);
    expect(daily.json<ErrorJson>().error).toMatchObject({
      message: 'Daily claim limit 3 of 3 leads',
      details: { rule: 'daily_limit', claimedToday: 3, dailyMax: 3 },
    });
    // Lowering a limit drops nothing.
    expect(
      (await t.admin.patch(`/api/v1/capacity-limits/${limitId}`, { maxRecords: 1 })).statusCode,
    ).toBe(200);
    expect((await rep.client.get('/api/v1/capacity/me')).json<UserCapacity>().lead).toMatchObject({
      used: 3,
      max: 1,
    });
    await clearLimits();
  });

  it('protects a returned record from its former owner for the pool protection days', async () => {
    await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, { protectDays: 5 });
    const lead = await poolLead('保护期测试有限公司');
    const rep = org.users.repA2;
    expect((await claim(rep.client, lead.id)).statusCode).toBe(200);
    expect(
      (await rep.client.post(`/api/v1/leads/${lead.id}/return`, { reason: '暂无需求' })).statusCode,
    ).toBe(200);
    const again = await claim(rep.client, lead.id);
    expect(again.statusCode).toBe(422);
    const err = again.json<ErrorJson>().error;
    expect(err.details).toMatchObject({ rule: 'protected' });
    expect(err.message).toMatch(/^You released this record: protected until \d{4}-\d{2}-\d{2}$/);
    const state = (await rep.client.get(`/api/v1/pool-state?entity=lead&ids=${lead.id}`)).json<{
      items: RecordPoolState[];
    }>().items[0];
    expect(state?.protectedUntil).toBe(err.details?.protectedUntil);
    // Someone else may claim it.
    expect((await claim(org.users.squadRep.client, lead.id)).statusCode).toBe(200);
    await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, { protectDays: 0 });
  });

  it('refuses claims outside the territory, naming the team that owns the region', async () => {
    const bind = (nodeId: string, regionCodes: string[]) =>
      t.admin.put(`/api/v1/org/nodes/${nodeId}/territory`, { regionCodes });
    expect((await bind(org.nodes.teamA, ['330100'])).statusCode).toBe(200);
    expect((await bind(org.nodes.east, ['330000', '310000'])).statusCode).toBe(200);
    expect((await bind(org.nodes.root, ['000000'])).statusCode).toBe(200);
    expect((await bind(org.nodes.teamB, ['999999'])).statusCode).toBe(400);
    expect((await bind(org.nodes.teamB, ['000000', '330100'])).statusCode).toBe(400);
    const territories = (await t.admin.get('/api/v1/territories')).json<{ items: Territory[] }>()
      .items;
    expect(territories.find((x) => x.nodeId === org.nodes.teamA)?.regions).toEqual([
      { code: '330100', name: '浙江省杭州市', level: 2 },
    ]);
    expect(territories.find((x) => x.nodeId === org.nodes.root)?.nationwide).toBe(true);

    const hangzhou = await poolLead('杭州区域测试有限公司', {
      address: '浙江省杭州市西湖区文三路1号',
    });
    const ningbo = await poolLead('宁波区域测试有限公司', {
      address: '浙江省宁波市鄞州区天童路2号',
    });
    // Team B inherits 浙江省 from 华东, but 杭州 is team A's: the most specific binding wins.
    const refused = await claim(org.users.repB1.client, hangzhou.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorJson>().error).toMatchObject({
      message: 'This region (浙江省杭州市) belongs to 杭州一组',
      details: { rule: 'territory', ownerNodeName: '杭州一组' },
    });
    // Team A's squad inherits 杭州 and may not sell in 宁波, which belongs to 华东.
    const squad = await claim(org.users.squadRep.client, ningbo.id);
    expect(squad.json<ErrorJson>().error.message).toBe('This region (浙江省) belongs to 华东');
    // A manager cannot assign across the territory either.
    const assign = await org.users.eastMgr.client.post(`/api/v1/leads/${hangzhou.id}/assign`, {
      ownerId: org.users.repB1.id,
    });
    expect(assign.statusCode).toBe(422);
    expect((await claim(org.users.repA1.client, hangzhou.id)).statusCode).toBe(200);
    expect((await claim(org.users.repB1.client, ningbo.id)).statusCode).toBe(200);
    // The nationwide telesales centre has no limit; records without a region are open.
    const guangzhou = await poolLead('广州区域测试有限公司', {
      address: '广东省广州市天河区体育西路3号',
    });
    expect((await claim(org.users.telesales.client, guangzhou.id)).statusCode).toBe(200);
    const nowhere = await poolLead('无地址测试有限公司');
    expect((await claim(org.users.repB1.client, nowhere.id)).statusCode).toBe(200);

    // Managers find the records no team's territory covers.
    const none = (await t.admin.get('/api/v1/leads?territory=none&pageSize=200'))
      .json<Page<Lead>>()
      .items.map((l) => l.id);
    expect(none).toEqual(expect.arrayContaining([guangzhou.id, nowhere.id]));
    expect(none).not.toContain(hangzhou.id);
    expect(none).not.toContain(ningbo.id);
    for (const node of [org.nodes.teamA, org.nodes.east, org.nodes.root]) await bind(node, []);
  });
});

describe('the sweep', () => {
  it('drops due records set-based with handover, audit and notification, warns once, and is idempotent', async () => {
    const rep = org.users.repC1;
    const res = await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, {
      rules: [
        { entity: 'lead', kind: 'no_follow_up', days: 10, warnDays: 3 },
        { entity: 'customer', kind: 'no_won_opportunity', days: 60 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const ruleId = res.json<Pool>().rules.find((r) => r.entity === 'lead')?.id;
    const stale = await poolLead('久未跟进有限公司');
    const followed = await poolLead('刚跟进过有限公司');
    const soon = await poolLead('即将掉落有限公司');
    for (const l of [stale, followed, soon])
      expect((await claim(rep.client, l.id)).statusCode).toBe(200);
    await claimedDaysAgo('leads', stale.id, 11);
    await claimedDaysAgo('leads', followed.id, 11);
    await claimedDaysAgo('leads', soon.id, 8);
    expect(
      (
        await rep.client.post(`/api/v1/leads/${followed.id}/follow-ups`, {
          type: 'call',
          content: '电话沟通',
        })
      ).statusCode,
    ).toBe(201);

    const first = await sweepPools(t.db.db, t.tenantId);
    expect(first.byRule[ruleId ?? '']).toBe(1);
    const dropped = (await t.admin.get(`/api/v1/leads/${stale.id}`)).json<Lead>();
    expect(dropped).toMatchObject({ status: 'unassigned', ownerId: null, poolId: defaultPool.id });
    expect((await t.admin.get(`/api/v1/leads/${followed.id}`)).json<Lead>().ownerId).toBe(rep.id);

    const handovers = await t.db.pool.query<{
      action: string;
      from_user_id: string;
      rule_id: string;
      reason: string;
    }>(
      `SELECT action, from_user_id, rule_id, reason FROM handovers WHERE entity_id = $1 ORDER BY at`,
      [stale.id],
    );
    expect(handovers.rows.at(-1)).toEqual({
      action: 'drop',
      from_user_id: rep.id,
      rule_id: ruleId,
      reason: 'no_follow_up:10',
    });
    const audit = (await t.admin.get(`/api/v1/audit?entity=lead&entityId=${stale.id}`)).json<
      Page<AuditEntry>
    >();
    expect(audit.items[0]).toMatchObject({
      action: 'drop',
      actorId: null,
      changes: {
        ownerId: { before: rep.id, after: null },
        rule: { after: { id: ruleId, kind: 'no_follow_up', days: 10 } },
      },
    });

    const inbox = (await rep.client.get('/api/v1/notifications')).json<Page<Notification>>();
    const kinds = inbox.items.map((n) => [n.kind, n.entityId]);
    expect(kinds).toContainEqual(['dropped', stale.id]);
    expect(kinds).toContainEqual(['drop_warning', soon.id]);
    expect(inbox.items.find((n) => n.kind === 'dropped')?.data).toMatchObject({
      name: '久未跟进有限公司',
      rule: { kind: 'no_follow_up', days: 10 },
    });

    // Again: nothing more to drop, and the warning is not repeated.
    const second = await sweepPools(t.db.db, t.tenantId);
    expect(second).toMatchObject({ dropped: 0, warned: 0 });
    const count = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM handovers WHERE entity_id = $1 AND action = 'drop'`,
      [stale.id],
    );
    expect(count.rows[0]?.n).toBe(1);

    // Time to drop of a private record, and its rule.
    const state = (
      await rep.client.get(`/api/v1/pool-state?entity=lead&ids=${soon.id},${followed.id}`)
    ).json<{ items: RecordPoolState[] }>().items;
    const soonState = state.find((s) => s.id === soon.id);
    expect(soonState?.dropRule?.id).toBe(ruleId);
    const days = (Date.parse(soonState?.dropAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThan(2.1);
  });

  it('drops a customer without a won opportunity with its open opportunities, and exempts a recent win', async () => {
    await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, { exemptWonDays: 30 });
    const rep = org.users.repC1;
    const mk = async (name: string) => {
      const res = await rep.client.post('/api/v1/customers', { name, kind: 'company' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Customer>();
    };
    const idle = await mk('长期未成交科技有限公司');
    const winner = await mk('近期成交贸易有限公司');
    const opp = await rep.client.post('/api/v1/opportunities', {
      customerId: idle.id,
      name: '年度采购',
      amount: 1000,
    });
    expect(opp.statusCode, opp.body).toBe(201);
    await claimedDaysAgo('customers', idle.id, 61);
    await claimedDaysAgo('customers', winner.id, 61);
    await t.db.pool.query(
      `INSERT INTO opportunities (tenant_id, customer_id, name, amount, stage_key, probability, status, owner_id, closed_at)
       SELECT tenant_id, $1, '已赢单', 5000, 'won', 100, 'won', $2, now() - interval '10 days'
         FROM customers WHERE id = $1`,
      [winner.id, rep.id],
    );
    await sweepPools(t.db.db, t.tenantId);
    expect((await t.admin.get(`/api/v1/customers/${idle.id}`)).json<Customer>().ownerId).toBeNull();
    expect((await t.admin.get(`/api/v1/customers/${winner.id}`)).json<Customer>().ownerId).toBe(
      rep.id,
    );
    const owner = await t.db.pool.query<{ owner_id: string | null }>(
      `SELECT owner_id FROM opportunities WHERE id = $1`,
      [opp.json<{ id: string }>().id],
    );
    expect(owner.rows[0]?.owner_id).toBeNull();
    await t.admin.patch(`/api/v1/pools/${defaultPool.id}`, { rules: [], exemptWonDays: null });
  });
});

describe('anti-collusion', () => {
  it('reports two reps passing records to each other, and blocks the next claim when asked', async () => {
    const [giver, taker, honest] = [org.users.repA1, org.users.repA2, org.users.squadRep];
    const pass = async (company: string) => {
      const lead = await poolLead(company);
      expect((await claim(giver.client, lead.id)).statusCode).toBe(200);
      expect(
        (await giver.client.post(`/api/v1/leads/${lead.id}/return`, { reason: '转给同事' }))
          .statusCode,
      ).toBe(200);
      return lead;
    };
    await t.admin.put('/api/v1/collusion/settings', {
      minHandovers: 3,
      windowDays: 30,
      claimHours: 24,
      block: false,
    });
    for (const n of ['串通一', '串通二', '串通三']) {
      const lead = await pass(`${n}有限公司`);
      expect((await claim(taker.client, lead.id)).statusCode).toBe(200);
    }
    // An honest rep claims one record the giver returned: below K, not reported.
    const once = await pass('正常流转有限公司');
    expect((await claim(honest.client, once.id)).statusCode).toBe(200);

    const report = (await org.users.mgrA.client.get('/api/v1/collusion/report')).json<{
      items: CollusionPair[];
    }>();
    expect(report.items.map((p) => [p.fromUserId, p.toUserId, p.handovers])).toEqual([
      [giver.id, taker.id, 3],
    ]);
    expect(report.items[0]?.records.map((r) => r.name)).toEqual([
      '串通三有限公司',
      '串通二有限公司',
      '串通一有限公司',
    ]);
    expect((await giver.client.get('/api/v1/collusion/report')).statusCode).toBe(403);

    await t.admin.put('/api/v1/collusion/settings', {
      minHandovers: 3,
      windowDays: 30,
      claimHours: 24,
      block: true,
    });
    const fourth = await pass('串通四有限公司');
    const blocked = await claim(taker.client, fourth.id);
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json<ErrorJson>().error.details).toMatchObject({
      rule: 'collusion',
      handovers: 4,
      minHandovers: 3,
    });
    // Others may still claim it.
    expect((await claim(honest.client, fourth.id)).statusCode).toBe(200);
    await t.admin.put('/api/v1/collusion/settings', {
      minHandovers: 3,
      windowDays: 30,
      claimHours: 24,
      block: false,
    });
  });
});

describe('the message center and the jobs page', () => {
  it('lists, counts and marks my notifications, and nobody else’s', async () => {
    const rep = org.users.repC1.client;
    const unread = (await rep.get('/api/v1/notifications/unread-count')).json<{ unread: number }>()
      .unread;
    expect(unread).toBeGreaterThan(0);
    const page = (await rep.get('/api/v1/notifications?unread=true&pageSize=1')).json<
      Page<Notification>
    >();
    expect(page).toMatchObject({ total: unread, pageSize: 1 });
    const one = page.items[0];
    if (!one) throw new Error('no notification');
    expect(
      (await org.users.repA1.client.post(`/api/v1/notifications/${one.id}/read`)).statusCode,
    ).toBe(404);
    expect((await rep.post(`/api/v1/notifications/${one.id}/read`)).json<Notification>().read).toBe(
      true,
    );
    expect(
      (await rep.get('/api/v1/notifications/unread-count')).json<{ unread: number }>().unread,
    ).toBe(unread - 1);
    expect((await rep.post('/api/v1/notifications/read-all')).statusCode).toBe(200);
    expect(
      (await rep.get('/api/v1/notifications/unread-count')).json<{ unread: number }>().unread,
    ).toBe(0);
  });

  it('shows the pool sweep with its Asia/Shanghai schedule, and runs it on request', async () => {
    const jobs = (await t.admin.get('/api/v1/jobs')).json<{ items: JobQueue[] }>().items;
    const sweep = jobs.find((j) => j.name === 'pool-sweep');
    expect(sweep).toMatchObject({ cron: '*/15 * * * *', timezone: 'Asia/Shanghai' });
    expect(Date.parse(sweep?.nextRunAt ?? '')).toBeGreaterThan(Date.now());
    expect((await org.users.repA1.client.get('/api/v1/jobs')).statusCode).toBe(403);
    expect((await t.admin.post('/api/v1/jobs/no-such-job/run')).statusCode).toBe(404);
    expect((await t.admin.post('/api/v1/jobs/pool-sweep/run')).statusCode).toBe(200);
    let last: JobQueue | undefined;
    for (let i = 0; i < 100 && !last?.lastRunAt; i++) {
      await new Promise((r) => setTimeout(r, 100));
      last = (await t.admin.get('/api/v1/jobs'))
        .json<{ items: JobQueue[] }>()
        .items.find((j) => j.name === 'pool-sweep');
    }
    expect(last).toMatchObject({ lastState: 'completed', failures: 0 });
  });
});

describe('monthly capacity adjustment (自动调整库容)', () => {
  /** `n` lead handovers to a rep at `at`, and `converted` of those leads converted then. */
  async function month(userId: string, at: string, n: number, converted = 0) {
    await t.db.pool.query(
      `INSERT INTO handovers (tenant_id, entity, entity_id, action, to_user_id, at)
       SELECT $1, 'lead', gen_random_uuid(), 'claim', $2, $3::timestamptz FROM generate_series(1, $4::int)`,
      [t.tenantId, userId, at, n],
    );
    await t.db.pool.query(
      `INSERT INTO leads (tenant_id, company, source, status, owner_id, created_by, claimed_at, converted_at)
       SELECT $1, '转化测试' || i || '-' || $2, 'fair', 'converted', $2::uuid, $2::uuid, $3::timestamptz, $3::timestamptz
         FROM generate_series(1, $4::int) AS i`,
      [t.tenantId, userId, at, converted],
    );
  }
  const capacity = async (c: Client) =>
    (await c.get('/api/v1/capacity/me')).json<UserCapacity>().lead;

  it('moves each rep’s capacity by their conversion rate of the month, within bounds, once', async () => {
    await clearLimits();
    await t.admin.post('/api/v1/capacity-limits', {
      scope: 'tenant',
      entity: 'lead',
      maxRecords: 100,
      dailyClaims: null,
    });
    await t.admin.post('/api/v1/capacity-limits', {
      scope: 'user',
      userId: org.users.repC1.id,
      entity: 'lead',
      maxRecords: 30,
      dailyClaims: null,
    });
    const settings = {
      entity: 'lead',
      enabled: true,
      raiseAtPercent: 30,
      lowerBelowPercent: 10,
      stepPercent: 20,
      minRecords: 50,
      maxRecords: 110,
      minSample: 5,
    };
    const bad = await t.admin.put('/api/v1/capacity-adjustment/settings', {
      ...settings,
      lowerBelowPercent: 40,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await org.users.mgrA.client.put('/api/v1/capacity-adjustment/settings', settings))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.admin.put('/api/v1/capacity-adjustment/settings', settings)).json(),
    ).toMatchObject(settings);

    // September 2026 in Asia/Shanghai: 4 of 10 converted (40%: up a step, held at 110).
    await month(org.users.repA1.id, '2026-09-10T04:00:00Z', 10, 4);
    // 0 of 10: down a step. The first counts (01:00 on 1 September in Shanghai), the
    // last does not (00:30 on 1 October there).
    await month(org.users.repA2.id, '2026-09-15T04:00:00Z', 9);
    await month(org.users.repA2.id, '2026-08-31T17:00:00Z', 1);
    await month(org.users.repA2.id, '2026-09-30T16:30:00Z', 1);
    // Too few to judge; and a personal limit, kept.
    await month(org.users.repB1.id, '2026-09-15T04:00:00Z', 3, 3);
    await month(org.users.repC1.id, '2026-09-15T04:00:00Z', 10, 10);

    expect(
      (await t.admin.post('/api/v1/capacity-adjustment/run', { month: '2026-13' })).statusCode,
    ).toBe(400);
    const run = await t.admin.post('/api/v1/capacity-adjustment/run', { month: '2026-09' });
    expect(run.json()).toEqual({ month: '2026-09', adjusted: 2 });
    expect(await capacity(org.users.repA1.client)).toMatchObject({ max: 110, maxFrom: 'adjusted' });
    expect(await capacity(org.users.repA2.client)).toMatchObject({ max: 80, maxFrom: 'adjusted' });
    expect(await capacity(org.users.repB1.client)).toMatchObject({ max: 100, maxFrom: 'tenant' });
    expect(await capacity(org.users.repC1.client)).toMatchObject({ max: 30, maxFrom: 'user' });

    const history = (
      await t.admin.get('/api/v1/capacity-adjustments?month=2026-09&entity=lead')
    ).json<Page<CapacityAdjustment>>();
    expect(
      history.items
        .map(({ userId, handled, converted, rate, before, after }) => ({
          userId,
          handled,
          converted,
          rate,
          before,
          after,
        }))
        .sort((a, b) => a.after - b.after),
    ).toEqual([
      { userId: org.users.repA2.id, handled: 10, converted: 0, rate: 0, before: 100, after: 80 },
      { userId: org.users.repA1.id, handled: 10, converted: 4, rate: 0.4, before: 100, after: 110 },
    ]);
    const own = (await org.users.repA1.client.get('/api/v1/capacity-adjustments')).json<
      Page<CapacityAdjustment>
    >();
    expect(own.items.map((a) => a.userId)).toEqual([org.users.repA1.id]);
    const told = (await org.users.repA2.client.get('/api/v1/notifications')).json<
      Page<Notification>
    >();
    expect(told.items.find((n) => n.kind === 'capacity_adjusted')?.data).toMatchObject({
      entity: 'lead',
      month: '2026-09',
      before: 100,
      after: 80,
    });

    // Once per month: a second run changes nothing, and compounds nothing.
    expect(
      (await t.admin.post('/api/v1/capacity-adjustment/run', { month: '2026-09' })).json(),
    ).toEqual({ month: '2026-09', adjusted: 0 });
    expect((await capacity(org.users.repA2.client)).max).toBe(80);
    // Adjustment off: the limits apply as set.
    await t.admin.put('/api/v1/capacity-adjustment/settings', { ...settings, enabled: false });
    expect(await capacity(org.users.repA2.client)).toMatchObject({ max: 100, maxFrom: 'tenant' });
    await clearLimits();
  });

  it('is a monthly job on the jobs page', async () => {
    const jobs = (await t.admin.get('/api/v1/jobs')).json<{ items: JobQueue[] }>().items;
    expect(jobs.find((j) => j.name === 'capacity-adjust')).toMatchObject({
      cron: '0 1 1 * *',
      timezone: 'Asia/Shanghai',
    });
  });
});
