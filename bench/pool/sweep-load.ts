/**
 * The private leads the sweep measurement drops from: N owned leads over the
 * 200 reps of bench/pool/org.ts, written by generate_series in SQL. Lead i
 * falls in bucket i % 100, which fixes its clock relative to the load time T:
 *
 *   0–9     due: claimed 31–400 days before T, never followed up or last followed
 *           up more than 31 days before T (a tenth of the leads: 100,000 of 1M)
 *   10–53   claimed long ago, followed up 0–25 days before T
 *   54      claimed long ago, followed up 27.5–28 days before T (warned: drop in 2–2.5 days)
 *   55–98   claimed 0–25 days before T, maybe followed up since
 *   99      claimed 27.5–28 days before T, never followed up (warned)
 *
 * Both pools have a `no_follow_up` rule of 30 days with 3 warning days. No
 * lead is within a day of changing bucket, so a load is reused for 24 hours.
 * On PostgreSQL it is kept in schema bench_pool_sweep_<N> while its
 * fingerprint holds; the leads a run drops are put back before every run.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { migrateAll } from '../../packages/server/src/migrations.ts';
import type { Database } from '../../packages/server/src/platform/db.ts';
import { migrationsDir } from '../../packages/server/src/platform/migrate.ts';
import { brandChars, cities, givenChars, industries, surnames } from '../generate/vocabulary.ts';
import { fmt, seconds, since } from './measure.ts';
import { createOrg, findOrg, type BenchOrg } from './org.ts';
import { dropIndexes, quoteIdent, rebuildIndexes } from '../bulk-indexes.ts';

export const SWEEP_TENANT = 'bench-sweep';
export const RULE_DAYS = 30;
export const WARN_DAYS = 3;
/** A kept load is reused this long: no lead is nearer than a day to another bucket. */
const KEEP_HOURS = 24;
const ROWS_PER_INSERT = 100_000;

export const sources = ['官网', '展会', '转介绍', '电话营销', '百度推广', '抖音', '微信', '地推'];
/** Province codes of the cities the generators write (GB/T 2260). */
export const provinces = [
  '110000',
  '310000',
  '440000',
  '330000',
  '320000',
  '510000',
  '420000',
  '370000',
  '410000',
  '430000',
  '610000',
  '500000',
  '120000',
  '350000',
];

export interface SweepLoad {
  org: BenchOrg;
  total: number;
  /** Leads a sweep of the loaded state drops (bucket 0–9). */
  due: number;
  /** Leads it warns about (buckets 54 and 99). */
  warned: number;
  ruleIds: { pool: string; rule: string }[];
  report: string[];
}

/**
 * SQL for a pseudo-random fraction in [0, 1) of the bigint `i`, one stream per
 * salt: generated rows are the same on every run and engine.
 */
export const fraction = (salt: number) =>
  `(((i * 2654435761 + ${String(salt * 40503)}) % 1000003) / 1000003.0)::float8`;

