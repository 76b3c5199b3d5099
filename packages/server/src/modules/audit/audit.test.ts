import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Page } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  // Some activity by people in different teams.
  await org.users.repA1.client.post('/api/v1/me/tokens', { name: 'a1 token' });
  await org.users.repB1.client.post('/api/v1/me/tokens', { name: 'b1 token' });
  await org.users.repC1.client.post('/api/v1/me/tokens', { name: 'c1 token' });
});
afterAll(async () => {
  await t.close();
});

async function entries(
  c: Org['users'][keyof Org['users']]['client'],
  query = '',
): Promise<AuditEntry[]> {
  const res = await c.get(`/api/v1/audit?pageSize=200${query}`);
  expect(res.statusCode).toBe(200);
  return res.json<Page<AuditEntry>>().items;
}

describe('audit log', () => {
  it('records who, when, which record and field-level before/after', async () => {
    const created = await entries(t.admin, `&entity=user&entityId=${org.users.repA1.id}`);
    const create = created.find((e) => e.action === 'create');
    expect(create).toMatchObject({
      entity: 'user',
      entityId: org.users.repA1.id,
      actorName: '管理员',
    });
    expect(create?.changes.username).toEqual({ before: null, after: 'a.rep1' });
    expect(create?.changes).not.toHaveProperty('passwordHash');
    expect(Date.parse(create?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(create?.requestId).toBeTruthy();
  });

  it('shows a rep their own actions only', async () => {
    const mine = await entries(org.users.repA1.client);
    expect(mine.length).toBeGreaterThan(0);
    expect(
      mine.every((e) => e.actorId === org.users.repA1.id || e.entityId === org.users.repA1.id),
    ).toBe(true);
    expect(mine.some((e) => e.changes.name?.after === 'b1 token')).toBe(false);
  });

  it('shows a manager their subtree, not a sibling team or another branch', async () => {
    const seen = await entries(org.users.mgrA.client, '&entity=api_token');
    const names = seen.map((e) => e.changes.name?.after);
    expect(names).toContain('a1 token');
    expect(names).not.toContain('b1 token');
    expect(names).not.toContain('c1 token');
    const branch = (await entries(org.users.eastMgr.client, '&entity=api_token')).map(
      (e) => e.changes.name?.after,
    );
    expect(branch).toEqual(expect.arrayContaining(['a1 token', 'b1 token']));
    expect(branch).not.toContain('c1 token');
  });

  it('shows an admin the whole tenant', async () => {
    const all = (await entries(t.admin, '&entity=api_token')).map((e) => e.changes.name?.after);
    expect(all).toEqual(expect.arrayContaining(['a1 token', 'b1 token', 'c1 token']));
  });

  it('shows entries about business records exactly to those who see the record, deleted ones included', async () => {
    const { repA1, repA2, mgrA, mgrB, eastMgr, repB1 } = org.users;
    const created = async (c: Client, url: string, body: Record<string, unknown>) => {
      const res = await c.post(url, body);
      expect(res.statusCode).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const lead = await created(repA1.client, '/api/v1/leads', { company: '审计可见线索' });
    const gone = await created(repA1.client, '/api/v1/leads', { company: '审计已删线索' });
    const customer = await created(repA1.client, '/api/v1/customers', { name: '审计可见客户' });
    const contact = await created(repA1.client, '/api/v1/contacts', {
      customerId: customer,
      name: '审计联系人',
    });
    // The admin's edits: only the record's visibility can show them to others.
    expect(
      (await t.admin.patch(`/api/v1/leads/${lead}`, { company: '审计可见线索改' })).statusCode,
    ).toBe(200);
    expect((await t.admin.patch(`/api/v1/contacts/${contact}`, { title: '采购' })).statusCode).toBe(
      200,
    );
    expect(
      (await t.admin.patch(`/api/v1/users/${repA2.id}`, { displayName: '审计改名' })).statusCode,
    ).toBe(200);
    expect((await t.admin.del(`/api/v1/leads/${gone}`)).statusCode).toBe(200);

    const byAdmin = async (c: Client, entity: string, id: string) =>
      (await entries(c, `&entity=${entity}&entityId=${id}`)).filter((e) => e.actorId !== repA1.id)
        .length > 0;
    const cases: [string, string, Client, boolean][] = [
      ['lead', lead, repA1.client, true],
      ['lead', lead, repA2.client, false],
      ['lead', lead, mgrA.client, true],
      ['lead', lead, eastMgr.client, true],
      ['lead', lead, mgrB.client, false],
      ['lead', gone, repA1.client, true],
      ['lead', gone, mgrA.client, true],
      ['lead', gone, repB1.client, false],
      ['contact', contact, repA1.client, true],
      ['contact', contact, repA2.client, false],
      ['contact', contact, mgrA.client, true],
      ['contact', contact, mgrB.client, false],
      ['user', repA2.id, repA2.client, true],
      ['user', repA2.id, repA1.client, false],
      ['user', repA2.id, mgrA.client, true],
      ['user', repA2.id, mgrB.client, false],
    ];
    const seen = await Promise.all(cases.map(([entity, id, c]) => byAdmin(c, entity, id)));
    expect(seen).toEqual(cases.map(([, , , visible]) => visible));
  });

  it('keeps a failed write out of the log: the change and its entry commit together', async () => {
    const before = (await entries(t.admin, '&entity=org_node')).length;
    const res = await t.admin.post('/api/v1/org/nodes', { name: '华东', parentId: org.nodes.root });
    expect(res.statusCode).toBe(409);
    expect((await entries(t.admin, '&entity=org_node')).length).toBe(before);
  });

  it('needs the audit permission', async () => {
    const role = await t.admin.post('/api/v1/roles', { name: 'viewer', permissions: ['org.view'] });
    expect(role.statusCode).toBe(201);
    await t.admin.post('/api/v1/users', {
      username: 'viewer',
      password: 'viewer-pass-1',
      displayName: 'v',
      nodeId: org.nodes.root,
      roles: ['viewer'],
    });
    const viewer = await t.login('viewer', 'viewer-pass-1');
    expect((await viewer.get('/api/v1/audit')).statusCode).toBe(403);
  });
});
