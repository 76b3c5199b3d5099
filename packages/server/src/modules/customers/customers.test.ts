import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Customer, Page, TimelineItem } from '@tide/contract';
import {
  createTestApp,
  isPglite,
  onServerOnly,
  type Client,
  type TestApp,
} from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
});
afterAll(async () => {
  await t.close();
});

async function newCustomer(c: Client, body: Record<string, unknown> = {}): Promise<Customer> {
  const res = await c.post('/api/v1/customers', { name: '杭州云帆科技有限公司', ...body });
  expect(res.statusCode).toBe(201);
  return res.json<Customer>();
}

describe('customers', () => {
  it('creates private or public customers, with the owner rule of leads', async () => {
    const mine = await newCustomer(org.users.repA1.client, {
      creditCode: '91330100ma27xxxx1j',
      tags: ['VIP'],
      kind: 'company',
    });
    expect(mine).toMatchObject({
      poolState: 'private',
      ownerId: org.users.repA1.id,
      creditCode: '91330100MA27XXXX1J',
      tags: ['VIP'],
    });
    const pub = await newCustomer(org.users.repA1.client, {
      ownerId: null,
      kind: 'person',
      name: '张女士',
    });
    expect(pub).toMatchObject({ poolState: 'public', ownerId: null, kind: 'person' });
    expect(
      (
        await org.users.repA1.client.post('/api/v1/customers', {
          name: 'x',
          ownerId: org.users.repA2.id,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await org.users.mgrA.client.post('/api/v1/customers', {
          name: 'x',
          ownerId: org.users.repA2.id,
        })
      ).statusCode,
    ).toBe(201);
    expect((await t.admin.post('/api/v1/customers', { name: '' })).statusCode).toBe(400);
    expect((await t.admin.post('/api/v1/customers', { name: 'x', kind: 'robot' })).statusCode).toBe(
      400,
    );
  });

  it('claims and returns through the handover history', async () => {
    const c = await newCustomer(t.admin, { ownerId: null, name: '公海客户' });
    const claimed = await org.users.repA1.client.post(`/api/v1/customers/${c.id}/claim`);
    expect(claimed.json<Customer>()).toMatchObject({
      poolState: 'private',
      ownerId: org.users.repA1.id,
    });
    const late = await org.users.repC1.client.post(`/api/v1/customers/${c.id}/claim`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      error: { code: 'ALREADY_CLAIMED', details: { ownerName: 'a.rep1' } },
    });
    expect(
      (await org.users.repA2.client.post(`/api/v1/customers/${c.id}/return`, { reason: 'x' }))
        .statusCode,
    ).toBe(404);
    const back = await org.users.repA1.client.post(`/api/v1/customers/${c.id}/return`, {
      reason: '不是目标客户',
    });
    expect(back.json<Customer>().poolState).toBe('public');
    expect(
      (await org.users.repA1.client.post(`/api/v1/customers/${c.id}/return`, { reason: 'again' }))
        .statusCode,
    ).toBe(409);
    const { rows } = await t.db.pool.query<{ action: string; reason: string | null }>(
      `SELECT action, reason FROM handovers WHERE entity = 'customer' AND entity_id = $1 ORDER BY at`,
      [c.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['create', 'claim', 'return']);
    expect(rows[2]?.reason).toBe('不是目标客户');
  });

  it('logs follow-ups on owned customers onto the timeline, not on public ones', async () => {
    const c = await newCustomer(org.users.repA1.client, { name: '跟进客户' });
    const fu = await org.users.repA1.client.post(`/api/v1/customers/${c.id}/follow-ups`, {
      type: 'visit',
      content: '上门拜访，介绍方案',
    });
    expect(fu.statusCode).toBe(201);
    expect(
      (
        await org.users.repA2.client.post(`/api/v1/customers/${c.id}/follow-ups`, {
          type: 'call',
          content: 'x',
        })
      ).statusCode,
    ).toBe(404);
    const tl = (await org.users.mgrA.client.get(`/api/v1/customers/${c.id}/timeline`)).json<{
      items: TimelineItem[];
    }>().items;
    expect(tl.map((i) => i.action)).toEqual(['visit', 'create']);
    const pub = await newCustomer(t.admin, { ownerId: null });
    expect(
      (await t.admin.post(`/api/v1/customers/${pub.id}/follow-ups`, { type: 'call', content: 'x' }))
        .statusCode,
    ).toBe(409);
  });

  it('lists with filters, search by name, credit code or phone digits', async () => {
    const rep = org.users.repC1.client;
    await newCustomer(rep, {
      name: '广州搜索甲',
      phone: '020-8888 1234',
      source: 'fair',
      tags: ['重点'],
    });
    await newCustomer(rep, { name: '广州搜索乙', creditCode: '91440101MA5ABCDE1M', source: 'web' });
    const byName = (await rep.get('/api/v1/customers?q=广州搜索&sort=name')).json<Page<Customer>>();
    expect(byName.items.map((c) => c.name)).toEqual(['广州搜索乙', '广州搜索甲'].sort());
    expect(
      (await rep.get('/api/v1/customers?q=88881234'))
        .json<Page<Customer>>()
        .items.map((c) => c.name),
    ).toEqual(['广州搜索甲']);
    expect(
      (await rep.get('/api/v1/customers?q=91440101ma5abcde1m'))
        .json<Page<Customer>>()
        .items.map((c) => c.name),
    ).toEqual(['广州搜索乙']);
    expect((await rep.get('/api/v1/customers?tag=重点')).json<Page<Customer>>().total).toBe(1);
    expect(
      (await rep.get('/api/v1/customers?q=广州搜索&source=web')).json<Page<Customer>>().total,
    ).toBe(1);
    expect(
      (await rep.get('/api/v1/customers?poolState=public&q=广州搜索')).json<Page<Customer>>().total,
    ).toBe(0);
  });

  it('lets reps create but not delete', async () => {
    const c = await newCustomer(org.users.repA1.client);
    expect((await org.users.repA1.client.del(`/api/v1/customers/${c.id}`)).statusCode).toBe(403);
    expect((await org.users.mgrA.client.del(`/api/v1/customers/${c.id}`)).statusCode).toBe(200);
    expect((await t.admin.get(`/api/v1/customers/${c.id}`)).statusCode).toBe(404);
  });

  it('moves a departing rep’s customers to the pool with handovers', async () => {
    await t.admin.post('/api/v1/users', {
      username: 'cust.leaver',
      password: 'cust-leaver-1',
      displayName: '离职',
      nodeId: org.nodes.teamA,
      roles: ['sales'],
    });
    const leaver = await t.login('cust.leaver', 'cust-leaver-1');
    const me = (await leaver.get('/api/v1/me')).json<{ id: string }>();
    const c = await newCustomer(leaver);
    await t.admin.post(`/api/v1/users/${me.id}/deactivate`, { transferTo: 'pool' });
    expect((await t.admin.get(`/api/v1/customers/${c.id}`)).json<Customer>().poolState).toBe(
      'public',
    );
  });

  it.skipIf(isPglite)(
    `gives a public customer to exactly one of many claimers (skipped on PGlite: ${onServerOnly})`,
    async () => {
      const c = await newCustomer(t.admin, { ownerId: null });
      const claimers = [
        org.users.repA1,
        org.users.repA2,
        org.users.repB1,
        org.users.repC1,
        org.users.squadRep,
      ];
      const answers = await Promise.all(
        claimers.map((u) => u.client.post(`/api/v1/customers/${c.id}/claim`)),
      );
      expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.statusCode === 409)).toHaveLength(claimers.length - 1);
    },
  );
});

