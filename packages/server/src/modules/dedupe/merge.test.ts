import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Customer, Lead, Page, TimelineItem } from '@tide/contract';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
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

describe('merging leads', () => {
  it('keeps the follow-ups, handovers and history of both, with the chosen values', async () => {
    const rep = org.users.repA1.client;
    const survivor = (
      await rep.post('/api/v1/leads', { company: '杭州云帆科技有限公司', contactName: '王总' })
    ).json<Lead>();
    const other = (
      await org.users.repA2.client.post('/api/v1/leads', {
        company: '云帆科技（杭州）有限公司',
        phone: '0571-8888 1234',
        email: 'wang@yunfan.cn',
      })
    ).json<Lead>();
    await rep.post(`/api/v1/leads/${survivor.id}/follow-ups`, {
      type: 'call',
      content: '第一次电话',
    });
    await org.users.repA2.client.post(`/api/v1/leads/${other.id}/follow-ups`, {
      type: 'visit',
      content: '上门拜访',
    });
    const before = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM handovers WHERE entity_id IN ($1, $2)`,
      [survivor.id, other.id],
    );

    // A rep may not merge; the team's manager may.
    expect(
      (await rep.post(`/api/v1/leads/${survivor.id}/merge`, { otherId: other.id })).statusCode,
    ).toBe(403);
    const res = await org.users.mgrA.client.post(`/api/v1/leads/${survivor.id}/merge`, {
      otherId: other.id,
      takeFromOther: ['phone', 'email'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Lead>()).toMatchObject({
      id: survivor.id,
      company: '杭州云帆科技有限公司',
      contactName: '王总',
      phone: '0571-8888 1234',
      phoneE164: '+8657188881234',
      email: 'wang@yunfan.cn',
    });

    const gone = await org.users.mgrA.client.get(`/api/v1/leads/${other.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { details: { mergedInto: survivor.id } } });

    const timeline = (
      await org.users.mgrA.client.get(`/api/v1/leads/${survivor.id}/timeline`)
    ).json<{ items: TimelineItem[] }>().items;
    const notes = timeline.filter((i) => i.kind === 'followUp');
    expect(notes).toHaveLength(2);
    expect(timeline.filter((i) => i.kind === 'audit' && i.action === 'merge')).toHaveLength(2);
    const after = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM handovers WHERE entity_id = $1`,
      [survivor.id],
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    // The merged-away lead is not in the recycle bin, where it could be restored.
    const bin = (await t.admin.get('/api/v1/recycle-bin/leads')).json<Page<Lead>>();
    expect(bin.items.map((l) => l.id)).not.toContain(other.id);
    // The duplicate check no longer finds it.
    const check = await org.users.mgrA.client.post('/api/v1/duplicates/check', {
      type: 'lead',
      phone: '057188881234',
    });
    expect(check.json<{ matches: { id: string }[] }>().matches.map((m) => m.id)).toEqual([
      survivor.id,
    ]);
  });

  it('refuses itself, converted leads, and leads outside the caller’s reach, changing nothing', async () => {
    const mgr = org.users.mgrA.client;
    const a = (await mgr.post('/api/v1/leads', { company: '绍兴黄酒贸易有限公司' })).json<Lead>();
    expect((await mgr.post(`/api/v1/leads/${a.id}/merge`, { otherId: a.id })).statusCode).toBe(400);
    const theirs = (
      await org.users.repB1.client.post('/api/v1/leads', { company: '绍兴黄酒贸易公司' })
    ).json<Lead>();
    expect((await mgr.post(`/api/v1/leads/${a.id}/merge`, { otherId: theirs.id })).statusCode).toBe(
      404,
    );
    const converted = (
      await mgr.post('/api/v1/leads', { company: '绍兴酱园有限公司' })
    ).json<Lead>();
    expect(
      (await mgr.post(`/api/v1/leads/${converted.id}/convert`, { createContact: false }))
        .statusCode,
    ).toBe(200);
    const refused = await mgr.post(`/api/v1/leads/${a.id}/merge`, { otherId: converted.id });
    expect(refused.statusCode).toBe(422);
    expect((await mgr.get(`/api/v1/leads/${a.id}`)).statusCode).toBe(200);
    expect(
      (await mgr.post(`/api/v1/leads/${a.id}/merge`, { otherId: 'not-a-uuid' })).statusCode,
    ).toBe(400);
  });
});

describe('merging contacts', () => {
  it('merges two contacts of one customer, or of two, with the chosen values', async () => {
    const rep = org.users.repA1.client;
    const customer = (
      await rep.post('/api/v1/customers', { name: '嘉兴南湖电子有限公司' })
    ).json<Customer>();
    const other = (
      await rep.post('/api/v1/customers', { name: '嘉兴秀洲电子有限公司' })
    ).json<Customer>();
    const c1 = (
      await rep.post('/api/v1/contacts', { customerId: customer.id, name: '赵敏', title: '采购' })
    ).json<Contact>();
    const c2 = (
      await rep.post('/api/v1/contacts', {
        customerId: other.id,
        name: '赵敏',
        phone: '13588889999',
        email: 'zhao@nanhu.cn',
      })
    ).json<Contact>();
    const res = await rep.post(`/api/v1/contacts/${c1.id}/merge`, {
      otherId: c2.id,
      takeFromOther: ['phone', 'email'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Contact>()).toMatchObject({
      id: c1.id,
      customerId: customer.id,
      title: '采购',
      phone: '13588889999',
      phoneE164: '+8613588889999',
      email: 'zhao@nanhu.cn',
    });
    const gone = await rep.get(`/api/v1/contacts/${c2.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { details: { mergedInto: c1.id } } });
    const list = (await rep.get(`/api/v1/contacts?customerId=${other.id}`)).json<Page<Contact>>();
    expect(list.items).toEqual([]);
    const audit = (await t.admin.get(`/api/v1/audit?entity=contact&entityId=${c2.id}`)).json<
      Page<{ action: string }>
    >();
    expect(audit.items.map((a) => a.action)).toContain('merge');
  });

  it('refuses a contact of a customer the caller cannot work on', async () => {
    const mine = (
      await org.users.repA1.client.post('/api/v1/customers', { name: '湖州丝绸有限公司' })
    ).json<Customer>();
    const theirs = (
      await org.users.repB1.client.post('/api/v1/customers', { name: '湖州丝绸纺织有限公司' })
    ).json<Customer>();
    const a = (
      await org.users.repA1.client.post('/api/v1/contacts', { customerId: mine.id, name: '钱进' })
    ).json<Contact>();
    const b = (
      await org.users.repB1.client.post('/api/v1/contacts', { customerId: theirs.id, name: '钱进' })
    ).json<Contact>();
    const res = await org.users.repA1.client.post(`/api/v1/contacts/${a.id}/merge`, {
      otherId: b.id,
    });
    expect(res.statusCode).toBe(404);
    expect((await org.users.repB1.client.get(`/api/v1/contacts/${b.id}`)).statusCode).toBe(200);
  });
});
