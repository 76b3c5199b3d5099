import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiToken, LoginResponse, Me, User } from '@tide/contract';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../../../test/harness.ts';
import { loginThrottle } from './throttle.ts';

let t: TestApp;
let rootId: string;
beforeAll(async () => {
  t = await createTestApp();
  rootId =
    (await t.admin.get('/api/v1/org/nodes')).json<{ roots: { id: string }[] }>().roots[0]?.id ?? '';
});
afterAll(async () => {
  await t.close();
});

async function createUser(username: string, roles = ['sales']): Promise<User> {
  const res = await t.admin.post('/api/v1/users', {
    username,
    password: 'secret-pass-1',
    displayName: username,
    nodeId: rootId,
    roles,
  });
  expect(res.statusCode).toBe(201);
  return res.json<User>();
}

function cookiesOf(res: {
  cookies: { name: string; value: string; httpOnly?: boolean; sameSite?: string }[];
}) {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c]));
}

describe('login and sessions', () => {
  it('answers a token and the user, and sets an httpOnly SameSite session cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<LoginResponse>();
    expect(body.token).toMatch(/^tide_s_/);
    expect(body.user.username).toBe('admin');
    expect(body.user.roles).toEqual(['admin']);
    expect(body.user.tenantSlug).toBe('default');
    const cookies = cookiesOf(res);
    expect(cookies.tide_session?.value).toBe(body.token);
    expect(cookies.tide_session?.httpOnly).toBe(true);
    expect(cookies.tide_session?.sameSite).toBe('Lax');
    expect(cookies.tide_csrf?.httpOnly).toBeFalsy();
  });

  it('takes the bearer token on every endpoint', async () => {
    const me = await t.admin.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json<Me>().permissions).toContain('user.manage');
  });

  it('refuses a missing, malformed or unknown token with 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });
    const malformed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Token abc' },
    });
    expect(malformed.statusCode).toBe(401);
    const unknown = await t.client('tide_s_nope').get('/api/v1/me');
    expect(unknown.statusCode).toBe(401);
  });

  it('stores passwords as argon2id hashes', async () => {
    const { rows } = await t.db.pool.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE username = 'admin'`,
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('says nothing about whether the user or the tenant exists', async () => {
    const wrongUser = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'x' },
    });
    const wrongTenant = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD, tenant: 'nope' },
    });
    expect(wrongUser.statusCode).toBe(401);
    expect(wrongTenant.statusCode).toBe(401);
    expect(wrongUser.json()).toEqual(wrongTenant.json());
  });

  it('logout ends the session', async () => {
    const c = await t.login('admin', ADMIN_PASSWORD);
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('cookie sessions and CSRF', () => {
  it('accepts reads by cookie, and writes only with the CSRF header', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const { csrfToken, token } = login.json<LoginResponse>();
    const cookies = { tide_session: token, tide_csrf: csrfToken };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies })).statusCode).toBe(
      200,
    );

    const body = { name: 'csrf-probe', parentId: rootId };
    const noHeader = await t.app.inject({
      method: 'POST',
      url: '/api/v1/org/nodes',
      cookies,
      payload: body,
    });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json()).toMatchObject({ error: { code: 'CSRF_FAILED' } });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/org/nodes',
      cookies,
      headers: { 'x-csrf-token': 'forged' },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    const { rows } = await t.db.pool.query(`SELECT 1 FROM org_nodes WHERE name = 'csrf-probe'`);
    expect(rows).toHaveLength(0);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/org/nodes',
      cookies,
      headers: { 'x-csrf-token': csrfToken },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
  });

  it('does not ask bearer-token callers for a CSRF header', async () => {
    const res = await t.admin.post('/api/v1/org/nodes', { name: 'bearer-probe', parentId: rootId });
    expect(res.statusCode).toBe(201);
  });
});

describe('personal API tokens', () => {
  it('are shown once, stored hashed, listed, usable and revocable', async () => {
    await createUser('integrator');
    const rep = await t.login('integrator', 'secret-pass-1');
    const created = await rep.post('/api/v1/me/tokens', { name: 'ERP sync' });
    expect(created.statusCode).toBe(201);
    const token = created.json<CreatedApiToken>();
    expect(token.token).toMatch(/^tide_pat_/);

    const { rows } = await t.db.pool.query<{ token_hash: string }>(
      `SELECT token_hash FROM auth_tokens WHERE id = $1`,
      [token.id],
    );
    expect(rows[0]?.token_hash).toHaveLength(64);
    expect(rows[0]?.token_hash).not.toContain(token.token);

    const list = (await rep.get('/api/v1/me/tokens')).json<{ items: Record<string, unknown>[] }>();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).not.toHaveProperty('token');
    expect(list.items[0]).toMatchObject({ name: 'ERP sync', prefix: token.token.slice(0, 13) });

    const viaToken = t.client(token.token);
    expect((await viaToken.get('/api/v1/me')).json<Me>().username).toBe('integrator');

    // Another user cannot revoke it.
    expect((await t.admin.del(`/api/v1/me/tokens/${token.id}`)).statusCode).toBe(404);
    expect((await rep.del(`/api/v1/me/tokens/${token.id}`)).statusCode).toBe(200);
    expect((await viaToken.get('/api/v1/me')).statusCode).toBe(401);
    expect((await rep.get('/api/v1/me/tokens')).json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it('expire when asked to', async () => {
    const created = (
      await t.admin.post('/api/v1/me/tokens', { name: 'short', expiresInDays: 1 })
    ).json<CreatedApiToken>();
    expect(created.expiresAt).not.toBeNull();
    await t.db.pool.query(
      `UPDATE auth_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [created.id],
    );
    expect((await t.client(created.token).get('/api/v1/me')).statusCode).toBe(401);
  });
});

