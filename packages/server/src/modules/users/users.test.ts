import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiToken, Page, Role, User } from '@tide/contract';
import { builtinRoleNames } from '@tide/contract';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { buildOrg, USER_PASSWORD, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
});
afterAll(async () => {
  await t.close();
});

describe('users', () => {
  it('creates a user with node and roles, refusing bad input', async () => {
    const ok = await t.admin.post('/api/v1/users', {
      username: 'new.rep',
      password: USER_PASSWORD,
      displayName: '新销售',
      nodeId: org.nodes.teamB,
      roles: ['sales'],
      email: 'rep@example.com',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<User>()).toMatchObject({
      username: 'new.rep',
      nodeName: '杭州二组',
      roles: ['sales'],
      active: true,
    });

    const dup = await t.admin.post('/api/v1/users', {
      username: 'NEW.REP',
      password: USER_PASSWORD,
      displayName: 'x',
      nodeId: org.nodes.teamB,
      roles: ['sales'],
    });
    expect(dup.statusCode).toBe(409);
    const role = await t.admin.post('/api/v1/users', {
      username: 'r2',
      password: USER_PASSWORD,
      displayName: 'x',
      nodeId: org.nodes.teamB,
      roles: ['wizard'],
    });
    expect(role.statusCode).toBe(400);
    expect(role.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { missing: ['wizard'] } },
    });
    const node = await t.admin.post('/api/v1/users', {
      username: 'r3',
      password: USER_PASSWORD,
      displayName: 'x',
      nodeId: '00000000-0000-4000-8000-000000000000',
      roles: ['sales'],
    });
    expect(node.statusCode).toBe(400);
    const email = await t.admin.post('/api/v1/users', {
      username: 'r4',
      password: USER_PASSWORD,
      displayName: 'x',
      nodeId: org.nodes.teamB,
      roles: ['sales'],
      email: 'not-mail',
    });
    expect(email.statusCode).toBe(400);
  });

  it('edits name, node and roles, with a field-level audit entry', async () => {
    const res = await t.admin.patch(`/api/v1/users/${org.users.repB1.id}`, {
      displayName: '王五',
      nodeId: org.nodes.teamA,
      roles: ['sales', 'telesales'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<User>()).toMatchObject({
      displayName: '王五',
      nodeId: org.nodes.teamA,
      roles: ['sales', 'telesales'],
    });
    const audit = await t.admin.get(`/api/v1/audit?entity=user&entityId=${org.users.repB1.id}`);
    const update = audit
      .json<Page<{ action: string; changes: Record<string, unknown> }>>()
      .items.find((e) => e.action === 'update');
    expect(update?.changes).toMatchObject({
      displayName: { before: 'b.rep1', after: '王五' },
      nodeId: { before: org.nodes.teamB, after: org.nodes.teamA },
      roles: { before: ['sales'], after: ['sales', 'telesales'] },
    });
    await t.admin.patch(`/api/v1/users/${org.users.repB1.id}`, {
      nodeId: org.nodes.teamB,
      roles: ['sales'],
    });
  });

  it('lists with paging, sorting and filters', async () => {
    const page1 = (await t.admin.get('/api/v1/users?pageSize=5&sort=username')).json<Page<User>>();
    expect(page1.items).toHaveLength(5);
    expect(page1.total).toBeGreaterThanOrEqual(13);
    const page2 = (await t.admin.get('/api/v1/users?pageSize=5&page=2&sort=username')).json<
      Page<User>
    >();
    const all = (await t.admin.get('/api/v1/users?pageSize=200&sort=username'))
      .json<Page<User>>()
      .items.map((u) => u.username);
    expect(all).toHaveLength(page1.total);
    expect([...page1.items, ...page2.items].map((u) => u.username)).toEqual(all.slice(0, 10));
    const desc = (await t.admin.get('/api/v1/users?sort=-username&pageSize=1')).json<Page<User>>();
    expect(desc.items[0]?.username).toBe(all.at(-1));
    const managers = (await t.admin.get('/api/v1/users?role=manager&pageSize=50')).json<
      Page<User>
    >();
    expect(managers.items.every((u) => u.roles.includes('manager'))).toBe(true);
    expect(managers.total).toBe(3);
    const search = (await t.admin.get('/api/v1/users?q=squad')).json<Page<User>>();
    expect(search.items.map((u) => u.username)).toEqual(['a.squad']);
    const subtree = (await t.admin.get(`/api/v1/users?nodeId=${org.nodes.teamA}&pageSize=50`)).json<
      Page<User>
    >();
    expect(subtree.total).toBe(5);

    const bad = await t.admin.get('/api/v1/users?sort=passwordHash');
    expect(bad.statusCode).toBe(400);
    expect((await t.admin.get('/api/v1/users?pageSize=500')).statusCode).toBe(400);
  });

  it('resets a password: the old one, the old sessions and personal API tokens stop working', async () => {
    const before = await t.login('c.rep1', USER_PASSWORD);
    const pat = (
      await before.post('/api/v1/me/tokens', { name: 'script' })
    ).json<CreatedApiToken>();
    expect((await t.client(pat.token).get('/api/v1/me')).statusCode).toBe(200);
    const res = await t.admin.post(`/api/v1/users/${org.users.repC1.id}/reset-password`, {
      password: 'brand-new-pass',
    });
    expect(res.statusCode).toBe(200);
    expect((await before.get('/api/v1/me')).statusCode).toBe(401);
    expect((await t.client(pat.token).get('/api/v1/me')).statusCode).toBe(401);
    expect((await org.users.repC1.client.get('/api/v1/me')).statusCode).toBe(401);
    const audit = await t.admin.get(
      `/api/v1/audit?entity=user&entityId=${org.users.repC1.id}&pageSize=50`,
    );
    const entry = audit
      .json<{ items: { action: string; changes: Record<string, { after: unknown }> }[] }>()
      .items.find((e) => e.action === 'reset_password');
    // The fixture's session, the one above and the personal token.
    expect(entry?.changes.tokensRevoked?.after).toBe(3);
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'c.rep1', password: USER_PASSWORD },
    });
    expect(old.statusCode).toBe(401);
    expect((await t.login('c.rep1', 'brand-new-pass')).token).toBeTruthy();
  });

  it('deactivates into a colleague or the pool, refusing nonsense targets', async () => {
    const self = await t.admin.post(`/api/v1/users/${org.users.repA2.id}/deactivate`, {
      transferTo: org.users.repA2.id,
    });
    expect(self.statusCode).toBe(400);
    const unknown = await t.admin.post(`/api/v1/users/${org.users.repA2.id}/deactivate`, {
      transferTo: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    const ok = await t.admin.post(`/api/v1/users/${org.users.repA2.id}/deactivate`, {
      transferTo: org.users.repA1.id,
    });
    expect(ok.statusCode).toBe(200);
    expect((await org.users.repA2.client.get('/api/v1/me')).statusCode).toBe(401);
    const again = await t.admin.post(`/api/v1/users/${org.users.repA2.id}/deactivate`, {
      transferTo: 'pool',
    });
    expect(again.statusCode).toBe(409);
    const back = await t.admin.post(`/api/v1/users/${org.users.repA2.id}/activate`);
    expect(back.json<User>().active).toBe(true);
    expect((await t.login('a.rep2', USER_PASSWORD)).token).toBeTruthy();
  });

  it('lets only user managers change users; colleagues are visible to all', async () => {
    const rep = org.users.repA1.client;
    expect((await rep.get('/api/v1/users')).statusCode).toBe(200);
    expect(
      (
        await rep.post('/api/v1/users', {
          username: 'x1',
          password: USER_PASSWORD,
          displayName: 'x',
          nodeId: org.nodes.teamA,
          roles: ['admin'],
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await rep.patch(`/api/v1/users/${org.users.repA1.id}`, { roles: ['admin'] })).statusCode,
    ).toBe(403);
    expect(
      (
        await org.users.mgrA.client.post(`/api/v1/users/${org.users.repA1.id}/reset-password`, {
          password: 'xxxxxxxxxx',
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('password strength', () => {
  const weak = [
    ['password', 'password.common'],
    ['12345678', 'password.common'],
    ['        ', 'password.whitespace'],
    ['zhang.san', 'password.username'],
    ['Zhang.San2026!', 'password.username'],
    ['13812345678', 'password.phone'],
    ['my13812345678', 'password.phone'],
    ['5201314a', 'password.common'],
    ['123456789a', 'password.common'],
    ['woaini1314', 'password.common'],
    ['zhangwei888', 'password.common'],
    ['wangxiuying', 'password.common'],
    ['8273645192', 'password.digitsOnly'],
  ] as const;

  it('refuses weak passwords when creating a user, saying why, and creates nothing', async () => {
    for (const [password, reason] of weak) {
      const res = await t.admin.post('/api/v1/users', {
        username: 'zhang.san',
        password,
        displayName: '张三',
        nodeId: org.nodes.teamB,
        roles: ['sales'],
        phone: '+86 138 1234 5678',
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json(), password).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: { path: 'password', reason } },
      });
    }
    const found = (await t.admin.get('/api/v1/users?q=zhang.san')).json<Page<User>>();
    expect(found.total).toBe(0);
    const ok = await t.admin.post('/api/v1/users', {
      username: 'zhang.san',
      password: 'Lantern-Harbor-62',
      displayName: '张三',
      nodeId: org.nodes.teamB,
      roles: ['sales'],
      phone: '+86 138 1234 5678',
    });
    expect(ok.statusCode).toBe(201);
  });

  it("refuses weak passwords on an admin reset, against the user's own name and phone", async () => {
    const found = (await t.admin.get('/api/v1/users?q=zhang.san')).json<Page<User>>();
    const id = found.items[0]?.id ?? '';
    for (const [password, reason] of weak) {
      const res = await t.admin.post(`/api/v1/users/${id}/reset-password`, { password });
      expect(res.statusCode, password).toBe(400);
      expect(res.json(), password).toMatchObject({ error: { details: { reason } } });
    }
    expect((await t.login('zhang.san', 'Lantern-Harbor-62')).token).toBeTruthy();
  });
});

describe('roles', () => {
  it('lists the built-in roles with their permissions', async () => {
    const res = await org.users.repA1.client.get('/api/v1/roles');
    expect(res.statusCode).toBe(200);
    const roles = res.json<{ items: Role[] }>().items;
    expect(
      roles
        .filter((r) => r.builtin)
        .map((r) => r.name)
        .sort(),
    ).toEqual([...builtinRoleNames].sort());
    const sales = roles.find((r) => r.name === 'sales');
    expect(sales?.permissions).toContain('lead.create');
    expect(sales?.permissions).not.toContain('lead.delete');
    expect(roles.find((r) => r.name === 'admin')?.permissions).toContain('role.manage');
  });

  it('composes a custom role whose permissions are enforced', async () => {
    const created = await t.admin.post('/api/v1/roles', {
      name: 'org-clerk',
      label: '组织专员',
      permissions: ['org.view', 'org.manage'],
    });
    expect(created.statusCode).toBe(201);
    const user = (
      await t.admin.post('/api/v1/users', {
        username: 'clerk',
        password: USER_PASSWORD,
        displayName: '专员',
        nodeId: org.nodes.root,
        roles: ['org-clerk'],
      })
    ).json<User>();
    const clerk = await t.login('clerk', USER_PASSWORD);
    expect(
      (await clerk.post('/api/v1/org/nodes', { name: '新部门', parentId: org.nodes.root }))
        .statusCode,
    ).toBe(201);
    expect((await clerk.get('/api/v1/users')).statusCode).toBe(403);

    const edited = await t.admin.patch('/api/v1/roles/org-clerk', {
      permissions: ['org.view', 'user.view'],
    });
    expect(edited.statusCode).toBe(200);
    expect((await clerk.get('/api/v1/users')).statusCode).toBe(200);
    expect(
      (await clerk.post('/api/v1/org/nodes', { name: '又一个', parentId: org.nodes.root }))
        .statusCode,
    ).toBe(403);

    const inUse = await t.admin.del('/api/v1/roles/org-clerk');
    expect(inUse.statusCode).toBe(409);
    await t.admin.patch(`/api/v1/users/${user.id}`, { roles: ['sales'] });
    expect((await t.admin.del('/api/v1/roles/org-clerk')).statusCode).toBe(200);
  });

  it('keeps built-in roles intact and refuses unknown permissions', async () => {
    expect(
      (await t.admin.patch('/api/v1/roles/sales', { permissions: ['lead.delete'] })).statusCode,
    ).toBe(409);
    expect((await t.admin.del('/api/v1/roles/sales')).statusCode).toBe(409);
    expect(
      (await t.admin.post('/api/v1/roles', { name: 'admin', permissions: ['org.view'] }))
        .statusCode,
    ).toBe(409);
    expect(
      (await t.admin.post('/api/v1/roles', { name: 'bad', permissions: ['fly.away'] })).statusCode,
    ).toBe(400);
    expect(
      (
        await org.users.mgrA.client.post('/api/v1/roles', {
          name: 'mine',
          permissions: ['org.view'],
        })
      ).statusCode,
    ).toBe(403);
  });

  it('does not let an admin lock themselves out', async () => {
    const me = (await t.admin.get('/api/v1/me')).json<User>();
    expect((await t.admin.patch(`/api/v1/users/${me.id}`, { roles: ['sales'] })).statusCode).toBe(
      422,
    );
    expect(
      (await t.admin.post(`/api/v1/users/${me.id}/deactivate`, { transferTo: 'pool' })).statusCode,
    ).toBe(422);
  });
});
