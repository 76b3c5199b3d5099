import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, DuplicateMatch } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
let yunfan: Customer;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  // Owned by a rep of team B: invisible to team A's reps.
  yunfan = (
    await org.users.repB1.client.post('/api/v1/customers', {
      name: '杭州云帆科技有限公司',
      creditCode: '91330106MA2B3C4D5D',
      phone: '0571-8888 1234',
      address: '浙江省杭州市西湖区文三路90号',
      industry: '软件',
    })
  ).json<Customer>();
  await org.users.repB1.client.post('/api/v1/contacts', {
    customerId: yunfan.id,
    name: '王总',
    phone: '13912345678',
  });
  await org.users.repB1.client.post('/api/v1/customers', { name: '上海云帆科技有限公司' });
  await org.users.repB1.client.post('/api/v1/customers', { name: '云帆科技有限公司北京分公司' });
});
afterAll(async () => {
  await t.close();
});

async function check(c: Client, body: Record<string, unknown>): Promise<DuplicateMatch[]> {
  const res = await c.post('/api/v1/duplicates/check', { type: 'customer', ...body });
  expect(res.statusCode).toBe(200);
  return res.json<{ matches: DuplicateMatch[] }>().matches;
}

describe('POST /duplicates/check', () => {
  it('answers exact on a credit code written any way', async () => {
    const [m] = await check(t.admin, { creditCode: '91330106ma2b3c4d5d' });
    expect(m).toMatchObject({
      id: yunfan.id,
      type: 'customer',
      level: 'exact',
      score: 1,
      reasons: ['same credit code'],
    });
  });

  it('answers exact on a phone in another format, the customer’s or a contact’s', async () => {
    expect((await check(t.admin, { phone: '+86 571 88881234' }))[0]).toMatchObject({
      id: yunfan.id,
      level: 'exact',
      reasons: ['same phone'],
    });
    expect((await check(t.admin, { phone: '139-1234-5678' }))[0]).toMatchObject({
      id: yunfan.id,
      level: 'exact',
    });
  });

  it('finds the same name however it is written, and ranks other cities and branches lower', async () => {
    const matches = await check(t.admin, {
      name: '雲帆科技（杭州）有限責任公司',
      address: '杭州市西湖区文三路九十号',
    });
    const byName = Object.fromEntries(matches.map((m) => [m.name, m]));
    expect(matches[0]?.id).toBe(yunfan.id);
    expect(byName['杭州云帆科技有限公司']).toMatchObject({
      level: 'likely',
      reasons: ['same name', 'same district, address 100% similar'],
    });
    expect(byName['上海云帆科技有限公司']).toMatchObject({ level: 'possible' });
    expect(byName['上海云帆科技有限公司']?.reasons).toContain('different city (杭州 / 上海)');
    expect(byName['云帆科技有限公司北京分公司']).toMatchObject({
      level: 'possible',
      reasons: ['same name', 'branch office of the same company'],
    });
  });

  it('warns about records the caller cannot see, showing only name, owner and reasons', async () => {
    const [m] = await check(org.users.repA1.client, { creditCode: '91330106MA2B3C4D5D' });
    expect(m).toEqual({
      id: yunfan.id,
      type: 'customer',
      name: '杭州云帆科技有限公司',
      score: 1,
      level: 'exact',
      reasons: ['same credit code'],
      ownerName: 'b.rep1',
      visible: false,
    });
    expect((await org.users.repA1.client.get(`/api/v1/customers/${yunfan.id}`)).statusCode).toBe(
      404,
    );
    const mine = await check(org.users.repB1.client, { creditCode: '91330106MA2B3C4D5D' });
    expect(mine[0]?.visible).toBe(true);
  });

  it('checks leads too for type lead', async () => {
    await org.users.repA1.client.post('/api/v1/leads', {
      company: '宁波海川贸易有限公司',
      phone: '13600001111',
    });
    const res = await org.users.repA2.client.post('/api/v1/duplicates/check', {
      type: 'lead',
      phone: '136 0000 1111',
    });
    expect(res.json<{ matches: DuplicateMatch[] }>().matches[0]).toMatchObject({
      type: 'lead',
      name: '宁波海川贸易有限公司',
      level: 'exact',
      visible: false,
      ownerName: 'a.rep1',
    });
    expect(
      (await check(org.users.repA2.client, { phone: '13600001111' })).filter(
        (m) => m.type === 'lead',
      ),
    ).toEqual([]);
  });

  it('finds homophones and typos of the brand, but only as possible', async () => {
    const homophone = await check(t.admin, { name: '杭州云凡科技有限公司' });
    expect(homophone[0]).toMatchObject({
      id: yunfan.id,
      level: 'possible',
      reasons: ['name sounds the same'],
    });
    const typo = await check(t.admin, { name: '杭州云帆科枝有限公司' });
    expect(typo[0]).toMatchObject({ id: yunfan.id, level: 'possible' });
    expect(typo[0]?.reasons[0]).toMatch(/^name \d+% similar$/);
    // The same city ranks before the brand's other city.
    expect(homophone.findIndex((m) => m.name === '上海云帆科技有限公司')).toBeGreaterThan(0);
  });

  it('weighs the address within a district: the same place adds evidence, another street does not', async () => {
    const elsewhere = await check(t.admin, {
      name: '杭州云帆科技有限公司',
      address: '杭州市西湖区天目山路三百号',
    });
    expect(elsewhere[0]).toMatchObject({
      id: yunfan.id,
      level: 'likely',
      score: 0.95,
      reasons: ['same name', 'same district'],
    });
    // A typo of the brand at the same address ranks higher, and stays possible.
    const typo = await check(t.admin, {
      name: '杭州云帆科枝有限公司',
      address: '浙江杭州西湖区文三路90号',
    });
    expect(typo[0]).toMatchObject({ id: yunfan.id, level: 'possible' });
    expect(typo[0]?.reasons).toContain('same district, address 100% similar');
    // An address alone is no match: many companies share a building.
    expect(
      await check(t.admin, { name: '杭州远洋物流有限公司', address: '杭州市西湖区文三路90号' }),
    ).toEqual([]);
  });

  it('matches ID numbers and registration numbers as identity keys', async () => {
    const person = (
      await t.admin.post('/api/v1/customers', {
        name: '李娜',
        kind: 'person',
        idNumber: '11010519491231002X',
      })
    ).json<Customer>();
    const company = (
      await t.admin.post('/api/v1/customers', {
        name: '绍兴恒远纺织有限公司',
        taxNumber: 'ab-1234 5678',
      })
    ).json<Customer>();
    expect(
      (await check(t.admin, { name: '李娜', idNumber: '11010519491231002x' }))[0],
    ).toMatchObject({ id: person.id, level: 'exact', reasons: ['same ID number'] });
    expect((await check(t.admin, { registration: 'AB12345678' }))[0]).toMatchObject({
      id: company.id,
      level: 'exact',
      reasons: ['same registration number'],
    });
  });

  it('treats the same personal name without a key as possible only', async () => {
    await t.admin.post('/api/v1/customers', { name: '张伟', kind: 'person', phone: '13811112222' });
    const [byName] = await check(t.admin, { name: '张伟', phone: '13933334444' });
    expect(byName).toMatchObject({
      name: '张伟',
      level: 'possible',
      reasons: ['same person name'],
    });
    expect((await check(t.admin, { name: '张伟', phone: '138 1111 2222' }))[0]).toMatchObject({
      level: 'exact',
    });
  });

  it('refuses invalid input clearly and finds nothing for a different brand', async () => {
    expect((await t.admin.post('/api/v1/duplicates/check', { type: 'customer' })).statusCode).toBe(
      400,
    );
    const bad = await t.admin.post('/api/v1/duplicates/check', {
      type: 'customer',
      creditCode: '91330106MA2B3C4D5X',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { path: 'creditCode' } },
    });
    expect(await check(t.admin, { name: '杭州云航科技有限公司' })).toEqual([]);
  });
});