async function attempt(username: string, password: string, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });
}

/** The test's clock: the wait a throttle imposes is over, as if its time had passed. */
async function waitOut(key: string) {
  await t.db.pool.query(
    `UPDATE login_throttles SET blocked_until = now() - interval '1 second' WHERE key = $1`,
    [key],
  );
}

describe('login throttling', () => {
  it('lets at most the free attempts be checked when wrong passwords arrive at once', async () => {
    const u = await createUser('rushed');
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => attempt('rushed', 'wrong-guess', `10.3.0.${i + 1}`)),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(loginThrottle.user.freeAttempts);
    expect(codes.filter((c) => c === 429)).toHaveLength(15 - loginThrottle.user.freeAttempts);
    // Only the attempts let through were checked (each checked attempt is recorded).
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM login_attempts WHERE username = 'rushed'`,
    );
    expect(rows[0]?.n).toBe(loginThrottle.user.freeAttempts);
    const audit = await t.admin.get(`/api/v1/audit?entity=user&entityId=${u.id}&pageSize=100`);
    const failed = audit
      .json<{ items: { action: string }[] }>()
      .items.filter((e) => e.action === 'login_failed');
    expect(failed).toHaveLength(loginThrottle.user.freeAttempts);
  });

  it('makes a user wait a growing delay after repeated failures, then lets the right password in', async () => {
    const u = await createUser('target');
    const key = `user:${t.tenantId}:target`;
    for (let i = 0; i < loginThrottle.user.freeAttempts; i++) {
      expect((await attempt('target', 'wrong', `10.0.0.${i + 1}`)).statusCode).toBe(401);
    }
    const blocked = await attempt('target', 'secret-pass-1', '10.0.1.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { scope: 'user' } },
    });
    const first = Number(blocked.headers['retry-after']);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(loginThrottle.user.baseDelaySeconds);

    // Once the delay is over, one more wrong guess doubles the next wait.
    await waitOut(key);
    expect((await attempt('target', 'wrong', '10.0.1.2')).statusCode).toBe(401);
    const again = await attempt('target', 'secret-pass-1', '10.0.1.3');
    expect(again.statusCode).toBe(429);
    const second = Number(again.headers['retry-after']);
    expect(second).toBeGreaterThan(loginThrottle.user.baseDelaySeconds);
    expect(second).toBeLessThanOrEqual(2 * loginThrottle.user.baseDelaySeconds);

    // The real user is not locked out: after the delay the right password signs in,
    // and their count starts over.
    await waitOut(key);
    expect((await attempt('target', 'secret-pass-1', '10.0.1.4')).statusCode).toBe(200);
    expect((await attempt('target', 'wrong', '10.0.1.5')).statusCode).toBe(401);
    expect((await attempt('target', 'secret-pass-1', '10.0.1.6')).statusCode).toBe(200);
    // Other users are not affected.
    expect((await t.login('admin', ADMIN_PASSWORD)).token).toBeTruthy();
    expect(u.id).toBeTruthy();
  });

  it('caps the delay however long the guessing goes on', async () => {
    await createUser('besieged');
    const key = `user:${t.tenantId}:besieged`;
    await t.db.pool.query(
      `INSERT INTO login_throttles (key, failures, blocked_until) VALUES ($1, 200, now() - interval '1 second')`,
      [key],
    );
    expect((await attempt('besieged', 'wrong', '10.4.0.1')).statusCode).toBe(401);
    const res = await attempt('besieged', 'secret-pass-1', '10.4.0.2');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(
      loginThrottle.user.maxDelaySeconds,
    );
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(
      loginThrottle.user.maxDelaySeconds - 5,
    );
  });

  it('slows an address spraying many usernames only past a higher threshold', async () => {
    const ip = '10.9.9.9';
    // Colleagues behind one office address: many more failures than one user may have…
    for (let i = 0; i < loginThrottle.address.freeAttempts - 1; i++) {
      expect((await attempt(`spray${i}`, 'x', ip)).statusCode).toBe(401);
    }
    // …and a colleague still signs in from it (giving back the turn it took).
    expect((await attempt('admin', ADMIN_PASSWORD, ip)).statusCode).toBe(200);
    expect((await attempt('spray-last', 'x', ip)).statusCode).toBe(401);
    const res = await attempt('admin', ADMIN_PASSWORD, ip);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ error: { details: { scope: 'address' } } });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The same user from another address is not slowed by this one.
    expect((await attempt('admin', ADMIN_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    await waitOut(`ip:${ip}`);
    expect((await attempt('admin', ADMIN_PASSWORD, ip)).statusCode).toBe(200);
  });

  it('forgets counts nobody added to for an hour, pruning their rows as attempts come', async () => {
    await t.db.pool.query(
      `INSERT INTO login_throttles (key, failures, last_attempt_at)
       VALUES ('ip:10.8.8.8', 29, now() - interval '2 hours'), ('ip:10.8.8.9', 3, now())`,
    );
    expect((await attempt('admin', ADMIN_PASSWORD, '10.8.8.10')).statusCode).toBe(200);
    const { rows } = await t.db.pool.query<{ key: string }>(
      `SELECT key FROM login_throttles WHERE key LIKE 'ip:10.8.8.%' ORDER BY key`,
    );
    expect(rows.map((r) => r.key)).toEqual(['ip:10.8.8.10', 'ip:10.8.8.9']);
  });

  it('records failed sign-ins of known users in the audit log', async () => {
    const audit = await t.admin.get('/api/v1/audit?entity=user&pageSize=200');
    const actions = audit.json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(actions).toContain('login_failed');
    expect(actions).toContain('login');
  });
});

describe('deactivated users', () => {
  it('cannot sign in, and their sessions and tokens die at once', async () => {
    const u = await createUser('leaver');
    const session = await t.login('leaver', 'secret-pass-1');
    const pat = (
      await session.post('/api/v1/me/tokens', { name: 'script' })
    ).json<CreatedApiToken>();
    const res = await t.admin.post(`/api/v1/users/${u.id}/deactivate`, { transferTo: 'pool' });
    expect(res.statusCode).toBe(200);
    expect(res.json<User>().active).toBe(false);
    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    expect((await t.client(pat.token).get('/api/v1/me')).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'leaver', password: 'secret-pass-1' },
    });
    expect(login.statusCode).toBe(401);
  });
});

describe('own password', () => {
  it('changes only with the current password', async () => {
    await createUser('changer');
    const c = await t.login('changer', 'secret-pass-1');
    const wrong = await c.post('/api/v1/me/password', {
      currentPassword: 'nope',
      newPassword: 'another-pass-2',
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      (
        await c.post('/api/v1/me/password', {
          currentPassword: 'secret-pass-1',
          newPassword: 'another-pass-2',
        })
      ).statusCode,
    ).toBe(200);
    expect((await t.login('changer', 'another-pass-2')).token).toBeTruthy();
  });

  it('ends every other session and personal API token, and the changing session goes on', async () => {
    const u = await createUser('rotator');
    const current = await t.login('rotator', 'secret-pass-1');
    const other = await t.login('rotator', 'secret-pass-1');
    const pat = (await current.post('/api/v1/me/tokens', { name: 'cron' })).json<CreatedApiToken>();
    expect((await t.client(pat.token).get('/api/v1/me')).statusCode).toBe(200);

    const res = await current.post('/api/v1/me/password', {
      currentPassword: 'secret-pass-1',
      newPassword: 'rotated-pass-7',
    });
    expect(res.statusCode).toBe(200);
    expect((await current.get('/api/v1/me')).statusCode).toBe(200);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    expect((await t.client(pat.token).get('/api/v1/me')).statusCode).toBe(401);

    const audit = await t.admin.get(`/api/v1/audit?entity=user&entityId=${u.id}&pageSize=50`);
    const entry = audit
      .json<{ items: { action: string; changes: Record<string, { after: unknown }> }[] }>()
      .items.find((e) => e.action === 'change_password');
    expect(entry?.changes.tokensRevoked?.after).toBe(2);
  });

  it('keeps a cookie session going when it changes the password', async () => {
    await createUser('cookie.rotator');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'cookie.rotator', password: 'secret-pass-1' },
    });
    const { token, csrfToken } = login.json<LoginResponse>();
    const cookies = { tide_session: token, tide_csrf: csrfToken };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      cookies,
      headers: { 'x-csrf-token': csrfToken },
      payload: { currentPassword: 'secret-pass-1', newPassword: 'rotated-pass-8' },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies })).statusCode).toBe(
      200,
    );
  });

  it('refuses a weak new password, saying why, and changes nothing', async () => {
    await createUser('weakling');
    const c = await t.login('weakling', 'secret-pass-1');
    for (const [newPassword, reason] of [
      ['password', 'password.common'],
      ['12345678', 'password.common'],
      ['        ', 'password.whitespace'],
      ['weakling', 'password.username'],
      ['woaini1314', 'password.common'],
    ] as const) {
      const res = await c.post('/api/v1/me/password', {
        currentPassword: 'secret-pass-1',
        newPassword,
      });
      expect(res.statusCode, newPassword).toBe(400);
      expect(res.json(), newPassword).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: { path: 'newPassword', reason } },
      });
    }
    expect((await t.login('weakling', 'secret-pass-1')).token).toBeTruthy();
  });
});
