import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '@tide/contract';
import { cliEnv, startTide, type CliEnv, type RunningServer } from '../../../test/cli.ts';
import { isPglite, onServerOnly } from '../../../test/harness.ts';
import { openDatabase, type Database } from '../../platform/db.ts';

const DUE = 3000;
const ADMIN_PASSWORD = 'two-instances-123';

let env: CliEnv | undefined;
const servers: RunningServer[] = [];
let db: Database | undefined;

beforeAll(async () => {
  if (isPglite) return;
  env = cliEnv();
  const serverEnv = {
    ...env.env,
    TIDE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TIDE_JOB_POLL_SECONDS: '0.5',
    TIDE_JOB_SCHEDULES: 'true',
    // Every minute, so the test sees each instance's clock try to send the same slots.
    TIDE_POOL_SWEEP_CRON: '* * * * *',
  };
  // The first start migrates and creates the tenant; the second joins it.
  servers.push(await startTide(serverEnv));
  servers.push(await startTide(serverEnv));
  db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: '',
    schema: env.schema ?? '',
    poolSize: 2,
  });
}, 120_000);

afterAll(async () => {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
  if (db && env?.schema) {
    await db.pool.query(`DROP SCHEMA ${env.schema} CASCADE`);
    await db.pool.query(`DROP SCHEMA IF EXISTS ${env.schema}_jobs CASCADE`);
    await db.close();
  }
  env?.cleanup();
});

async function login(
  server: RunningServer,
): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  return (path, init = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  if (!db) throw new Error('no database');
  return (await db.pool.query<{ n: number }>(sql, params)).rows[0]?.n ?? -1;
}

describe('two server instances on one PostgreSQL database', () => {
  it.skipIf(isPglite)(
    `drop each due record exactly once, and send each cron slot once (skipped on PGlite: ${onServerOnly})`,
    async () => {
      const [a, b] = servers;
      if (!a || !b || !db) throw new Error('servers not started');
      const [apiA, apiB] = [await login(a), await login(b)];
      const pools = (await (await apiA('/pools')).json()) as { items: Pool[] };
      const pool = pools.items.find((p) => p.isDefault);
      const rule = await apiB(`/pools/${pool?.id ?? ''}`, {
        method: 'PATCH',
        body: JSON.stringify({ rules: [{ entity: 'lead', kind: 'no_follow_up', days: 5 }] }),
      });
      expect(rule.status).toBe(200);
      await db.pool.query(
        `INSERT INTO leads (tenant_id, company, status, owner_id, claimed_at)
         SELECT u.tenant_id, '双实例' || g || '号有限公司', 'pending', u.id, now() - interval '9 days'
           FROM users u, generate_series(1, $1) g WHERE u.username = 'admin'`,
        [DUE],
      );

      // Both instances are asked to sweep, several times each, at once.
      const runs = await Promise.all(
        [apiA, apiB, apiA, apiB, apiA, apiB].map((api) =>
          api('/jobs/pool-sweep/run', { method: 'POST' }),
        ),
      );
      expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      for (let i = 0; i < 240; i++) {
        const left = await count(`SELECT count(*)::int AS n FROM leads WHERE owner_id IS NOT NULL`);
        const jobs = (await (await apiA('/jobs')).json()) as {
          items: { name: string; pending: number }[];
        };
        if (left === 0 && jobs.items.find((j) => j.name === 'pool-sweep')?.pending === 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await count(`SELECT count(*)::int AS n FROM leads WHERE owner_id IS NOT NULL`)).toBe(
        0,
      );
      expect(await count(`SELECT count(*)::int AS n FROM handovers WHERE action = 'drop'`)).toBe(
        DUE,
      );
      expect(
        await count(
          `SELECT count(DISTINCT entity_id)::int AS n FROM handovers WHERE action = 'drop'`,
        ),
      ).toBe(DUE);
      expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'drop'`)).toBe(
        DUE,
      );
      expect(
        await count(
          `SELECT count(DISTINCT entity_id)::int AS n FROM notifications WHERE kind = 'dropped'`,
        ),
      ).toBe(DUE);
      expect(
        await count(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'dropped'`),
      ).toBe(DUE);

      // The cron: both instances run the clock, yet each minute's slot is sent once. A
      // slot's job is created when a worker takes the clock's send, which under load may
      // be in the next minute: so count the jobs against the slots that could have made
      // them (from a minute before the start) rather than by the minute they were made.
      const since = new Date();
      const slotEnds = Math.ceil((since.getTime() + 1000) / 60_000) * 60_000;
      // Two slots pass in full: sent twice each, they would make four jobs against three.
      await new Promise((r) => setTimeout(r, slotEnds - Date.now() + 100_000));
      const until = new Date();
      const slots =
        Math.floor(until.getTime() / 60_000) - Math.floor((since.getTime() - 60_000) / 60_000);
      const sent = await count(
        `SELECT count(*)::int AS n FROM ${env?.schema ?? ''}_jobs.job
          WHERE name = 'pool-sweep' AND created_on > $1 AND created_on <= $2`,
        [since, until],
      );
      expect(sent).toBeGreaterThanOrEqual(1);
      // Each instance sending each slot would make twice as many.
      expect(sent).toBeLessThanOrEqual(slots);
    },
    240_000,
  );
});