/** The statement that writes leads [$5, $6) for the reps $2 at load time $3. */
const insertLeads = `
INSERT INTO leads (tenant_id, company, contact_name, phone, source, status, owner_id, claimed_at,
                   last_follow_up_at, province_code, created_by, created_at, updated_at)
SELECT $1::uuid, x.company, x.contact, x.phone, x.source,
       CASE WHEN i % 37 = 0 THEN 'invalid' WHEN x.fu IS NULL THEN 'pending' ELSE 'following' END,
       x.owner, x.claimed, x.fu, x.province, x.owner,
       x.claimed - make_interval(hours => (i % 240)::int), coalesce(x.fu, x.claimed)
  FROM generate_series($5::bigint, $6::bigint - 1) AS i
 CROSS JOIN LATERAL (
   SELECT c.*,
          CASE WHEN c.b < 10 THEN CASE WHEN i % 3 = 0 THEN NULL
                                       ELSE c.claimed + ($3::timestamptz - interval '31 days' - c.claimed) * ${fraction(2)} END
               WHEN c.b < 54 THEN $3::timestamptz - interval '25 days' * ${fraction(2)}
               WHEN c.b = 54 THEN $3::timestamptz - interval '27.5 days' - interval '12 hours' * ${fraction(2)}
               WHEN c.b < 99 THEN CASE WHEN i % 3 = 0 THEN NULL
                                       ELSE c.claimed + ($3::timestamptz - c.claimed) * ${fraction(2)} END
          END AS fu
     FROM (
       SELECT i % 100 AS b,
              -- A hash, not i itself, picks the owner: i % 100 is the bucket, and an owner
              -- derived linearly from i would tie each bucket to a few reps.
              ($2::uuid[])[1 + (((i * 40503 + 7) % 1000003) % array_length($2::uuid[], 1))::int] AS owner,
              CASE WHEN i % 100 < 55 THEN $3::timestamptz - interval '31 days' - interval '369 days' * ${fraction(1)}
                   WHEN i % 100 < 99 THEN $3::timestamptz - interval '25 days' * ${fraction(1)}
                   ELSE $3::timestamptz - interval '27.5 days' - interval '12 hours' * ${fraction(1)}
              END AS claimed,
              (($4::text[])[1 + (i % 53)::int]) || (($7::text[])[1 + ((i * 31) % array_length($7::text[], 1))::int])
                || (($7::text[])[1 + ((i * 17 + 5) % array_length($7::text[], 1))::int])
                || (($8::text[])[1 + ((i * 13) % array_length($8::text[], 1))::int]) || '有限公司' AS company,
              (($9::text[])[1 + ((i * 11) % array_length($9::text[], 1))::int])
                || (($10::text[])[1 + ((i * 19) % array_length($10::text[], 1))::int]) AS contact,
              '13' || lpad(((i * 48271) % 1000000000)::text, 9, '0') AS phone,
              ($11::text[])[1 + ((i * 3) % array_length($11::text[], 1))::int] AS source,
              ($12::text[])[1 + ((i * 5) % array_length($12::text[], 1))::int] AS province
     ) c
 ) x`;

function fingerprint(total: number): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ total }));
  // Every migration's text: one added or still changing while written (the runner refuses
  // a changed one) means a reload rather than a failed or half-migrated schema.
  const migrations = fs
    .readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(migrationsDir, f));
  const sources = ['sweep-load.ts', 'org.ts', '../generate/vocabulary.ts'].map((f) =>
    path.join(import.meta.dirname, f),
  );
  for (const file of [...migrations, ...sources])
    h.update(path.basename(file)).update(fs.readFileSync(file));
  return h.digest('hex').slice(0, 16);
}

async function rulesOf(db: Database, org: BenchOrg) {
  const { rows } = await db.pool.query<{ pool: string; rule: string }>(
    `SELECT pool_id AS pool, id AS rule FROM pool_rules WHERE tenant_id = $1 ORDER BY pool_id`,
    [org.tenantId],
  );
  return rows;
}

interface Kept {
  fingerprint: string;
  age_hours: number;
  detail: { total: number; due: number; warned: number; report: string[] };
}

/** A load kept on the server that still fits, or why not. */
async function keptLoad(db: Database, total: number): Promise<SweepLoad | string> {
  const { rows: t } = await db.pool.query<{ t: string | null }>(
    'SELECT to_regclass($1)::text AS t',
    [`${db.schema}.bench_pool_load`],
  );
  if (!t[0]?.t) return 'no load kept';
  const { rows } = await db.pool.query<Kept>(
    `SELECT fingerprint, (extract(epoch FROM now() - loaded_at) / 3600)::float8 AS age_hours, detail
       FROM bench_pool_load LIMIT 1`,
  );
  const k = rows[0];
  if (!k) return 'no load kept';
  if (k.fingerprint !== fingerprint(total))
    return `the kept load (${k.fingerprint}) is of other sources or migrations`;
  if (k.age_hours >= KEEP_HOURS)
    return `the kept load is ${k.age_hours.toFixed(0)} h old: its clocks have moved toward the rule`;
  const org = await findOrg(db, SWEEP_TENANT);
  if (!org) return 'the kept load has no tenant';
  return {
    org,
    total: k.detail.total,
    due: k.detail.due,
    warned: k.detail.warned,
    ruleIds: await rulesOf(db, org),
    report: [
      `load: reused the load kept in schema ${db.schema}, ${k.age_hours.toFixed(1)} h old (TIDE_BENCH_FRESH=1 reloads); it took:`,
      ...k.detail.report.map((l) => `  ${l}`),
    ],
  };
}

