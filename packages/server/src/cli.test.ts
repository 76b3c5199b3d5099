import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { openDatabase, type Database } from './platform/db.ts';
import { cliEnv, runTide, startTide, type CliEnv } from '../test/cli.ts';
import { isPglite, loginToken, onServerOnly, testConfig } from '../test/harness.ts';

let env: CliEnv;
beforeAll(() => {
  env = cliEnv();
});
afterAll(async () => {
  if (env.schema) {
    const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '' });
    await db.pool.query(`DROP SCHEMA IF EXISTS ${env.schema} CASCADE`);
    await db.close();
  }
  env.cleanup();
});

/** Opens the database the CLI wrote to, in this process, once the CLI has exited. */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: env.dataDir,
    schema: env.schema ?? undefined,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('tide CLI', () => {
  it(
    'migrates, creates a tenant, a user, and resets a password',
    async () => {
      const envWithAdmin = { ...env.env, TIDE_ADMIN_PASSWORD: 'first-admin-pass' };
      const migrate = await runTide(['migrate'], envWithAdmin);
      expect(migrate.stderr).toBe('');
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain('up to date');

      const tenant = await runTide(
        ['tenant', 'create', 'acme', '--name', 'Acme 贸易', '--admin-password', 'acme-admin-pass'],
        envWithAdmin,
      );
      expect(tenant.code).toBe(0);
      expect(tenant.stdout).toContain('Created tenant "acme"');
      const dup = await runTide(['tenant', 'create', 'acme'], env.env);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain('already exists');
      const weakTenant = await runTide(
        ['tenant', 'create', 'weak', '--admin-password', '12345678'],
        env.env,
      );
      expect(weakTenant.code).toBe(1);
      expect(weakTenant.stderr).toContain('most common');

      const user = await runTide(
        [
          'user',
          'create',
          'lisi',
          '--tenant',
          'acme',
          '--name',
          '李四',
          '--roles',
          'sales,telesales',
        ],
        env.env,
      );
      expect(user.code).toBe(0);
      expect(user.stdout).toContain('Created user "lisi" in tenant "acme" (sales, telesales');
      const generated = /Password: (\S+)/.exec(user.stdout)?.[1];
      expect(generated).toBeTruthy();

      const reset = await runTide(
        ['user', 'reset-password', 'lisi', '--tenant', 'acme', '--password', 'reset-pass-99'],
        env.env,
      );
      expect(reset.code).toBe(0);
      const missing = await runTide(['user', 'reset-password', 'nobody'], env.env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No user "nobody"');
      const weakReset = await runTide(
        ['user', 'reset-password', 'lisi', '--tenant', 'acme', '--password', 'lisi1234'],
        env.env,
      );
      expect(weakReset.code).toBe(1);
      expect(weakReset.stderr).toContain('username');

      await withDb(async (db) => {
        const app = await buildApp({ config: testConfig(), db }, { logger: false });
        expect(await loginToken(app, 'lisi', 'reset-pass-99', 'acme')).toMatch(/^tide_s_/);
        expect(await loginToken(app, 'admin', 'acme-admin-pass', 'acme')).toBeTruthy();
        expect(await loginToken(app, 'admin', 'first-admin-pass')).toBeTruthy();
        await app.close();
      });
    },
    // Eight real processes in a row, each opening the embedded database: slow under a loaded CI.
    120_000,
  );

  it(
    'seeds the demo organisation: head office, three branches, eight teams bound to cities, forty people',
    async () => {
      const seed = await runTide(['seed', '--demo', '--password', 'demo-pass-123'], env.env);
      expect(seed.code).toBe(0);
      expect(seed.stdout).toContain('40 users');
      expect(seed.stdout).toContain(
        '5000 leads, 2000 customers, 3000 contacts, 1500 opportunities, 20000 follow-ups',
      );
      expect(seed.stdout).toContain('demo-pass-123');
      // Which database was filled, so the next `tide serve` is pointed at the same one.
      expect(seed.stdout).toContain(
        isPglite ? `of the embedded database in ${env.dataDir}` : 'of the PostgreSQL database ',
      );
      if (!isPglite) expect(seed.stdout).toContain(`(schema ${env.schema ?? ''})`);
      await withDb(async (db) => {
        const { rows: nodes } = await db.pool.query<{
          name: string;
          depth: number;
          manager: string | null;
          regions: string[] | null;
        }>(`
        SELECT n.name, n.depth, m.display_name AS manager,
               (SELECT array_agg(region_name) FROM territory_bindings b WHERE b.node_id = n.id) AS regions
          FROM org_nodes n JOIN tenants t ON t.id = n.tenant_id AND t.is_default
          LEFT JOIN users m ON m.id = n.manager_id ORDER BY n.depth, n.name`);
        expect(
          nodes
            .filter((n) => n.depth === 1)
            .map((n) => n.name)
            .sort(),
        ).toEqual(['华东大区', '华北大区', '华南大区']);
        const teams = nodes.filter((n) => n.depth === 2);
        expect(teams).toHaveLength(8);
        for (const team of teams) {
          expect(team.manager).toBeTruthy();
          expect(team.regions).toHaveLength(1);
        }
        expect(teams.find((t) => t.name === '杭州一组')?.regions).toEqual(['杭州市']);
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM users u JOIN tenants t ON t.id = u.tenant_id AND t.is_default WHERE u.username <> 'admin'`,
        );
        expect(rows[0]?.n).toBe(40);
        const { rows: counts } = await db.pool.query<Record<string, number>>(`
        SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM customers) AS customers,
               (SELECT count(*)::int FROM contacts) AS contacts, (SELECT count(*)::int FROM opportunities) AS opportunities,
               (SELECT count(*)::int FROM follow_ups) AS follow_ups,
               (SELECT count(DISTINCT status)::int FROM leads) AS lead_statuses,
               (SELECT count(*)::int FROM leads WHERE phone_e164 IS NULL OR city_code IS NULL) AS unparsed,
               (SELECT count(*)::int FROM follow_ups WHERE created_at < now() - interval '150 days') AS old_follow_ups`);
        expect(counts[0]).toMatchObject({
          leads: 5000,
          customers: 2000,
          contacts: 3000,
          opportunities: 1500,
          follow_ups: 20000,
          lead_statuses: 6,
          unparsed: 0,
        });
        expect(counts[0]?.old_follow_ups).toBeGreaterThan(1000);
        const app = await buildApp({ config: testConfig(), db }, { logger: false });
        const rep = await loginToken(app, 'east1.rep1', 'demo-pass-123');
        const mine = await app.inject({
          method: 'GET',
          url: '/api/v1/leads?status=following',
          headers: { authorization: `Bearer ${rep}` },
        });
        expect(mine.json<{ total: number }>().total).toBeGreaterThan(0);
        await app.close();
      });
      const again = await runTide(['seed', '--demo'], env.env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already seeded');
    },
    // A real process writing some 30,000 rows.
    90_000,
  );

  it('refuses bad configuration listing what is wrong', async () => {
    const res = await runTide(['migrate'], {
      ...env.env,
      PORT: 'eighty',
      TIDE_ADMIN_PASSWORD: 'short',
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('TIDE_ADMIN_PASSWORD');
  });

  it('shuts down gracefully on SIGTERM: in-flight requests finish, the database closes cleanly', async () => {
    const server = await startTide(env.env);
    const { port } = new URL(server.url);
    const body = JSON.stringify({ username: 'admin', password: 'definitely-wrong' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let data = '';
          res.on('data', (d: Buffer) => (data += d.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: data });
          });
        },
      );
      req.on('error', reject);
      // Half the body now; the rest after SIGTERM: the request is in flight when shutdown starts.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 400);
      }, 200);
    });
    const answer = await response;
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(await server.exited).toBe(0);
    // The admin exists already: the reset hint says how to run it beside this server.
    expect(server.output()).toContain(
      isPglite
        ? 'stop this server (Ctrl-C), run `npx tide user reset-password admin`'
        : 'reset with `npx tide user reset-password admin`',
    );
    if (isPglite) expect(fs.existsSync(path.join(env.dataDir, 'tide.lock'))).toBe(false);
    // Reopens cleanly with everything committed.
    await withDb(async (db) => {
      const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM tenants`);
      expect(rows[0]?.n).toBe(2);
    });
  });

  it.skipIf(!isPglite)(
    'tells a second process that the embedded database is in use, and how to proceed',
    async () => {
      const server = await startTide(env.env);
      try {
        const res = await runTide(['user', 'create', 'wangwu'], env.env);
        expect(res.code).toBe(2);
        expect(res.stderr).toContain('is in use by another Tide process');
        expect(res.stderr).toContain('stop that process first');
        // The running server is unharmed.
        const health = await fetch(`${server.url}/api/v1/health`);
        expect(health.status).toBe(200);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    },
  );

  it.skipIf(isPglite)(
    `lets two instances share one PostgreSQL database (skipped on PGlite: ${onServerOnly})`,
    async () => {
      const [a, b] = await Promise.all([startTide(env.env), startTide(env.env)]);
      try {
        for (const s of [a, b]) {
          const res = await fetch(`${s.url}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'lisi', password: 'reset-pass-99', tenant: 'acme' }),
          });
          expect(res.status).toBe(200);
        }
      } finally {
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        expect(await a.exited).toBe(0);
        expect(await b.exited).toBe(0);
      }
    },
  );
});
