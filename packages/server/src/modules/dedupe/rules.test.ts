import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Contact,
  ConvertLeadResult,
  Customer,
  DuplicateMatch,
  DuplicateRule,
  DuplicateRules,
  Lead,
} from '@tide/contract';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
let existing: Customer;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  existing = (
    await org.users.repB1.client.post('/api/v1/customers', {
      name: '宁波海川贸易有限公司',
      phone: '0574-8765 4321',
      creditCode: '91330106MA2B3C4D5D',
    })
  ).json<Customer>();
});
afterAll(async () => {
  await t.close();
});

type WithDuplicates<T> = T & { duplicates?: DuplicateMatch[] };

async function setRule(type: string, rule: Partial<DuplicateRule>): Promise<DuplicateRules> {
  const current = (await t.admin.get('/api/v1/duplicates/rules')).json<DuplicateRules>();
  const res = await t.admin.put(`/api/v1/duplicates/rules/${type}`, {
    ...current[type as keyof DuplicateRules],
    ...rule,
  });
  expect(res.statusCode).toBe(200);
  return res.json<DuplicateRules>();
}

async function count(table: string): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`,
    [t.tenantId],
  );
  return rows[0]?.n ?? 0;
}

describe('duplicate rules', () => {
  it('start as warn on every key, and only admins change them, audited', async () => {
    const rules = (
      await org.users.repA1.client.get('/api/v1/duplicates/rules')
    ).json<DuplicateRules>();
    expect(rules.customer).toMatchObject({ onCreate: 'warn', onUpdate: 'warn', level: 'likely' });
    expect(rules.contact.keys).toEqual(['phone', 'email', 'name']);
    expect(
      (await org.users.repA1.client.put('/api/v1/duplicates/rules/customer', rules.customer))
        .statusCode,
    ).toBe(403);
    const bad = await t.admin.put('/api/v1/duplicates/rules/customer', {
      ...rules.customer,
      onCreate: 'explode',
    });
    expect(bad.statusCode).toBe(400);
    expect((await t.admin.put('/api/v1/duplicates/rules/deal', rules.customer)).statusCode).toBe(
      400,
    );
    expect((await t.admin.get('/api/v1/duplicates/rules')).json()).toEqual(rules);

    const changed = await setRule('lead', { threshold: 0.6 });
    expect(changed.lead.threshold).toBe(0.6);
    expect(changed.customer).toEqual(rules.customer);
    const audit = (await t.admin.get('/api/v1/audit?entity=duplicate_rule')).json<{
      items: { changes: Record<string, { before: unknown; after: unknown }> }[];
    }>();
    expect(audit.items[0]?.changes.lead).toEqual({ before: rules.lead, after: changed.lead });
    await setRule('lead', { threshold: 0.4 });
  });

  it('warn: the customer is saved and the answer names the duplicates', async () => {
    const res = await org.users.repA1.client.post('/api/v1/customers', {
      name: '海川贸易（宁波）有限公司',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<WithDuplicates<Customer>>();
    expect(body.duplicates?.[0]).toMatchObject({
      id: existing.id,
      level: 'likely',
      visible: false,
      ownerName: 'b.rep1',
    });
    // Saving something unlike anything answers no duplicates at all.
    const clean = (
      await org.users.repA1.client.post('/api/v1/customers', { name: '厦门鹭岛茶业有限公司' })
    ).json<WithDuplicates<Customer>>();
    expect(clean.duplicates).toBeUndefined();
  });

  it('block: a create matching at the rule’s level is refused with the matches and writes nothing', async () => {
    await setRule('customer', { onCreate: 'block', level: 'exact' });
    const before = await count('customers');
    const res = await org.users.repA1.client.post('/api/v1/customers', {
      name: '温州某某贸易有限公司',
      phone: '+86 574 87654321',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: {
        code: 'DUPLICATE',
        details: { matches: [{ id: existing.id, level: 'exact', reasons: ['same phone'] }] },
      },
    });
    expect(await count('customers')).toBe(before);
    // Below the blocking level (a likely name match) the create goes through, with the warning.
    const likely = await org.users.repA1.client.post('/api/v1/customers', {
      name: '宁波海川贸易股份有限公司',
    });
    expect(likely.statusCode).toBe(201);
    expect(likely.json<WithDuplicates<Customer>>().duplicates).toBeUndefined();
    await setRule('customer', { onCreate: 'warn', level: 'likely' });
  });

  it('block on update refuses a change that makes a duplicate and keeps the old values', async () => {
    await setRule('customer', { onUpdate: 'block', level: 'exact' });
    const mine = (
      await org.users.repA1.client.post('/api/v1/customers', { name: '丽水青瓷文化有限公司' })
    ).json<Customer>();
    const res = await org.users.repA1.client.patch(`/api/v1/customers/${mine.id}`, {
      creditCode: '91330106ma2b3c4d5d',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('DUPLICATE');
    const after = (
      await org.users.repA1.client.get(`/api/v1/customers/${mine.id}`)
    ).json<Customer>();
    expect(after.creditCode).toBeNull();
    // A change of other fields is not checked; the record never matches itself.
    expect(
      (await org.users.repA1.client.patch(`/api/v1/customers/${mine.id}`, { industry: '文化' }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await org.users.repA1.client.patch(`/api/v1/customers/${mine.id}`, {
          name: '丽水青瓷文化股份有限公司',
        })
      ).statusCode,
    ).toBe(200);
    await setRule('customer', { onUpdate: 'warn', level: 'likely' });
  });

  it('keys and threshold decide what counts; allow checks nothing', async () => {
    await setRule('customer', { keys: ['name', 'creditCode'] });
    const check = async (body: object) =>
      (
        await org.users.repA1.client.post('/api/v1/duplicates/check', { type: 'customer', ...body })
      ).json<{ matches: DuplicateMatch[] }>().matches;
    expect(await check({ phone: '0574-87654321' })).toEqual([]);
    expect((await check({ name: '宁波海川贸易有限公司' })).map((m) => m.id)).toContain(existing.id);
    await setRule('customer', {
      keys: ['phone', 'creditCode', 'idNumber', 'registration', 'name', 'address'],
      threshold: 0.95,
    });
    // 'likely' at 0.9 is under the threshold now; an identity key still scores 1.
    expect(await check({ name: '宁波海川贸易有限公司' })).toEqual([]);
    expect((await check({ phone: '0574-87654321' }))[0]?.level).toBe('exact');
    await setRule('customer', { threshold: 0.4, onCreate: 'allow' });
    const res = await org.users.repA1.client.post('/api/v1/customers', {
      name: '宁波海川贸易有限公司',
    });
    expect(res.json<WithDuplicates<Customer>>().duplicates).toBeUndefined();
    await setRule('customer', { onCreate: 'warn' });
  });

  it('applies the lead rule to new leads, against customers and leads', async () => {
    await setRule('lead', { onCreate: 'block', level: 'exact' });
    const res = await org.users.repA1.client.post('/api/v1/leads', {
      company: '某公司',
      phone: '0574 87654321',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'DUPLICATE', details: { matches: [{ type: 'customer', id: existing.id }] } },
    });
    await setRule('lead', { onCreate: 'warn', level: 'likely' });
    const first = (
      await org.users.repA1.client.post('/api/v1/leads', { company: '台州海鸥机电有限公司' })
    ).json<Lead>();
    const second = (
      await org.users.repA2.client.post('/api/v1/leads', { company: '台州海鸥机电有限公司' })
    ).json<WithDuplicates<Lead>>();
    expect(second.duplicates?.[0]).toMatchObject({ id: first.id, type: 'lead', level: 'likely' });
  });

  it('matches contacts by phone or email anywhere and by name at the same customer', async () => {
    const rep = org.users.repB1.client;
    const first = (
      await rep.post('/api/v1/contacts', {
        customerId: existing.id,
        name: '陈晓明',
        phone: '13512345678',
        email: 'Chen@HaiChuan.cn',
      })
    ).json<Contact>();
    const samePhone = (
      await rep.post('/api/v1/contacts', {
        customerId: existing.id,
        name: '陈总',
        phone: '135 1234 5678',
      })
    ).json<WithDuplicates<Contact>>();
    expect(samePhone.duplicates?.[0]).toMatchObject({
      id: first.id,
      type: 'contact',
      customerId: existing.id,
      level: 'exact',
      reasons: ['same phone'],
    });
    const check = (body: object) =>
      rep.post('/api/v1/duplicates/check', { type: 'contact', ...body });
    expect(
      (await check({ email: 'chen@haichuan.cn' })).json<{ matches: DuplicateMatch[] }>().matches[0],
    ).toMatchObject({ id: first.id, reasons: ['same email'] });
    expect(
      (await check({ name: '陈晓明', customerId: existing.id })).json<{
        matches: DuplicateMatch[];
      }>().matches[0],
    ).toMatchObject({ id: first.id, level: 'likely', reasons: ['same name at this customer'] });
    // The same name at another customer is not a match.
    const other = (
      await rep.post('/api/v1/customers', { name: '衢州常山胡柚有限公司' })
    ).json<Customer>();
    expect(
      (await check({ name: '陈晓明', customerId: other.id })).json<{ matches: DuplicateMatch[] }>()
        .matches,
    ).toEqual([]);
    // Block on update: moving the second contact onto the first one's email is refused.
    await setRule('contact', { onUpdate: 'block', level: 'exact' });
    const upd = await rep.patch(`/api/v1/contacts/${samePhone.id}`, {
      phone: null,
      email: 'chen@haichuan.cn',
    });
    expect(upd.statusCode).toBe(409);
    expect((await rep.get(`/api/v1/contacts/${samePhone.id}`)).json<Contact>().email).toBeNull();
    await setRule('contact', { onUpdate: 'warn', level: 'likely' });
  });

  it('conversion links the customer the customer rule finds, and only by the keys it counts', async () => {
    const rep = org.users.repB1.client;
    const lead = (
      await rep.post('/api/v1/leads', { company: '宁波海川贸易有限公司', contactName: '孙工' })
    ).json<Lead>();
    await setRule('customer', { keys: ['phone', 'creditCode'] });
    const separate = (
      await rep.post(`/api/v1/leads/${lead.id}/convert`, { createContact: false })
    ).json<ConvertLeadResult>();
    expect(separate.linkedExisting).toBe(false);
    await setRule('customer', {
      keys: ['phone', 'creditCode', 'idNumber', 'registration', 'name', 'address'],
    });
    const lead2 = (
      await rep.post('/api/v1/leads', { company: '海川贸易（宁波）有限公司', contactName: '周工' })
    ).json<Lead>();
    const linked = (
      await rep.post(`/api/v1/leads/${lead2.id}/convert`, { createContact: false })
    ).json<ConvertLeadResult>();
    expect(linked.linkedExisting).toBe(true);
  });
});