/**
 * Loads `total` owned leads into the sweep tenant, or reuses a kept load on
 * PostgreSQL. `fresh` empties the schema first (PostgreSQL only: the embedded
 * database is new on every run).
 */
export async function loadSweep(
  db: Database,
  opts: { total: number; fresh: boolean },
): Promise<SweepLoad> {
  const { total } = opts;
  if (db.engine === 'postgres') {
    if (!opts.fresh) {
      const kept = await keptLoad(db, total);
      if (typeof kept !== 'string') {
        const { applied } = await migrateAll(db.pool);
        if (applied.length)
          throw new Error(`migrations ${applied.join(', ')} were not in the fingerprint`);
        return kept;
      }
      console.log(`sweep data: ${kept}; loading ${fmt(total)} leads into schema ${db.schema}…`);
    }
    await db.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(db.schema)} CASCADE`);
    await db.pool.query(`CREATE SCHEMA ${quoteIdent(db.schema)}`);
  }
  await migrateAll(db.pool);
  const org = await createOrg(db, SWEEP_TENANT);
  for (const pool of [org.defaultPoolId, org.regionPoolId])
    await db.pool.query(
      `INSERT INTO pool_rules (tenant_id, pool_id, entity, kind, days, warn_days)
       VALUES ($1, $2, 'lead', 'no_follow_up', $3, $4)`,
      [org.tenantId, pool, RULE_DAYS, WARN_DAYS],
    );

  const started = performance.now();
  const indexes = await dropIndexes(db, 'leads');
  const { rows: now } = await db.pool.query<{ t: Date }>('SELECT now() AS t');
  const at = now[0]?.t ?? new Date();
  const words = {
    cities: cities.map((c) => c.short),
    brand: brandChars,
    industry: industries.map((x) => x.word),
    surnames,
    given: givenChars,
  };
  for (let from = 0; from < total; from += ROWS_PER_INSERT) {
    const to = Math.min(total, from + ROWS_PER_INSERT);
    await db.pool.query(insertLeads, [
      org.tenantId,
      org.reps.map((r) => r.id),
      at,
      words.cities,
      from,
      to,
      words.brand,
      words.industry,
      words.surnames,
      words.given,
      sources,
      provinces,
    ]);
    if (to % 500_000 === 0 || to === total)
      console.log(`  ${fmt(to).padStart(10)} / ${fmt(total)} leads  ${seconds(since(started))}`);
  }
  const insertMs = since(started);
  let t = performance.now();
  await rebuildIndexes(db, indexes, 512);
  const indexMs = since(t);

  // What each due lead looked like, to put it back after a run drops it.
  t = performance.now();
  await db.pool.query('DROP TABLE IF EXISTS bench_pool_due');
  await db.pool.query(
    `CREATE TABLE bench_pool_due AS
     SELECT id, owner_id, status, claimed_at, last_follow_up_at, updated_at FROM leads
      WHERE tenant_id = $1 AND owner_id IS NOT NULL
        AND claimed_at < $2::timestamptz - make_interval(days => $3)
        AND coalesce(last_follow_up_at, claimed_at) < $2::timestamptz - make_interval(days => $3)`,
    [org.tenantId, at, RULE_DAYS],
  );
  await db.pool.query('ALTER TABLE bench_pool_due ADD PRIMARY KEY (id)');
  const counts = await db.pool.query<{ due: number; warned: number }>(
    `SELECT (SELECT count(*)::int FROM bench_pool_due) AS due,
            (SELECT count(*)::int FROM leads
              WHERE tenant_id = $1 AND owner_id IS NOT NULL
                AND greatest(claimed_at, coalesce(last_follow_up_at, claimed_at))
                    + make_interval(days => $3) BETWEEN $2::timestamptz
                    AND $2::timestamptz + make_interval(days => $4)) AS warned`,
    [org.tenantId, at, RULE_DAYS, WARN_DAYS],
  );
  const due = counts.rows[0]?.due ?? 0;
  const warned = counts.rows[0]?.warned ?? 0;
  // Autovacuum may be off (it is on the bench server) and never runs on PGlite: statistics
  // of every table the sweep reads, as a running server would have them.
  await db.pool.query(
    'VACUUM (ANALYZE) leads, bench_pool_due, users, user_roles, org_nodes, pools, pool_rules',
  );
  const vacuumMs = since(t);

  const report = [
    `load: ${seconds(since(started))} in all: ${fmt(total)} leads inserted by generate_series in ${seconds(insertMs)} (${fmt(Math.round(total / (insertMs / 1000)))} rows/s), ${String(indexes.length)} leads indexes rebuilt in ${seconds(indexMs)}, due set kept and VACUUM ANALYZE ${seconds(vacuumMs)}`,
  ];
  if (db.engine === 'postgres') {
    await db.pool.query(`CREATE TABLE bench_pool_load (
      fingerprint text NOT NULL,
      detail jsonb NOT NULL,
      loaded_at timestamptz NOT NULL
    )`);
    await db.pool.query(
      'INSERT INTO bench_pool_load (fingerprint, detail, loaded_at) VALUES ($1, $2, $3)',
      [fingerprint(total), JSON.stringify({ total, due, warned, report }), at],
    );
  }
  return { org, total, due, warned, ruleIds: await rulesOf(db, org), report };
}

/**
 * Puts back what a sweep changed: the dropped leads return to their owners as
 * loaded, and the drops' handovers, audit entries and notifications go, so
 * every run measures the same sweep. Answers what it did.
 */
export async function resetSweep(db: Database, load: SweepLoad): Promise<string> {
  const started = performance.now();
  const q = (text: string) => db.pool.query(text, [load.org.tenantId]).then((r) => r.rowCount ?? 0);
  const leads = await q(
    `UPDATE leads l SET owner_id = d.owner_id, status = d.status, pool_id = NULL,
            claimed_at = d.claimed_at, last_follow_up_at = d.last_follow_up_at, updated_at = d.updated_at
       FROM bench_pool_due d
      WHERE l.id = d.id AND l.tenant_id = $1 AND l.owner_id IS NULL`,
  );
  const handovers = await q(`DELETE FROM handovers WHERE tenant_id = $1`);
  const audit = await q(`DELETE FROM audit_log WHERE tenant_id = $1 AND action = 'drop'`);
  const notifications = await q(`DELETE FROM notifications WHERE tenant_id = $1`);
  const { rows } = await db.pool.query<{ owned: number }>(
    `SELECT count(*)::int AS owned FROM leads WHERE tenant_id = $1 AND owner_id IS NOT NULL`,
    [load.org.tenantId],
  );
  const owned = rows[0]?.owned ?? 0;
  if (owned !== load.total)
    throw new Error(
      `after the reset ${fmt(owned)} leads are owned, not ${fmt(load.total)}: reload with TIDE_BENCH_FRESH=1`,
    );
  if (leads || handovers || audit || notifications)
    await db.pool.query('VACUUM (ANALYZE) leads, handovers, audit_log, notifications');
  return `${fmt(leads)} leads given back, ${fmt(handovers)} handovers, ${fmt(audit)} audit entries, ${fmt(notifications)} notifications deleted, ${seconds(since(started))} (with VACUUM ANALYZE)`;
}
