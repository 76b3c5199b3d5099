import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Customer,
  FollowUp,
  Opportunity,
  OpportunityStage,
  Page,
  StageChange,
} from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
let customerId: string;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  customerId = (
    await org.users.repA1.client.post('/api/v1/customers', { name: '商机客户' })
  ).json<Customer>().id;
});
afterAll(async () => {
  await t.close();
});

async function newOpp(
  c: Client = org.users.repA1.client,
  body: Record<string, unknown> = {},
): Promise<Opportunity> {
  const res = await c.post('/api/v1/opportunities', {
    customerId,
    name: 'ERP 项目',
    amount: 128000.5,
    expectedCloseDate: '2026-12-31',
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json<Opportunity>();
}

describe('opportunity stages', () => {
  it('start as the defaults of SPEC §3', async () => {
    const stages = (await org.users.repA1.client.get('/api/v1/opportunity-stages')).json<{
      items: OpportunityStage[];
    }>().items;
    expect(stages.map((s) => [s.key, s.name, s.probability, s.outcome])).toEqual([
      ['initial', '初步沟通', 10, 'open'],
      ['intent', '确定意向', 30, 'open'],
      ['proposal', '方案报价', 60, 'open'],
      ['negotiation', '商务洽谈', 80, 'open'],
      ['won', '赢单', 100, 'won'],
      ['lost', '输单', 0, 'lost'],
    ]);
  });

  it('are edited by admins only, keeping one won and one lost stage and every stage in use', async () => {
    const base = (await t.admin.get('/api/v1/opportunity-stages')).json<{
      items: OpportunityStage[];
    }>().items;
    const stages = base.map(({ key, name, probability, outcome }) => ({
      key,
      name,
      probability,
      outcome,
    }));
    expect(
      (await org.users.mgrA.client.request('PUT', '/api/v1/opportunity-stages', { stages }))
        .statusCode,
    ).toBe(403);
    const withDemo = [
      ...stages.slice(0, 2),
      { key: 'demo', name: '产品演示', probability: 45, outcome: 'open' },
      ...stages.slice(2),
    ];
    const ok = await t.admin.request('PUT', '/api/v1/opportunity-stages', { stages: withDemo });
    expect(ok.json<{ items: OpportunityStage[] }>().items.map((s) => s.key)).toEqual([
      'initial',
      'intent',
      'demo',
      'proposal',
      'negotiation',
      'won',
      'lost',
    ]);
    const noLost = withDemo.filter((s) => s.key !== 'lost');
    expect(
      (await t.admin.request('PUT', '/api/v1/opportunity-stages', { stages: noLost })).statusCode,
    ).toBe(400);
    await newOpp(org.users.repA1.client, { stage: 'demo' });
    const dropUsed = await t.admin.request('PUT', '/api/v1/opportunity-stages', { stages });
    expect(dropUsed.statusCode).toBe(409);
    expect(dropUsed.json()).toMatchObject({ error: { details: { inUse: ['demo'] } } });
  });
});

describe('opportunities', () => {
  it('are created for a customer the caller works, owned by the customer owner', async () => {
    const o = await newOpp();
    expect(o).toMatchObject({
      stage: 'initial',
      stageName: '初步沟通',
      probability: 10,
      status: 'open',
      ownerId: org.users.repA1.id,
      amount: 128000.5,
      customerName: '商机客户',
    });
    expect(
      (await org.users.repA2.client.post('/api/v1/opportunities', { customerId, name: 'x' }))
        .statusCode,
    ).toBe(404);
    const byManager = await newOpp(org.users.mgrA.client);
    expect(byManager.ownerId).toBe(org.users.repA1.id);
    expect(
      (
        await org.users.repA1.client.post('/api/v1/opportunities', {
          customerId,
          name: 'x',
          stage: 'won',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await org.users.repA1.client.post('/api/v1/opportunities', {
          customerId,
          name: 'x',
          amount: -1,
        })
      ).statusCode,
    ).toBe(400);
  });

  it('move through stages with history; lost needs a reason; won closes; reopening works', async () => {
    const rep = org.users.repA1.client;
    const o = await newOpp();
    const intent = await rep.post(`/api/v1/opportunities/${o.id}/stage`, { stage: 'intent' });
    expect(intent.json<Opportunity>()).toMatchObject({ stage: 'intent', probability: 30 });
    expect(
      (await rep.post(`/api/v1/opportunities/${o.id}/stage`, { stage: 'lost' })).statusCode,
    ).toBe(400);
    const lost = await rep.post(`/api/v1/opportunities/${o.id}/stage`, {
      stage: 'lost',
      lostReason: '预算不足',
    });
    expect(lost.json<Opportunity>()).toMatchObject({
      status: 'lost',
      lostReason: '预算不足',
      probability: 0,
    });
    expect(lost.json<Opportunity>().closedAt).not.toBeNull();
    const reopened = await rep.post(`/api/v1/opportunities/${o.id}/stage`, {
      stage: 'negotiation',
    });
    expect(reopened.json<Opportunity>()).toMatchObject({
      status: 'open',
      lostReason: null,
      closedAt: null,
    });
    const won = await rep.post(`/api/v1/opportunities/${o.id}/stage`, { stage: 'won' });
    expect(won.json<Opportunity>()).toMatchObject({ status: 'won', probability: 100 });
    expect(
      (await rep.post(`/api/v1/opportunities/${o.id}/stage`, { stage: 'won' })).statusCode,
    ).toBe(409);
    expect(
      (await rep.post(`/api/v1/opportunities/${o.id}/stage`, { stage: 'nope' })).statusCode,
    ).toBe(400);
    const history = (
      await org.users.mgrA.client.get(`/api/v1/opportunities/${o.id}/stage-history`)
    ).json<{ items: StageChange[] }>().items;
    expect(history.map((h) => [h.fromStage, h.toStage])).toEqual([
      [null, 'initial'],
      ['initial', 'intent'],
      ['intent', 'lost'],
      ['lost', 'negotiation'],
      ['negotiation', 'won'],
    ]);
    expect(
      (
        await org.users.repA2.client.post(`/api/v1/opportunities/${o.id}/stage`, {
          stage: 'lost',
          lostReason: 'x',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('list by stage, status and customer, sorted by amount', async () => {
    const c = org.users.repC1.client;
    const cust = (await c.post('/api/v1/customers', { name: '排序客户' })).json<Customer>().id;
    for (const amount of [300, 100, 200])
      await c.post('/api/v1/opportunities', { customerId: cust, name: `单${amount}`, amount });
    const page = (await c.get(`/api/v1/opportunities?customerId=${cust}&sort=-amount`)).json<
      Page<Opportunity>
    >();
    expect(page.items.map((o) => o.amount)).toEqual([300, 200, 100]);
    expect((await c.get('/api/v1/opportunities?status=won')).json<Page<Opportunity>>().total).toBe(
      0,
    );
    expect(
      (await c.get('/api/v1/opportunities?stage=initial')).json<Page<Opportunity>>().total,
    ).toBe(3);
  });

  it('take follow-ups through the generic endpoint too, and show them on the timeline', async () => {
    const o = await newOpp();
    const fu = await org.users.repA1.client.post('/api/v1/follow-ups', {
      entityType: 'opportunity',
      entityId: o.id,
      type: 'meeting',
      content: '方案评审会',
    });
    expect(fu.statusCode).toBe(201);
    expect(fu.json<FollowUp>()).toMatchObject({ entityType: 'opportunity', entityId: o.id });
    const list = (
      await org.users.mgrA.client.get(`/api/v1/follow-ups?entityType=opportunity&entityId=${o.id}`)
    ).json<Page<FollowUp>>();
    expect(list.total).toBe(1);
    expect(
      (await org.users.repA2.client.get(`/api/v1/follow-ups/${fu.json<FollowUp>().id}`)).statusCode,
    ).toBe(404);
    const tl = (await org.users.repA1.client.get(`/api/v1/opportunities/${o.id}/timeline`)).json<{
      items: { action: string }[];
    }>().items;
    expect(tl.map((i) => i.action)).toContain('meeting');
    expect(
      (
        await org.users.repA2.client.post('/api/v1/follow-ups', {
          entityType: 'opportunity',
          entityId: o.id,
          type: 'call',
          content: 'x',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('follow their customer when the owner leaves to the pool, and come back with the next claim', async () => {
    await t.admin.post('/api/v1/users', {
      username: 'opp.leaver',
      password: 'opp-leaver-1',
      displayName: '离职',
      nodeId: org.nodes.teamA,
      roles: ['sales'],
    });
    const leaver = await t.login('opp.leaver', 'opp-leaver-1');
    const me = (await leaver.get('/api/v1/me')).json<{ id: string }>();
    const cust = (await leaver.post('/api/v1/customers', { name: '离职客户' })).json<Customer>().id;
    const o = (
      await leaver.post('/api/v1/opportunities', { customerId: cust, name: '在谈项目' })
    ).json<Opportunity>();
    await t.admin.post(`/api/v1/users/${me.id}/deactivate`, { transferTo: 'pool' });
    expect(
      (await t.admin.get(`/api/v1/opportunities/${o.id}`)).json<Opportunity>().ownerId,
    ).toBeNull();
    await org.users.repA2.client.post(`/api/v1/customers/${cust}/claim`);
    expect(
      (await org.users.repA2.client.get(`/api/v1/opportunities/${o.id}`)).json<Opportunity>()
        .ownerId,
    ).toBe(org.users.repA2.id);
  });
});

describe('correcting follow-ups', () => {
  it('lets the author or their manager change content and plan, audited; nobody else', async () => {
    const o = await newOpp();
    const fu = (
      await org.users.repA1.client.post('/api/v1/follow-ups', {
        entityType: 'opportunity',
        entityId: o.id,
        type: 'call',
        content: '初稿',
      })
    ).json<FollowUp>();
    const edited = await org.users.repA1.client.patch(`/api/v1/follow-ups/${fu.id}`, {
      content: '电话沟通：客户要求下周报价',
      nextAt: '2026-12-02T02:00:00.000Z',
    });
    expect(edited.json<FollowUp>()).toMatchObject({
      content: '电话沟通：客户要求下周报价',
      nextAt: '2026-12-02T02:00:00.000Z',
    });
    expect(
      (
        await org.users.mgrA.client.patch(`/api/v1/follow-ups/${fu.id}`, { result: '需报价' })
      ).json<FollowUp>().result,
    ).toBe('需报价');
    expect(
      (await org.users.repA2.client.patch(`/api/v1/follow-ups/${fu.id}`, { content: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await org.users.repA1.client.patch(`/api/v1/follow-ups/${fu.id}`, { content: '' }))
        .statusCode,
    ).toBe(400);
    const audit = (await t.admin.get(`/api/v1/audit?entity=follow_up&entityId=${fu.id}`)).json<
      Page<{ changes: Record<string, unknown> }>
    >();
    expect(audit.items[audit.items.length - 1]?.changes.content).toEqual({
      before: '初稿',
      after: '电话沟通：客户要求下周报价',
    });
  });
});

describe('agenda across records', () => {
  it('lists plans on the caller’s customers and open opportunities too', async () => {
    const rep = org.users.squadRep.client;
    const cust = (await rep.post('/api/v1/customers', { name: '议程客户' })).json<Customer>();
    const opp = (
      await rep.post('/api/v1/opportunities', { customerId: cust.id, name: '议程商机' })
    ).json<Opportunity>();
    const past = new Date(Date.now() - 60_000).toISOString();
    await rep.post(`/api/v1/customers/${cust.id}/follow-ups`, {
      type: 'visit',
      content: '约拜访',
      nextAt: past,
    });
    await rep.post(`/api/v1/opportunities/${opp.id}/follow-ups`, {
      type: 'call',
      content: '催报价',
      nextAt: past,
    });
    const names = (await rep.get('/api/v1/agenda'))
      .json<{ items: { entityName: string }[] }>()
      .items.map((i) => i.entityName);
    expect(names.sort()).toEqual(['议程商机', '议程客户'].sort());
    await rep.post(`/api/v1/opportunities/${opp.id}/stage`, { stage: 'lost', lostReason: '放弃' });
    const after = (await rep.get('/api/v1/agenda'))
      .json<{ items: { entityName: string }[] }>()
      .items.map((i) => i.entityName);
    expect(after).toEqual(['议程客户']);
  });
});
