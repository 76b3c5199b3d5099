import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { ensureDefaultTenant } from '../src/modules/tenants/tenants.service.ts';
import { openDatabase, type Database } from '../src/platform/db.ts';
import type { App } from '../src/platform/http.ts';
import { migrateAll } from '../src/migrations.ts';
import { tmpRoot } from './global-setup.ts';

export const isPglite = !process.env.DATABASE_URL;
export const onServerOnly =
  'needs real parallel PostgreSQL connections; PGlite is one serialized session';

export const ADMIN_PASSWORD = 'admin-pass-123';

export function tempDir(prefix: string): string {
  fs.mkdirSync(tmpRoot, { recursive: true });
  return fs.mkdtempSync(path.join(tmpRoot, `${prefix}-`));
}

/**
 * An isolated database for one test file: a copy of the migrated PGlite
 * template, or a fresh schema on the PostgreSQL server of DATABASE_URL.
 */
export async function openTestDatabase(): Promise<Database & { dataDir: string | null }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const db = await openDatabase({ databaseUrl: url, dataDir: '', schema, poolSize: 5 });
    await migrateAll(db.pool);
    return {
      ...db,
      dataDir: null,
      async close() {
        await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
        await db.close();
      },
    };
  }
  const template = inject('pgliteTemplate');
  if (!template) throw new Error('global setup did not prepare a PGlite template');
  const dataDir = tempDir('db');
  fs.cpSync(template, dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, 'tide.lock'), { force: true });
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  await migrateAll(db.pool);
  return {
    ...db,
    dataDir,
    async close() {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ TIDE_LOG_LEVEL: 'silent' }),
    adminPassword: ADMIN_PASSWORD,
    jobPollSeconds: 0.5,
    jobSchedules: false,
    ...overrides,
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Client {
  token: string;
  request(method: Method, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export interface TestApp {
  app: App;
  db: Database;
  tenantId: string;
  admin: Client;
  /** A client signed in as this user (bearer token). */
  login(username: string, password: string, tenant?: string): Promise<Client>;
  client(token: string): Client;
  close(): Promise<void>;
}

export function clientFor(app: App, token: string): Client {
  const request = (method: Method, url: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  return {
    token,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body) => request('PATCH', url, body ?? {}),
    put: (url, body) => request('PUT', url, body ?? {}),
    del: (url) => request('DELETE', url),
  };
}

export async function loginToken(
  app: App,
  username: string,
  password: string,
  tenant?: string,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: tenant ? { username, password, tenant } : { username, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return res.json<{ token: string }>().token;
}

/** A running app on an isolated database with the default tenant and its admin. */
export async function createTestApp(): Promise<TestApp> {
  const db = await openTestDatabase();
  const created = await ensureDefaultTenant(db.db, ADMIN_PASSWORD);
  if (!created) throw new Error('the test database already had a default tenant');
  const app = await buildApp({ config: testConfig(), db }, { logger: false });
  await app.ready();
  const admin = clientFor(app, await loginToken(app, 'admin', ADMIN_PASSWORD));
  return {
    app,
    db,
    tenantId: created.tenant.id,
    admin,
    async login(username, password, tenant) {
      return clientFor(app, await loginToken(app, username, password, tenant));
    },
    client: (token) => clientFor(app, token),
    async close() {
      await app.close();
      await db.close();
    },
  };
}
