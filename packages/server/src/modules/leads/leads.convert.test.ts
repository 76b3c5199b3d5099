import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  CapacityLimit,
  Contact,
  ConvertLeadResult,
  Customer,
  Lead,
  Notification,
  Opportunity,
  Page,
  Pool,
  UserCapacity,
} from '@tide/contract';
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

async function auditOf(entity: string, id: string): Promise<AuditEntry[]> {
  return (await t.admin.get(`/api/v1/audit?entity=${entity}&entityId=${id}&pageSize=100`)).json<
    Page<AuditEntry>
  >().items;
}

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
    expect(r.lead).toMatchObject({ status: 'converted', convertedCustomerId: r.customerId });
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
      customerId: r.customerId,
      email: 'zhou@example.com',
    });
    expect(r.opportunity).toMatchObject({
      name: '数控设备采购',
      amount: 560000,
      customerId: r.customerId,
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
    expect(r.customerId).toBe(existing.id);
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
    // It went through the claim: a claim handover (counted today) and a claim audit entry.
    expect(
      (await org.users.repA2.client.get('/api/v1/capacity/me')).json<UserCapacity>().customer
        .claimedToday,
    ).toBe(1);
    expect((await auditOf('customer', pub.id)).map((e) => [e.action, e.actorId])).toContainEqual([
      'claim',
      org.users.repA2.id,
    ]);
  });

  it('links a colleague’s customer: the owner keeps it and is told, the rep gets the opportunity', async () => {
    const owner = org.users.repB1;
    const theirs = (
      await owner.client.post('/api/v1/customers', {
        name: '温州瑞安鞋业有限公司',
        phone: '0577-6588 1234',
      })
    ).json<Customer>();
    const rep = org.users.repA1;
    const l = await lead(rep.client, {
      company: '瑞安鞋业有限公司（温州）',
      contactName: '林厂长',
      phone: '0577 65881234',
      email: 'lin@example.com',
    });
    const res = await rep.client.post(`/api/v1/leads/${l.id}/convert`, {
      opportunity: { name: '劳保鞋年度采购', amount: 120000 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<ConvertLeadResult>();
    // The rep learns the customer's name and owner, not the record.
    expect(r).toMatchObject({
      linkedExisting: true,
      customerId: theirs.id,
      customerName: '温州瑞安鞋业有限公司',
      customerOwnerName: 'b.rep1',
      lead: { status: 'converted', convertedCustomerId: theirs.id },
      opportunity: {
        name: '劳保鞋年度采购',
        customerId: theirs.id,
        customerName: '温州瑞安鞋业有限公司',
        ownerId: rep.id,
      },
    });
    expect(r.customer).toBeUndefined();
    expect((await rep.client.get(`/api/v1/customers/${theirs.id}`)).statusCode).toBe(404);
    const opportunityId = r.opportunity?.id ?? '';
    expect(
      (await rep.client.get(`/api/v1/opportunities/${opportunityId}`)).json<Opportunity>(),
    ).toMatchObject({ customerName: '温州瑞安鞋业有限公司', ownerId: rep.id });

    // The customer keeps its owner and gains the lead's contact.
    expect(
      (await owner.client.get(`/api/v1/customers/${theirs.id}`)).json<Customer>().ownerId,
    ).toBe(owner.id);
    const contacts = (await owner.client.get(`/api/v1/contacts?customerId=${theirs.id}`)).json<
      Page<Contact>
    >();
    expect(contacts.items.map((c) => c.name)).toEqual(['林厂长']);
    const told = (await owner.client.get('/api/v1/notifications')).json<Page<Notification>>();
    expect(told.items.find((n) => n.kind === 'customer_linked')).toMatchObject({
      entity: 'customer',
      entityId: theirs.id,
      data: {
        name: '温州瑞安鞋业有限公司',
        leadName: '瑞安鞋业有限公司（温州）',
        repName: 'a.rep1',
        opportunityName: '劳保鞋年度采购',
      },
    });
    const conversion = (await auditOf('lead', l.id)).find((e) => e.action === 'status');
    expect(conversion?.changes).toMatchObject({
      customerLink: { after: 'colleague' },
      customerOwnerId: { after: owner.id },
    });
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
    expect(r.customerId).not.toBe(first.id);
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

describe('conversion into a public customer goes through the claim', () => {
  let pool: Pool;
  beforeAll(async () => {
    const found = (await t.admin.get('/api/v1/pools'))
      .json<{ items: Pool[] }>()
      .items.find((p) => p.isDefault);
    if (!found) throw new Error('no default pool');
    pool = found;
  });

  /** A public customer, and a lead of the rep with the same name and phone. */
  async function matchingPair(rep: Client, name: string, phone: string, address?: string) {
    const customer = (
      await t.admin.post('/api/v1/customers', {
        name,
        phone,
        ownerId: null,
        ...(address ? { address } : {}),
      })
    ).json<Customer>();
    const l = await lead(rep, { company: name, phone, contactName: '联系人甲' });
    return { customer, lead: l };
  }

  /** The refusal left nothing behind: the customer public, the lead pending, no contact. */
  async function unchanged(customerId: string, leadId: string) {
    const c = (await t.admin.get(`/api/v1/customers/${customerId}`)).json<Customer>();
    expect(c).toMatchObject({ ownerId: null, poolState: 'public' });
    expect((await t.admin.get(`/api/v1/leads/${leadId}`)).json<Lead>()).toMatchObject({
      status: 'pending',
      convertedCustomerId: null,
    });
    expect(
      (await t.admin.get(`/api/v1/contacts?customerId=${customerId}`)).json<Page<Contact>>().total,
    ).toBe(0);
    expect((await auditOf('customer', customerId)).map((e) => e.action)).toEqual(['create']);
  }

  it('is refused for the rep who released the customer while it is protected', async () => {
    const rep = org.users.repC1;
    await t.admin.patch(`/api/v1/pools/${pool.id}`, { protectDays: 5 });
    const { customer, lead: l } = await matchingPair(
      rep.client,
      '东莞华信电子有限公司',
      '0769-2233 4455',
    );
    expect((await rep.client.post(`/api/v1/customers/${customer.id}/claim`)).statusCode).toBe(200);
    expect(
      (await rep.client.post(`/api/v1/customers/${customer.id}/return`, { reason: '暂无需求' }))
        .statusCode,
    ).toBe(200);
    const res = await rep.client.post(`/api/v1/leads/${l.id}/convert`, {});
    expect(res.statusCode).toBe(422);
    const err = res.json<{ error: { code: string; message: string; details: unknown } }>().error;
    expect(err.code).toBe('BUSINESS_RULE');
    expect(err.message).toMatch(/^You released this record: protected until \d{4}-\d{2}-\d{2}$/);
    expect(err.details).toMatchObject({
      rule: 'protected',
      customerName: '东莞华信电子有限公司',
      createNewAllowed: false,
    });
    expect((await t.admin.get(`/api/v1/customers/${customer.id}`)).json<Customer>().ownerId).toBe(
      null,
    );
    expect((await t.admin.get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe('pending');

    // Nor may the rep create the duplicate instead; the rep's manager may.
    const dup = await rep.client.post(`/api/v1/leads/${l.id}/convert`, { createNew: true });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      error: { code: 'DUPLICATE', details: { createNewAllowed: false } },
    });
    expect((await t.admin.get(`/api/v1/leads/${l.id}`)).json<Lead>().status).toBe('pending');
    await t.admin.patch(`/api/v1/pools/${pool.id}`, { protectDays: 0 });
    const byAdmin = await t.admin.post(`/api/v1/leads/${l.id}/convert`, { createNew: true });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    const r = byAdmin.json<ConvertLeadResult>();
    expect(r).toMatchObject({ linkedExisting: false, customer: { ownerId: rep.id } });
    expect(r.customerId).not.toBe(customer.id);
    expect((await t.admin.get(`/api/v1/customers/${customer.id}`)).json<Customer>().ownerId).toBe(
      null,
    );
    const conversion = (await auditOf('lead', l.id)).find((e) => e.action === 'status');
    expect(conversion?.changes.createdBeside?.after).toMatchObject({
      customerId: customer.id,
      level: 'exact',
      requested: true,
    });
  });

  it('is refused outside the rep’s territory, naming the team the region belongs to', async () => {
    const bind = (nodeId: string, regionCodes: string[]) =>
      t.admin.put(`/api/v1/org/nodes/${nodeId}/territory`, { regionCodes });
    expect((await bind(org.nodes.teamA, ['330100'])).statusCode).toBe(200);
    expect((await bind(org.nodes.teamB, ['330000'])).statusCode).toBe(200);
    const { customer, lead: l } = await matchingPair(
      org.users.repB1.client,
      '杭州西溪文创有限公司',
      '0571-8877 6655',
      '浙江省杭州市西湖区天目山路100号',
    );
    const res = await org.users.repB1.client.post(`/api/v1/leads/${l.id}/convert`, {
      opportunity: { name: '文创采购' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: {
        code: 'BUSINESS_RULE',
        message: 'This region (浙江省杭州市) belongs to 杭州一组',
        details: { rule: 'territory', ownerNodeName: '杭州一组' },
      },
    });
    await unchanged(customer.id, l.id);
    await bind(org.nodes.teamA, []);
    await bind(org.nodes.teamB, []);
  });

  it('is refused beyond the rep’s capacity, and a manager may then create a new customer', async () => {
    const rep = org.users.repA2;
    const limit = await t.admin.post('/api/v1/capacity-limits', {
      scope: 'user',
      userId: rep.id,
      entity: 'customer',
      maxRecords: 0,
      dailyClaims: null,
    });
    expect(limit.statusCode, limit.body).toBe(201);
    const { customer, lead: l } = await matchingPair(
      rep.client,
      '金华永康五金有限公司',
      '0579-8711 2233',
    );
    const res = await rep.client.post(`/api/v1/leads/${l.id}/convert`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: { code: 'BUSINESS_RULE', details: { rule: 'capacity', max: 0 } },
    });
    await unchanged(customer.id, l.id);
    // The rep's manager converts it into a new customer beside the match.
    const byManager = await org.users.mgrA.client.post(`/api/v1/leads/${l.id}/convert`, {
      createNew: true,
    });
    expect(byManager.statusCode, byManager.body).toBe(200);
    expect(byManager.json<ConvertLeadResult>()).toMatchObject({ linkedExisting: false });
    await t.admin.del(`/api/v1/capacity-limits/${limit.json<CapacityLimit>().id}`);
  });

  it('lets anybody create a new customer beside a merely possible match, and audits it', async () => {
    const rep = org.users.repA1;
    const near = (
      await t.admin.post('/api/v1/customers', { name: '绍兴云帆纺织有限公司', ownerId: null })
    ).json<Customer>();
    const l = await lead(rep.client, { company: '绍兴云凡纺织有限公司' });
    const check = await rep.client.post('/api/v1/duplicates/check', {
      type: 'customer',
      name: '绍兴云凡纺织有限公司',
    });
    expect(check.json<{ matches: { id: string; level: string }[] }>().matches[0]).toMatchObject({
      id: near.id,
      level: 'possible',
    });
    const res = await rep.client.post(`/api/v1/leads/${l.id}/convert`, { createNew: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ConvertLeadResult>()).toMatchObject({
      linkedExisting: false,
      customer: { name: '绍兴云凡纺织有限公司', ownerId: rep.id },
    });
    const conversion = (await auditOf('lead', l.id)).find((e) => e.action === 'status');
    expect(conversion?.changes.createdBeside?.after).toMatchObject({
      customerId: near.id,
      level: 'possible',
      requested: true,
    });
    expect((await t.admin.get(`/api/v1/customers/${near.id}`)).json<Customer>().ownerId).toBe(null);
  });
});
