import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me, OrgTree, Page, User } from '@tide/contract';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { secondTenant } from '../../../test/fixtures.ts';
import { createTenant } from './tenants.service.ts';

let t: TestApp;
let acmeAdmin: Client;
let defaultRep: User;
let acmeRep: User;

beforeAll(async () => {
  t = await createTestApp();
  acmeAdmin = await secondTenant(t);
  const mk = async (c: Client) => {
    const root = (await c.get('/api/v1/org/nodes')).json<OrgTree>().roots[0]?.id;
    const res = await c.post('/api/v1/users', {
      username: 'zhangsan',
      password: 'same-name-pass',
      displayName: '张三',
      nodeId: root,
      roles: ['sales'],
    });
    expect(res.statusCode).toBe(201);
    return res.json<User>();
  };
  defaultRep = await mk(t.admin);
  acmeRep = await mk(acmeAdmin);
});
afterAll(async () => {
  await t.close();
});

describe('tenancy', () => {
  it('lets the same usernames live in two tenants, signing in to the chosen one', async () => {
    const a = await t.login('zhangsan', 'same-name-pass');
    const b = await t.login('zhangsan', 'same-name-pass', 'acme');
    expect((await a.get('/api/v1/me')).json<Me>()).toMatchObject({
      id: defaultRep.id,
      tenantSlug: 'default',
    });
    expect((await b.get('/api/v1/me')).json<Me>()).toMatchObject({
      id: acmeRep.id,
      tenantSlug: 'acme',
      tenantName: 'Acme 贸易',
    });
    // The admin password of one tenant does not open the other.
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD, tenant: 'acme' },
    });
    expect(cross.statusCode).toBe(401);
  });

  it('shows each tenant only its own org tree, users, roles and audit', async () => {
    const defTree = (await t.admin.get('/api/v1/org/nodes')).json<OrgTree>();
    const acmeTree = (await acmeAdmin.get('/api/v1/org/nodes')).json<OrgTree>();
    expect(defTree.nodes.map((n) => n.id)).not.toEqual(
      expect.arrayContaining(acmeTree.nodes.map((n) => n.id)),
    );
    expect(acmeTree.roots[0]?.name).toBe('Acme 贸易');

    const acmeUsers = (await acmeAdmin.get('/api/v1/users?pageSize=200')).json<Page<User>>();
    expect(acmeUsers.items.map((u) => u.id).sort()).toEqual(
      [acmeRep.id, (await acmeAdmin.get('/api/v1/me')).json<Me>().id].sort(),
    );

    const acmeAudit = (await acmeAdmin.get('/api/v1/audit?pageSize=200')).json<
      Page<{ entityId: string }>
    >();
    expect(acmeAudit.items.map((e) => e.entityId)).not.toContain(defaultRep.id);
  });

  it('answers 404 for another tenant’s records, and changes nothing', async () => {
    expect((await t.admin.get(`/api/v1/users/${acmeRep.id}`)).statusCode).toBe(404);
    expect(
      (await t.admin.patch(`/api/v1/users/${acmeRep.id}`, { displayName: 'hijacked' })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.admin.post(`/api/v1/users/${acmeRep.id}/reset-password`, {
          password: 'hijacked-pass',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.admin.post(`/api/v1/users/${acmeRep.id}/deactivate`, { transferTo: 'pool' }))
        .statusCode,
    ).toBe(404);
    const acmeRoot = (await acmeAdmin.get('/api/v1/org/nodes')).json<OrgTree>().roots[0]?.id ?? '';
    expect(
      (await t.admin.patch(`/api/v1/org/nodes/${acmeRoot}`, { name: 'hijacked' })).statusCode,
    ).toBe(404);
    expect(
      (await t.admin.post('/api/v1/org/nodes', { name: 'in acme', parentId: acmeRoot })).statusCode,
    ).toBe(400);
    expect(
      (
        await t.admin.post('/api/v1/users', {
          username: 'spy',
          password: 'spy-pass-123',
          displayName: 'spy',
          nodeId: acmeRoot,
          roles: ['sales'],
        })
      ).statusCode,
    ).toBe(400);

    const still = (await acmeAdmin.get(`/api/v1/users/${acmeRep.id}`)).json<User>();
    expect(still).toMatchObject({ displayName: '张三', active: true });
    expect((await t.login('zhangsan', 'same-name-pass', 'acme')).token).toBeTruthy();
  });

  it('refuses a duplicate or malformed tenant slug', async () => {
    await expect(createTenant(t.db.db, { slug: 'acme', name: 'again' })).rejects.toThrow(
      /already exists/,
    );
    await expect(createTenant(t.db.db, { slug: 'Bad Slug!', name: 'x' })).rejects.toThrow(/slug/);
  });
});
