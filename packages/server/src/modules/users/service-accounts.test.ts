import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiToken, CreatedApiToken, Me, Page, User } from '@tide/contract';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../../../test/harness.ts';
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

async function createAccount(username: string, permissions: string[], nodeId = org.nodes.root) {
  const res = await t.admin.post('/api/v1/service-accounts', {
    username,
    displayName: `${username} 集成`,
    nodeId,
    permissions,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<User>();
}

async function issue(accountId: string, name = 'sync'): Promise<CreatedApiToken> {
  const res = await t.admin.post(`/api/v1/users/${accountId}/tokens`, { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CreatedApiToken>();
}

async function auditActions(entity: string, entityId: string): Promise<string[]> {
  const res = await t.admin.get(`/api/v1/audit?entity=${entity}&entityId=${entityId}&pageSize=50`);
  return res.json<{ items: { action: string }[] }>().items.map((e) => e.action);
}

describe('service accounts', () => {
  it('are created by admins with the permissions given, and listed as such', async () => {
    const account = await createAccount('erp.sync', ['lead.view', 'lead.create', 'lead.view']);
    expect(account).toMatchObject({
      kind: 'service',
      roles: [],
      permissions: ['lead.create', 'lead.view'],
      active: true,
    });
    const listed = (await t.admin.get('/api/v1/users?kind=service')).json<Page<User>>();
    expect(listed.items.map((u) => u.username)).toEqual(['erp.sync']);
    expect(await auditActions('user', account.id)).toContain('create');

    // Not by a manager, and not with permissions that do not exist.
    const byManager = await org.users.mgrA.client.post('/api/v1/service-accounts', {
      username: 'sneaky',
      displayName: 'x',
      nodeId: org.nodes.teamA,
      permissions: ['lead.view'],
    });
    expect(byManager.statusCode).toBe(403);
    const unknown = await t.admin.post('/api/v1/service-accounts', {
      username: 'odd',
      displayName: 'x',
      nodeId: org.nodes.root,
      permissions: ['lead.fly'],
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('cannot sign in interactively, with any password', async () => {
    await createAccount('no.login', ['lead.view']);
    for (const password of ['', 'anything-at-all', ADMIN_PASSWORD]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'no.login', password: password || 'x' },
      });
      expect(res.statusCode).toBe(401);
    }
  });

  it('act through tokens that hold only the permissions given: beyond them, 403', async () => {
    const account = await createAccount('crm.reader', ['lead.view', 'lead.create']);
    const token = await issue(account.id);
    expect(token.token).toMatch(/^tide_pat_/);
    const c = t.client(token.token);
    const me = (await c.get('/api/v1/me')).json<Me>();
    expect(me.permissions).toEqual(['lead.create', 'lead.view']);

    const lead = await c.post('/api/v1/leads', {
      company: '集成导入科技有限公司',
      phone: '13700001111',
    });
    expect(lead.statusCode, lead.body).toBe(201);
    expect((await c.get('/api/v1/leads')).statusCode).toBe(200);
    // Permissions it was not given, though a rep or an admin would have them.
    const customers = await c.get('/api/v1/customers');
    expect(customers.statusCode).toBe(403);
    expect(customers.json()).toMatchObject({
      error: { code: 'FORBIDDEN', details: { permission: 'customer.view' } },
    });
    expect((await c.get('/api/v1/users')).statusCode).toBe(403);
    expect((await c.post('/api/v1/me/tokens', { name: 'more' })).statusCode).toBe(403);
    expect(
      (
        await c.post('/api/v1/service-accounts', {
          username: 'child',
          displayName: 'x',
          nodeId: org.nodes.root,
          permissions: ['lead.view'],
        })
      ).statusCode,
    ).toBe(403);
  });

  it('read the records of their node’s subtree for the kinds they may view', async () => {
    const created = await org.users.repC1.client.post('/api/v1/leads', {
      company: '华南远景贸易有限公司',
      phone: '13700002222',
    });
    expect(created.statusCode, created.body).toBe(201);
    const east = await createAccount('east.reader', ['lead.view'], org.nodes.east);
    const south = await createAccount('south.reader', ['lead.view'], org.nodes.south);
    const q = `/api/v1/leads?q=${encodeURIComponent('华南远景')}`;
    const fromEast = (await t.client((await issue(east.id)).token).get(q)).json<Page<unknown>>();
    const fromSouth = (await t.client((await issue(south.id)).token).get(q)).json<Page<unknown>>();
    expect(fromEast.total).toBe(0);
    expect(fromSouth.total).toBe(1);
  });

  it('get their permissions changed by an admin, who gives only what they hold', async () => {
    const account = await createAccount('perm.change', ['lead.view']);
    const c = t.client((await issue(account.id)).token);
    expect((await c.get('/api/v1/customers')).statusCode).toBe(403);
    const res = await t.admin.patch(`/api/v1/users/${account.id}`, {
      permissions: ['lead.view', 'customer.view'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<User>().permissions).toEqual(['customer.view', 'lead.view']);
    expect((await c.get('/api/v1/customers')).statusCode).toBe(200);
    expect(await auditActions('user', account.id)).toContain('update');

    // Roles are for people; permissions for service accounts.
    expect(
      (await t.admin.patch(`/api/v1/users/${account.id}`, { roles: ['sales'] })).statusCode,
    ).toBe(400);
    expect(
      (
        await t.admin.patch(`/api/v1/users/${org.users.repA1.id}`, {
          permissions: ['lead.view'],
        })
      ).statusCode,
    ).toBe(400);

    // A service account that manages users still cannot give more than it holds.
    const manager = await createAccount('user.admin.bot', [
      'user.manage',
      'user.view',
      'lead.view',
    ]);
    const bot = t.client((await issue(manager.id)).token);
    const escalate = await bot.post('/api/v1/service-accounts', {
      username: 'escalated',
      displayName: 'x',
      nodeId: org.nodes.root,
      permissions: ['lead.view', 'lead.delete'],
    });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json()).toMatchObject({ error: { details: { missing: ['lead.delete'] } } });
  });

  it('have tokens listed and revoked by an admin, each audited', async () => {
    const account = await createAccount('revocable', ['lead.view']);
    const token = await issue(account.id, 'nightly');
    const list = (await t.admin.get(`/api/v1/users/${account.id}/tokens`)).json<{
      items: ApiToken[];
    }>();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).not.toHaveProperty('token');
    expect(list.items[0]?.name).toBe('nightly');
    expect(await auditActions('api_token', token.id)).toContain('create');

    const c = t.client(token.token);
    expect((await c.get('/api/v1/leads')).statusCode).toBe(200);
    expect((await t.admin.del(`/api/v1/users/${account.id}/tokens/${token.id}`)).statusCode).toBe(
      200,
    );
    expect((await c.get('/api/v1/leads')).statusCode).toBe(401);
    expect(await auditActions('api_token', token.id)).toContain('delete');
    expect((await t.admin.del(`/api/v1/users/${account.id}/tokens/${token.id}`)).statusCode).toBe(
      404,
    );
    // A person's personal tokens are theirs to manage, not an admin's.
    expect(
      (await t.admin.post(`/api/v1/users/${org.users.repA1.id}/tokens`, { name: 'x' })).statusCode,
    ).toBe(422);
  });

  it('stop working when deactivated, tokens and all', async () => {
    const account = await createAccount('retired.bot', ['lead.view']);
    const token = await issue(account.id);
    const res = await t.admin.post(`/api/v1/users/${account.id}/deactivate`, {
      transferTo: 'pool',
    });
    expect(res.statusCode).toBe(200);
    expect((await t.client(token.token).get('/api/v1/leads')).statusCode).toBe(401);
    expect(
      (await t.admin.post(`/api/v1/users/${account.id}/tokens`, { name: 'x' })).statusCode,
    ).toBe(409);
  });
  it('are not touched by password resets: they have no password', async () => {
    const account = await createAccount('outlives', ['lead.view']);
    const token = await issue(account.id);
    const reset = await t.admin.post(`/api/v1/users/${account.id}/reset-password`, {
      password: 'Lantern-Harbor-62',
    });
    expect(reset.statusCode).toBe(422);
    // (Last: it ends the harness admin's session.) The admin who issued it changes their own password; the integration goes on.
    const admin = await t.login('admin', ADMIN_PASSWORD);
    expect(
      (
        await admin.post('/api/v1/me/password', {
          currentPassword: ADMIN_PASSWORD,
          newPassword: 'Admin-Rotated-2026',
        })
      ).statusCode,
    ).toBe(200);
    expect((await t.client(token.token).get('/api/v1/leads')).statusCode).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'outlives', password: 'Lantern-Harbor-62' },
    });
    expect(login.statusCode).toBe(401);
  });
});
