/**
 * The duplicate check at scale: the hand-labelled set of bench/dedupe/ inside a
 * table of generated, realistic Chinese customers (bench/generate/), so blocking
 * keys carry the load of frequent brands, cities and industry words. Prints the
 * table size, load time, recall and false alarms per split, and the latency of
 * every check (the labelled queries plus ~500 probes built from generated
 * records) with the slowest probes and the plan of the slowest.
 *
 *   npm run bench -- dedupe-scale                  (embedded, 100,000 customers)
 *   DATABASE_URL=… npm run bench -- dedupe-scale   (1,000,000 customers)
 *   TIDE_BENCH_CUSTOMERS=20000                     (generated customers to load)
 *   TIDE_BENCH_FRESH=1                             (reload a kept PostgreSQL load)
 *
 * On PostgreSQL the load is kept in schema bench_dedupe_<N> and reused while its
 * fingerprint (customer columns, migrations that touch customers, normaliser and
 * generator sources, evaluation data) is unchanged; other migrations are applied
 * on top. The embedded database loads into a temporary directory on every run.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { findDuplicates } from '../packages/server/src/modules/dedupe/dedupe.service.ts';
import { buildScope } from '../packages/server/src/platform/access.ts';
import { loadCaller } from '../packages/server/src/platform/auth.ts';
import {
  evaluateQueries,
  evalCustomerId,
  printCategories,
  printSplits,
  probeOrNull,
  quantile,
  readEvalSet,
  type Timed,
} from './dedupe/evaluate.ts';
import {
  loadScaleData,
  openScaleDatabase,
  scaleCustomers,
  type ScaleProbe,
} from './dedupe/scale-load.ts';

const WARM_UP = 50;

const total = scaleCustomers();
const evalSet = readEvalSet();
const { db, onServer, close } = await openScaleDatabase(total);
try {
  const load = await loadScaleData(db, {
    total,
    evalSet,
    fresh: process.env.TIDE_BENCH_FRESH === '1',
  });
  const caller = await loadCaller(db.db, load.tenantId, load.adminId, 'api', null);
  if (!caller) throw new Error('no caller');
  const scope = await buildScope(db.db, caller);

  const check = async (p: ScaleProbe) => {
    const probe = probeOrNull(p.query);
    const started = performance.now();
    const matches = probe ? await findDuplicates(db.db, scope, probe, { withLeads: false }) : [];
    return { ms: performance.now() - started, matches };
  };
  for (const p of load.warmUp.slice(0, WARM_UP)) await check(p);

  const ids = new Map(evalSet.records.map((r) => [evalCustomerId(r.id), r.id]));
  const run = await evaluateQueries(db.db, scope, evalSet.queries, ids);

  // Probes from generated records: was the record itself among the (at most 20) matches?
  type Check = Timed & { query: ScaleProbe['query'] };
  const byKind = new Map<string, { ms: number[]; found: number; matches: number }>();
  const generated: Check[] = [];
  for (const p of load.probes) {
    const { ms, matches } = await check(p);
    generated.push({
      label: `${p.kind} ${p.query.name ?? p.query.phone ?? ''}`,
      ms,
      query: p.query,
    });
    let k = byKind.get(p.kind);
    if (!k) byKind.set(p.kind, (k = { ms: [], found: 0, matches: 0 }));
    k.ms.push(ms);
    k.matches += matches.length;
    if (matches.some((m) => m.id === p.sourceId)) k.found++;
  }
  const labelled: Check[] = run.times.map((t, i) => ({
    ...t,
    query: evalSet.queries[i]?.query ?? {},
  }));

  const { rows } = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM customers');
  const sorted = (ts: readonly Timed[]) => ts.map((t) => t.ms).sort((a, b) => a - b);
  const line = (ms: readonly number[]) =>
    `p50 ${quantile(ms, 0.5)}, p95 ${quantile(ms, 0.95)}, p99 ${quantile(ms, 0.99)}, max ${quantile(ms, 1)}`;
  const all = [...labelled, ...generated];

  console.log(`dedupe-scale: engine ${db.engine}${onServer ? `, schema ${db.schema}` : ''}`);
  console.log(
    `customers in the table: ${Number(rows[0]?.n ?? 0).toLocaleString('en')} (${total.toLocaleString('en')} generated + ${evalSet.records.length.toLocaleString('en')} evaluation records)`,
  );
  for (const l of load.report) console.log(l);
  console.log(
    `evaluation set: records ${evalSet.records.length}, queries ${evalSet.queries.length}`,
  );
  printSplits(run);
  printCategories(run);
  console.log(`generated probes: ${load.probes.length}`);
  for (const [kind, k] of byKind) {
    const ms = [...k.ms].sort((a, b) => a - b);
    console.log(
      `  ${kind.padEnd(12)} ${String(ms.length).padStart(4)}  own record found ${((100 * k.found) / ms.length).toFixed(1)}%, ${(k.matches / ms.length).toFixed(1)} matches per check, ms ${line(ms)}`,
    );
  }
  console.log(
    `latency per check (ms) over ${all.length} probes after ${Math.min(WARM_UP, load.warmUp.length)} warm-up: ${line(sorted(all))}`,
  );
  console.log(`  labelled queries   ${line(sorted(labelled))}`);
  console.log(`  generated probes   ${line(sorted(generated))}`);
  const slowest = [...all].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log('slowest probes:');
  for (const t of slowest) console.log(`  ${t.ms.toFixed(1).padStart(8)} ms  ${t.label}`);
  if (process.env.VERBOSE) for (const m of run.misses) console.log(m);

  // The plan of the slowest check: run it again through a drizzle that records its SQL.
  const worst = slowest[0] ? probeOrNull(slowest[0].query) : null;
  if (worst) {
    const statements: { query: string; params: unknown[] }[] = [];
    const recording = drizzle({
      client: db.pool,
      logger: {
        logQuery(query, params) {
          statements.push({ query, params });
        },
      },
    });
    await findDuplicates(recording, scope, worst, { withLeads: false });
    for (const s of statements) {
      const plan = await db.pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${s.query}`,
        s.params,
      );
      console.log('EXPLAIN (ANALYZE, BUFFERS) of the slowest check, run again:');
      for (const r of plan.rows.slice(0, 80)) console.log(`  ${r['QUERY PLAN']}`);
    }
  }
} finally {
  await close();
}