describe('contacts', () => {
  it('belong to a customer, many per customer, editable by its owner', async () => {
    const c = await newCustomer(org.users.repA1.client, { name: '联系人客户' });
    const rep = org.users.repA1.client;
    const a = await rep.post('/api/v1/contacts', {
      customerId: c.id,
      name: '李总',
      title: '总经理',
      phone: '13912345678',
      birthday: '1980-05-01',
    });
    expect(a.statusCode).toBe(201);
    expect(a.json<Contact>()).toMatchObject({ customerName: '联系人客户', birthday: '1980-05-01' });
    await rep.post('/api/v1/contacts', { customerId: c.id, name: '王经理' });
    const list = (await rep.get(`/api/v1/contacts?customerId=${c.id}&sort=name`)).json<
      Page<Contact>
    >();
    expect(list.total).toBe(2);
    const edited = await rep.patch(`/api/v1/contacts/${a.json<Contact>().id}`, { title: '董事长' });
    expect(edited.json<Contact>().title).toBe('董事长');
    expect(
      (await org.users.repA2.client.post('/api/v1/contacts', { customerId: c.id, name: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await org.users.repA2.client.patch(`/api/v1/contacts/${a.json<Contact>().id}`, {
          title: 'x',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await rep.post('/api/v1/contacts', { customerId: c.id, name: 'x', email: 'bad' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await rep.post('/api/v1/contacts', { customerId: c.id, name: 'x', birthday: '1980-13-01' }))
        .statusCode,
    ).toBe(400);
  });
});
