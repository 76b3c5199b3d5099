import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import {
  isPglite,
  onServerOnly,
  openTestDatabase,
  tempDir,
  testConfig,
} from '../../test/harness.ts';
import { checkEncoding, DatabaseError, openDatabase, type Database } from './db.ts';
import { DataDirLockedError } from './lock.ts';
import { migrateAll as migrate } from '../migrations.ts';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('database', () => {
  it('keeps serving requests while a long query runs', async () => {
    const app = await buildApp({ config: testConfig(), db }, { logger: false });
    await app.ready();
    const started = Date.now();
    const long = db.pool.query('SELECT pg_sleep(1.5)');
    await new Promise((r) => setTimeout(r, 100));
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    const answeredAfter = Date.now() - started;
    await long;
    const longTook = Date.now() - started;
    expect(res.statusCode).toBe(200);
    // The event loop stayed free: the request did not wait for the query.
    expect(answeredAfter).toBeLessThan(longTook - 500);
    await app.close();
  });

  it('keeps serving after a statement fails with an SQL error', async () => {
    await expect(db.pool.query('SELECT 1/0')).rejects.toThrow('division by zero');
    expect((await db.pool.query<{ a: number }>('SELECT 1 AS a')).rows).toEqual([{ a: 1 }]);
    await expect(db.pool.query('SELECT $1::int/0', [2])).rejects.toThrow('division by zero');
    expect((await db.pool.query<{ b: number }>('SELECT 2 AS b')).rows).toEqual([{ b: 2 }]);
  });

  it('records applied migrations and applies each once', async () => {
    const first = await db.pool.query<{ name: string }>(
      'SELECT name FROM tide_migrations ORDER BY name',
    );
    expect(first.rows.map((r) => r.name)).toContain('0001_foundation.sql');
    const again = await migrate(db.pool);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toBe(first.rows.length);
  });

  it('has pg_trgm producing trigrams for Chinese', async () => {
    const { rows } = await db.pool.query<{ s: number }>(
      `SELECT similarity('杭州阿里巴巴网络', '阿里巴巴网络') AS s`,
    );
    expect(rows[0]?.s).toBeGreaterThan(0.3);
    await expect(checkEncoding(db.pool)).resolves.toBeUndefined();
  });

  it.skipIf(!isPglite)('locks the embedded data directory against a second opener', async () => {
    if (!db.dataDir) throw new Error('no data dir');
    const second = openDatabase({ databaseUrl: undefined, dataDir: db.dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(/in use by another Tide process/);
    // The first opener is unaffected.
    expect((await db.pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });

  it.skipIf(!isPglite)('takes over a lock left by a process that died', async () => {
    const dir = tempDir('stale');
    fs.writeFileSync(path.join(dir, 'tide.lock'), '999999999');
    const opened = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    expect(fs.readFileSync(path.join(dir, 'tide.lock'), 'utf8')).toBe(String(process.pid));
    await opened.close();
    expect(fs.existsSync(path.join(dir, 'tide.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(isPglite)(
  `database on a PostgreSQL server (skipped on PGlite: ${onServerOnly})`,
  () => {
    const url = process.env.DATABASE_URL ?? '';
    const adminUrl = () => {
      const u = new URL(url);
      u.pathname = '/postgres';
      return u.toString();
    };

    it('refuses a database whose ctype is not UTF-8, saying why', async () => {
      const name = `tide_c_locale_${process.pid}`;
      const admin = await openDatabase({ databaseUrl: adminUrl(), dataDir: '' });
      await admin.pool.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.pool.query(
        `CREATE DATABASE ${name} ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0`,
      );
      const u = new URL(url);
      u.pathname = `/${name}`;
      const bad: Database = await openDatabase({ databaseUrl: u.toString(), dataDir: '' });
      try {
        const check = checkEncoding(bad.pool);
        await expect(check).rejects.toBeInstanceOf(DatabaseError);
        await expect(check).rejects.toThrow(/LC_CTYPE "C".*pg_trgm/s);
      } finally {
        await bad.close();
        await admin.pool.query(`DROP DATABASE ${name}`);
        await admin.close();
      }
    });

    it('lets two instances migrate one database at once', async () => {
      const schema = `t_race_${process.pid}`;
      const a = await openDatabase({ databaseUrl: url, dataDir: '', schema });
      const b = await openDatabase({ databaseUrl: url, dataDir: '', schema });
      try {
        const [ra, rb] = await Promise.all([migrate(a.pool), migrate(b.pool)]);
        const names = [...ra.applied, ...rb.applied];
        expect(names.filter((n) => n === '0001_foundation.sql')).toHaveLength(1);
        const { rows } = await a.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM tide_migrations',
        );
        expect(rows[0]?.n).toBe(ra.applied.length + ra.skipped);
      } finally {
        await a.pool.query(`DROP SCHEMA ${schema} CASCADE`);
        await a.close();
        await b.close();
      }
    });
  },
);
