import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Customer, Opportunity, Page, TimelineItem } from '@tide/contract';
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

describe('merging customers', () => {
  it('keeps every contact, opportunity, follow-up and history entry of both, with the chosen values', async () => {
    const rep = org.users.repA1.client;
    const survivor = (
      await rep.post('/api/v1/customers', { name: '杭州云帆科技有限公司', industry: '软件' })
    ).json<Customer>();
    const other = (
      await org.users.repA2.client.post('/api/v1/customers', {
        name: '云帆科技（杭州）有限公司',
        creditCode: '91330106MA2B3C4D5D',
        phone: '0571-8888 1234',
      })
    ).json<Customer>();
    await rep.post('/api/v1/contacts', { customerId: survivor.id, name: '王总' });
    await org.users.repA2.client.post('/api/v1/contacts', { customerId: other.id, name: '李经理' });
    await org.users.repA2.client.post('/api/v1/opportunities', {
      customerId: other.id,
      name: '年度采购',
    });
    await org.users.repA2.client.post(`/api/v1/customers/${other.id}/follow-ups`, {
      type: 'visit',
      content: '拜访过一次',
    });

    expect(
      (await rep.post(`/api/v1/customers/${survivor.id}/merge`, { otherId: other.id })).statusCode,
    ).toBe(403);
    const res = await org.users.mgrA.client.post(`/api/v1/customers/${survivor.id}/merge`, {
      otherId: other.id,
      takeFromOther: ['creditCode', 'phone'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Customer>()).toMatchObject({
      id: survivor.id,
      name: '杭州云帆科技有限公司',
      industry: '软件',
      creditCode: '91330106MA2B3C4D5D',
      phoneE164: '+8657188881234',
    });

    const contacts = (await rep.get(`/api/v1/contacts?customerId=${survivor.id}`)).json<
      Page<Contact>
    >();
    expect(contacts.items.map((c) => c.name).sort()).toEqual(['李经理', '王总']);
    const opps = (await rep.get(`/api/v1/opportunities?customerId=${survivor.id}`)).json<
      Page<Opportunity>
    >();
    expect(opps.total).toBe(1);
    const timeline = (await rep.get(`/api/v1/customers/${survivor.id}/timeline`)).json<{
      items: TimelineItem[];
    }>().items;
    expect(timeline.filter((i) => i.kind === 'followUp').map((i) => i.followUp?.content)).toEqual([
      '拜访过一次',
    ]);
    expect(timeline.filter((i) => i.action === 'create')).toHaveLength(2);
    expect(timeline.filter((i) => i.action === 'merge')).toHaveLength(2);

    const gone = await org.users.mgrA.client.get(`/api/v1/customers/${other.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({
      error: { code: 'NOT_FOUND', details: { mergedInto: survivor.id } },
    });
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM handovers WHERE entity_id = $1`,
      [survivor.id],
    );
    expect(rows[0]?.n).toBe(2);
    // The duplicate check no longer offers the merged-away record.
    const check = (
      await t.admin.post('/api/v1/duplicates/check', {
        type: 'customer',
        creditCode: '91330106MA2B3C4D5D',
      })
    ).json<{ matches: { id: string }[] }>();
    expect(check.matches.map((m) => m.id)).toEqual([survivor.id]);
  });

  it('refuses a merge into itself, of a record the caller cannot see, and changes nothing', async () => {
    const a = (
      await org.users.repA1.client.post('/api/v1/customers', { name: '宁波海川贸易有限公司' })
    ).json<Customer>();
    const b = (
      await org.users.repB1.client.post('/api/v1/customers', { name: '海川贸易（宁波）有限公司' })
    ).json<Customer>();
    expect(
      (await org.users.mgrA.client.post(`/api/v1/customers/${a.id}/merge`, { otherId: a.id }))
        .statusCode,
    ).toBe(400);
    expect(
      (await org.users.mgrA.client.post(`/api/v1/customers/${a.id}/merge`, { otherId: b.id }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await org.users.mgrA.client.post(`/api/v1/customers/${a.id}/merge`, {
          otherId: b.id,
          takeFromOther: ['owner'],
        })
      ).statusCode,
    ).toBe(400);
    expect((await org.users.repB1.client.get(`/api/v1/customers/${b.id}`)).statusCode).toBe(200);
  });
});
