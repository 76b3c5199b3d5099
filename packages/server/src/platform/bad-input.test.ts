import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUp, Lead } from '@tide/contract';
import { buildApp } from '../app.ts';
import { createTestApp, testConfig, type TestApp } from '../../test/harness.ts';
import { buildOrg, type Org } from '../../test/fixtures.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
});
afterAll(async () => {
  await t.close();
});

interface ErrorJson {
  error: { code: string; message: string; details?: { path: string; in: string }[] };
}

const leadCount = async (): Promise<number> =>
  (await t.admin.get('/api/v1/leads?pageSize=1')).json<{ total: number }>().total;

describe('text PostgreSQL cannot keep', () => {
  it('refuses a NUL in the sign-in tenant with 400 naming the field, in Chinese by default', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'x', tenant: 'de\u0000mo' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorJson>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toBe(
      '字段 tenant 含有无法保存的字符（空字符或不成对的 UTF-16 代理字符），请删除后重试',
    );
    expect(body.error.details).toEqual([
      { path: 'tenant', in: 'body', message: body.error.message },
    ]);
  });

  it('says so in English to an English reader, and names nested fields and query parameters', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/intake/leads',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
      payload: { formKey: 'k\u0000', company: '官网客户', phone: '13800138000' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error.message).toMatch(
      /^Invalid body field formKey: it contains a character that cannot be stored/,
    );

    const query = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?entityId=a%00b',
      headers: { authorization: `Bearer ${t.admin.token}`, 'accept-language': 'en' },
    });
    expect(query.statusCode).toBe(400);
    expect(query.json<ErrorJson>().error.details).toEqual([
      expect.objectContaining({ path: 'entityId', in: 'querystring' }),
    ]);

    const nested = await t.admin.put('/api/v1/opportunity-stages', {
      stages: [{ key: 'x', name: '阶\u0000段', probability: 10, outcome: 'open' }],
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json<ErrorJson>().error.details?.[0]?.path).toBe('stages.0.name');
  });

  it('refuses a lone surrogate, which the audit log cannot keep, and creates nothing', async () => {
    const before = await leadCount();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers: { authorization: `Bearer ${t.admin.token}`, 'content-type': 'application/json' },
      payload: '{"company":"半个\\ud800字符","phone":"13800138000"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error.details?.[0]).toMatchObject({ path: 'company' });
    expect(await leadCount()).toBe(before);

    // A whole surrogate pair is an ordinary character.
    const ok = await t.admin.post('/api/v1/leads', { company: '表情😀公司', phone: '13800138001' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<Lead>().company).toBe('表情😀公司');
  });
});

describe('an update that names nothing to change', () => {
  it('is refused with 400 on every PATCH route, and changes nothing', async () => {
    const rep = org.users.repA1.client;
    const lead = (await rep.post('/api/v1/leads', { company: '空补丁公司' })).json<Lead>();
    const fu = (
      await rep.post(`/api/v1/leads/${lead.id}/follow-ups`, { type: 'call', content: '初次电话' })
    ).json<FollowUp>();
    for (const body of [{}, { notAField: 1 }]) {
      const res = await rep.patch(`/api/v1/follow-ups/${fu.id}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorJson>().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await rep.patch(`/api/v1/leads/${lead.id}`, {})).statusCode).toBe(400);
    expect((await t.admin.patch('/api/v1/settings', {})).statusCode).toBe(400);
    expect((await rep.get(`/api/v1/follow-ups/${fu.id}`)).json<FollowUp>().content).toBe(
      '初次电话',
    );
  });
});

describe('records named in a body that the caller cannot see', () => {
  it('answers 404 for a contact or an opportunity on a customer of another team', async () => {
    const other = await org.users.repB1.client.post('/api/v1/customers', { name: '二组的客户' });
    const customerId = other.json<{ id: string }>().id;
    const rep = org.users.repA1.client;
    const contact = await rep.post('/api/v1/contacts', { customerId, name: '王五' });
    expect(contact.statusCode).toBe(404);
    expect(contact.json<ErrorJson>().error.code).toBe('NOT_FOUND');
    const opp = await rep.post('/api/v1/opportunities', { customerId, name: '越权商机' });
    expect(opp.statusCode).toBe(404);
  });
});

describe('caching', () => {
  it('marks JSON answers, errors included, as not to be stored', async () => {
    for (const res of [
      await t.admin.get('/api/v1/me'),
      await t.admin.get('/api/v1/leads/7d0c1f8e-3b5a-4c2d-9e6f-0a1b2c3d4e5f'),
      await t.app.inject({ method: 'GET', url: '/api/v1/me' }),
    ]) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('error logs', () => {
  it('log a failed query with its codes and names but none of the values it carried', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await buildApp(
      { config: testConfig({ logLevel: 'info' }), db: t.db },
      { logStream: stream },
    );
    await app.ready();
    // A rule the database holds and the API does not know: PostgreSQL's refusal quotes
    // the whole row in its detail, and the driver's error lists every parameter.
    await t.db.pool.query(
      `ALTER TABLE leads ADD CONSTRAINT leads_no_secret CHECK (company NOT LIKE '%机密%')`,
    );
    try {
      const secret = '机密客户九九八';
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        headers: { authorization: `Bearer ${t.admin.token}` },
        payload: { company: secret, phone: '13912345678', email: 'ceo@secret.example' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json<ErrorJson>().error).toEqual({ code: 'INTERNAL', message: 'Internal error' });
      const logged = lines.join('');
      expect(logged).toContain('request failed');
      expect(logged).toContain('23514');
      expect(logged).toContain('leads_no_secret');
      expect(logged).toContain(res.headers['x-request-id']);
      for (const value of [secret, '13912345678', '+8613912345678', 'ceo@secret.example'])
        expect(logged).not.toContain(value);
    } finally {
      await t.db.pool.query('ALTER TABLE leads DROP CONSTRAINT leads_no_secret');
      await app.close();
    }
  });
});
