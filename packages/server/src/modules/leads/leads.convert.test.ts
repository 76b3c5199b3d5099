import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvertLeadResult, Customer, Lead, Page } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
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

async function lead(c: Client, body: Record<string, unknown>): Promise<Lead> {
  const res = await c.post('/api/v1/leads', body);
  expect(res.statusCode).toBe(201);
  return res.json<Lead>();
}

describe('lead conversion', () => {
  it('creates the customer from the company name, with a contact and an opportunity, in one step', async () => {
    const rep = org.users.repA1.client;
    const l = await lead(rep, {
      company: '苏州明远精密机械有限公司',
      contactName: '周经理',
      phone: '13712345678',
      email: 'zhou@example.com',
      address: '江苏省苏州市工业园区星湖街328号',
      source: 'fair',
    });
    const res = await rep.post(`/api/v1/leads/${l.id}/convert`, {
      opportunity: { name: '数控设备采购', amount: 560000 },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json<ConvertLeadResult>();
    expect(r.linkedExisting).toBe(false);
    expect(r.lead).toMatchObject({ status: 'converted', convertedCustomerId: r.customer.id });
    expect(r.customer).toMatchObject({
      name: '苏州明远精密机械有限公司',
      kind: 'company',
      ownerId: org.users.repA1.id,
      phoneE164: '+8613712345678',
      source: 'fair',
      cityCode: '320500',
    });
    expect(r.contact).toMatchObject({
      name: '周经理',
      customerId: r.customer.id,
      email: 'zhou@example.com',
    });
    expect(r.opportunity).toMatchObject({
      name: '数控设备采购',
      amount: 560000,
      customerId: r.customer.id,
      ownerId: org.users.repA1.id,
      stage: 'initial',
    });
    const again = await rep.post(`/api/v1/leads/${l.id}/convert`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'ILLEGAL_TRANSITION', details: { status: 'converted' } },
    });
  });

  it('links an existing customer found by the duplicate check instead of creating a second one', async () => {
    const rep = org.users.repA1.client;
    const existing = (
      await rep.post('/api/v1/customers', { name: '无锡恒通物流有限公司', phone: '0510-8123 4567' })
    ).json<Customer>();
    const l = await lead(rep, {
      company: '恒通物流（无锡）有限公司',
      contactName: '陈主管',
      phone: '0510 81234567',
    });
    const r = (await rep.post(`/api/v1/leads/${l.id}/convert`, {})).json<ConvertLeadResult>();
    expect(r.linkedExisting).toBe(true);
    expect(r.customer.id).toBe(existing.id);
    const count = (await rep.get('/api/v1/customers?q=恒通物流')).json<Page<Customer>>().total;
    expect(count).toBe(1);
  });

  it('claims a matching customer from the public pool for the lead owner', async () => {
    const pub = (
      await t.admin.post('/api/v1/customers', { name: '嘉兴禾丰农业有限公司', ownerId: null })
    ).json<Customer>();
    const l = await lead(org.users.repA2.client, { company: '嘉兴禾丰农业有限公司' });
    const r = (
      await org.users.repA2.client.post(`/api/v1/leads/${l.id}/convert`, { createContact: false })
    ).json<ConvertLeadResult>();
    expect(r).toMatchObject({
      linkedExisting: true,
      customer: { id: pub.id, ownerId: org.users.repA2.id, poolState: 'private' },
    });
  });

  it('refuses to link into another team’s customer, naming its owner, and changes nothing', async () => {
    await org.users.repB1.client.post('/api/v1/customers', { name: '温州瑞安鞋业有限公司' });
    const l = await lead(org.users.repA1.client, { company: '瑞安鞋业有限公司（温州）' });
    const res = await org.users.repA1.client.post(`/api/v1/leads/${l.id}/convert`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: {
        code: 'CONFLICT',
        details: { customerName: '温州瑞安鞋业有限公司', ownerName: 'b.rep1' },
      },
    });
    expect((await org.users.repA1.client.get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe(
      'pending',
    );
  });

  it('creates a new customer when the tenant turns the duplicate check off', async () => {
    expect(
      (await org.users.mgrA.client.patch('/api/v1/settings', { duplicateCheckOnCreate: false }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.admin.patch('/api/v1/settings', { duplicateCheckOnCreate: false })).json(),
    ).toEqual({ duplicateCheckOnCreate: false });
    const rep = org.users.repC1.client;
    const first = (
      await rep.post('/api/v1/customers', { name: '佛山美达陶瓷有限公司' })
    ).json<Customer>();
    const l = await lead(rep, { company: '佛山美达陶瓷有限公司' });
    const r = (await rep.post(`/api/v1/leads/${l.id}/convert`, {})).json<ConvertLeadResult>();
    expect(r.linkedExisting).toBe(false);
    expect(r.customer.id).not.toBe(first.id);
    await t.admin.patch('/api/v1/settings', { duplicateCheckOnCreate: true });
    expect((await rep.get('/api/v1/settings')).json()).toEqual({ duplicateCheckOnCreate: true });
  });

  it('is refused for other people’s leads, pool leads, and a person lead without a name', async () => {
    const l = await lead(org.users.repA1.client, { company: '台州远景模具有限公司' });
    expect(
      (await org.users.repA2.client.post(`/api/v1/leads/${l.id}/convert`, {})).statusCode,
    ).toBe(404);
    const pooled = await lead(t.admin, { company: '丽水青山茶业有限公司', ownerId: null });
    expect((await t.admin.post(`/api/v1/leads/${pooled.id}/convert`, {})).statusCode).toBe(409);
    const phoneOnly = await lead(org.users.repA1.client, { phone: '13512345678' });
    const noName = await org.users.repA1.client.post(`/api/v1/leads/${phoneOnly.id}/convert`, {});
    expect(noName.statusCode).toBe(400);
    const named = await org.users.repA1.client.post(`/api/v1/leads/${phoneOnly.id}/convert`, {
      customer: { name: '刘先生', kind: 'person' },
    });
    expect(named.json<ConvertLeadResult>().customer).toMatchObject({
      name: '刘先生',
      kind: 'person',
    });
  });

  it('is one transaction: a failing opportunity leaves no customer behind', async () => {
    const l = await lead(org.users.repA1.client, { company: '湖州天目竹木有限公司' });
    const res = await org.users.repA1.client.post(`/api/v1/leads/${l.id}/convert`, {
      opportunity: { name: 'x', stage: 'nosuchstage' },
    });
    expect(res.statusCode).toBe(400);
    expect((await t.admin.get('/api/v1/customers?q=天目竹木')).json<Page<Customer>>().total).toBe(
      0,
    );
    expect((await t.admin.get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe('pending');
  });
});
