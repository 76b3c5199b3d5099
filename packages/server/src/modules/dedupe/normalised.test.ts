import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Lead } from '@tide/contract';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { dataSteps } from './data-steps.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('normalised values stored beside the raw ones', () => {
  it('stores E.164 phones and division codes for leads, keeping what was typed', async () => {
    const res = await t.admin.post('/api/v1/leads', {
      company: '浙江杭州云帆科技有限公司',
      phone: '+86 138-1234-5678',
      address: '杭州市西湖区文三路九十号',
    });
    const lead = res.json<Lead>();
    expect(lead).toMatchObject({
      phone: '+86 138-1234-5678',
      phoneE164: '+8613812345678',
      provinceCode: '330000',
      cityCode: '330100',
      districtCode: '330106',
    });
    const { rows } = await t.db.pool.query<{ company_core: string }>(
      'SELECT company_core FROM leads WHERE id = $1',
      [lead.id],
    );
    expect(rows[0]?.company_core).toBe('云帆科技');
  });

  it('refuses invalid phones with a clear 400 and changes nothing', async () => {
    const before = await t.db.pool.query('SELECT count(*)::int AS n FROM leads');
    const res = await t.admin.post('/api/v1/leads', { company: 'x', phone: '123456' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: '"123456" is not a valid phone number',
        details: { path: 'phone' },
      },
    });
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM leads')).rows).toEqual(
      before.rows,
    );
  });

  it('stores customers’ identity keys case-folded and their name core, place and branch', async () => {
    const res = await t.admin.post('/api/v1/customers', {
      name: '雲帆科技有限公司（杭州）上海分公司',
      creditCode: ' 91330106ma2b3c4d5d ',
      phone: '(0571) 8888-1234',
      address: '北京朝阳区建国路八十八号',
    });
    expect(res.statusCode).toBe(201);
    const c = res.json<Customer>();
    expect(c).toMatchObject({
      creditCode: '91330106MA2B3C4D5D',
      phoneE164: '+8657188881234',
      provinceCode: '110000',
      districtCode: '110105',
      addressDetail: '建国路88号',
    });
    const { rows } = await t.db.pool.query<{ name_core: string; name_branch: string | null }>(
      'SELECT name_core, name_branch FROM customers WHERE id = $1',
      [c.id],
    );
    expect(rows[0]).toEqual({ name_core: '云帆科技', name_branch: '上海分公司' });
  });

  it('loads the 2023 division table', async () => {
    const { rows } = await t.db.pool.query<{
      name: string;
      level: number;
      parent_code: string;
      data_version: string;
    }>(`SELECT name, level, parent_code, data_version FROM divisions WHERE code = '330106'`);
    expect(rows[0]).toEqual({
      name: '西湖区',
      level: 3,
      parent_code: '330100',
      data_version: '2023',
    });
    const { rows: n } = await t.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM divisions',
    );
    expect(n[0]?.n).toBeGreaterThan(3000);
  });

  it('backfills rows written before the normalised columns existed', async () => {
    const lead = (
      await t.admin.post('/api/v1/leads', {
        company: '星辰贸易（上海）有限公司',
        phone: '021-5888 6666',
      })
    ).json<Lead>();
    await t.db.pool.query('UPDATE leads SET phone_e164 = NULL, company_core = NULL WHERE id = $1', [
      lead.id,
    ]);
    const step = dataSteps.find((s) => s.name === '0005_normalised-backfill');
    if (!step) throw new Error('no backfill step');
    const client = await t.db.pool.connect();
    try {
      await step.run(client);
    } finally {
      client.release();
    }
    const { rows } = await t.db.pool.query<{ phone_e164: string; company_core: string }>(
      'SELECT phone_e164, company_core FROM leads WHERE id = $1',
      [lead.id],
    );
    expect(rows[0]).toEqual({ phone_e164: '+862158886666', company_core: '星辰贸易' });
  });

  it('refreshes name cores and fills the one-edit blocking keys of existing customers', async () => {
    const c = (await t.admin.post('/api/v1/customers', { name: '厦门华章建材有线公司' })).json<{
      id: string;
    }>();
    await t.db.pool.query(
      "UPDATE customers SET name_core = '华章建材有线', name_keys = NULL WHERE id = $1",
      [c.id],
    );
    const step = dataSteps.find((s) => s.name === '0008_name-keys-backfill');
    if (!step) throw new Error('no name-keys step');
    const client = await t.db.pool.connect();
    try {
      await step.run(client);
    } finally {
      client.release();
    }
    const { rows } = await t.db.pool.query<{ name_core: string; name_keys: string[] }>(
      'SELECT name_core, name_keys FROM customers WHERE id = $1',
      [c.id],
    );
    expect(rows[0]).toEqual({
      name_core: '华章建材',
      name_keys: ['华章建材', '章建材', '华建材', '华章材', '华章建'],
    });
  });
});
