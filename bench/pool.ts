/**
 * The public sea at scale, three measurements (figures only, nothing asserted):
 *
 *  1. sweep: sweepPools over 1,000,000 owned leads of 200 reps, 100,000 of them
 *     due under a 30-day no-follow-up rule (goal < 10 s); checks every drop's
 *     handover, audit entry and notification; a second run must drop nothing.
 *  2. claims: 50 reps on 50 connections claiming from 20,000 pool leads under a
 *     capacity and a daily limit (goal ≥ 500 answers/s); counts violations.
 *  3. profile: distribute() of modules/pool/assign.ts, strategy 'profile', of
 *     10,000 new leads over 200 reps with a generated history (goal < 5 s);
 *     says "not available yet" while that module does not exist.
 *
 *   DATABASE_URL=postgres://…/tide_bench npm run bench -- pool   (the goal sizes)
 *   npm run bench -- pool                   (embedded database, a tenth of the sizes)
 *   TIDE_BENCH_POOL_SCALE=0.5               (another share of the goal sizes)
 *   TIDE_BENCH_POOL_ONLY=sweep,claims       (some of the measurements)
 *   TIDE_BENCH_FRESH=1                      (reload the kept sweep data)
 *   TIDE_BENCH_EXPLAIN=0                    (no plans of the sweep's statements)
 *
 * On PostgreSQL the sweep's leads are kept in schema bench_pool_sweep_<N> (see
 * bench/pool/sweep-load.ts) and put back before each run; claims and profile
 * work in schema bench_pool_run, made anew on every run. The embedded database
 * lives in a temporary directory for one run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateAll } from '../packages/server/src/migrations.ts';
import { openDatabase, type Database } from '../packages/server/src/platform/db.ts';
import { claimSizes, measureClaims } from './pool/claims.ts';
import { machine, MemoryWatch, mb } from './pool/measure.ts';
import { createOrg } from './pool/org.ts';
import { measureProfile, profileSizes } from './pool/profile.ts';
import { measureSweep } from './pool/sweep.ts';
import { loadSweep } from './pool/sweep-load.ts';

const RUN_SCHEMA = 'bench_pool_run';
const measurements = ['sweep', 'claims', 'profile'] as const;

function poolScale(onServer: boolean): number {
  const raw = process.env.TIDE_BENCH_POOL_SCALE;
  if (raw === undefined || raw === '') return onServer ? 1 : 0.1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 10) {
    process.stderr.write(`TIDE_BENCH_POOL_SCALE must be a number in (0, 10], got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

function chosen(): Set<string> {
  const raw = process.env.TIDE_BENCH_POOL_ONLY;
  if (!raw) return new Set(measurements);
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(measurements as readonly string[]).includes(n));
  if (unknown.length) {
    process.stderr.write(
      `TIDE_BENCH_POOL_ONLY takes ${measurements.join(', ')}; not ${unknown.join(', ')}\n`,
    );
    process.exit(2);
  }
  return new Set(names);
}

/** The server's error when the database of DATABASE_URL does not exist, with the fix. */
function explainMissingDatabase(err: unknown): never {
  if ((err as { code?: unknown }).code === '3D000') {
    process.stderr.write(
      `${err instanceof Error ? err.message : String(err)}: create it first, e.g.\n  psql postgres://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE tide_bench ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"\n`,
    );
    process.exit(2);
  }
  throw err;
}

const onServer = Boolean(process.env.DATABASE_URL);
const scale = poolScale(onServer);
const only = chosen();
const sweepLeads = Math.round((1_000_000 * scale) / 100) * 100;
const memory = new MemoryWatch();
const tmp = onServer ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'tide-bench-pool-'));
const opened: Database[] = [];
const open = async (schema: string) => {
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: tmp ?? '',
    ...(onServer ? { schema, poolSize: 4 } : {}),
  }).catch(explainMissingDatabase);
  opened.push(db);
  return db;
};

try {
  // The embedded database is one: both tenants live in it.
  const sweepDb = only.has('sweep') ? await open(`bench_pool_sweep_${String(sweepLeads)}`) : null;
  const runDb =
    only.has('claims') || only.has('profile')
      ? !onServer && sweepDb
        ? sweepDb
        : await open(RUN_SCHEMA)
      : null;
  const first = sweepDb ?? runDb;
  console.log(
    `pool: engine ${first?.engine ?? '?'}${onServer ? `, schemas ${[sweepDb?.schema, runDb?.schema].filter(Boolean).join(' and ')}` : ''}; scale ${String(scale)} of the goal sizes; Node ${process.version}; ${machine()}`,
  );
  if (onServer && first) {
    const { rows } = await first.pool.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings
        WHERE name IN ('shared_buffers', 'work_mem', 'autovacuum', 'max_connections', 'synchronous_commit')
        ORDER BY name`,
    );
    const { rows: version } = await first.pool.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    console.log(
      `server: PostgreSQL ${version[0]?.v ?? '?'}, ${rows.map((r) => `${r.name} ${r.setting}`).join(', ')}`,
    );
  }

  if (sweepDb) {
    const load = await loadSweep(sweepDb, {
      total: sweepLeads,
      fresh: process.env.TIDE_BENCH_FRESH === '1',
    });
    await measureSweep(sweepDb, load, memory);
  }

  if (runDb) {
    if (onServer) {
      await runDb.pool.query(`DROP SCHEMA IF EXISTS ${RUN_SCHEMA} CASCADE`);
      await runDb.pool.query(`CREATE SCHEMA ${RUN_SCHEMA}`);
    }
    await migrateAll(runDb.pool);
    const org = await createOrg(runDb, 'bench-run');
    if (only.has('claims')) await measureClaims(runDb, org, claimSizes(scale), memory);
    if (only.has('profile')) await measureProfile(runDb, org, profileSizes(scale), memory);
  }
  console.log(
    `peak RSS of this process over the whole run: ${mb(process.resourceUsage().maxRSS * 1024)}${onServer ? '' : ' (PGlite runs inside it)'}; ${machine()}`,
  );
} finally {
  memory.stop();
  for (const db of opened) await db.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
