/**
 * The duplicate report at scale: one run of runDuplicateReport over the table
 * dedupe-scale loads (generated customers plus the labelled records of
 * bench/dedupe/, bench/dedupe/scale-load.ts). Prints the records scanned,
 * pairs, clusters, time, records per second and peak memory; the time of each
 * phase and step of the report (its statements timed through a wrapped pool);
 * the progress a user would see, sampled once a second from another
 * connection; and what the clusters look like (bench/dedupe/report-clusters.ts).
 *
 *   npm run bench -- dedupe-report                  (embedded, 100,000 customers)
 *   DATABASE_URL=… npm run bench -- dedupe-report   (1,000,000 customers)
 *   TIDE_BENCH_CUSTOMERS, TIDE_BENCH_FRESH          (as for dedupe-scale)
 *   VERBOSE=1                                       (also the slowest statement, to EXPLAIN)
 *
 * The report row is inserted directly and the run called in-process: the
 * pg-boss job around it adds nothing to measure. The embedded database is one
 * session, so there progress is not sampled (the step times still show it).
 */
import pg from 'pg';
import { runDuplicateReport } from '../packages/server/src/modules/dedupe/report.ts';
import { readEvalSet } from './dedupe/evaluate.ts';
import { clusterFigures } from './dedupe/report-clusters.ts';
import { timedDatabase, type Phase } from './dedupe/report-steps.ts';
import { loadScaleData, openScaleDatabase, scaleCustomers } from './dedupe/scale-load.ts';

const SAMPLE_MS = 1000;
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Samples the report's phase and progress from its own connection until stopped. */
function sampleProgress(reportId: string, schema: string, started: number) {
  const stop = new AbortController();
  const lines: string[] = [];
  const done = (async () => {
    const client = new pg.Client({
      connectionString: process.env.DATABASE_URL,
      options: `-c search_path=${schema},public`,
    });
    await client.connect();
    try {
      let last = '';
      while (!stop.signal.aborted) {
        await new Promise((r) => setTimeout(r, SAMPLE_MS));
        const { rows } = await client.query<{ phase: string | null; progress: number }>(
          'SELECT phase, progress FROM duplicate_reports WHERE id = $1',
          [reportId],
        );
        const row = rows[0];
        const now = `${row?.phase ?? '-'} ${Math.round((row?.progress ?? 0) * 100)}%`;
        // A line when the phase or progress moves, so each phase's span is visible.
        if (now !== last) lines.push(`  ${s(performance.now() - started).padStart(8)}  ${now}`);
        last = now;
      }
    } finally {
      await client.end();
    }
  })();
  return {
    lines,
    async stop() {
      stop.abort();
      await done;
    },
  };
}

const total = scaleCustomers();
const evalSet = readEvalSet();
const { db, onServer, close } = await openScaleDatabase(total);
let reportId: string | undefined;
try {
  const load = await loadScaleData(db, {
    total,
    evalSet,
    fresh: process.env.TIDE_BENCH_FRESH === '1',
  });
  await emptyReportTables(db.pool);
  const inserted = await db.pool.query<{ id: string }>(
    `INSERT INTO duplicate_reports (tenant_id, object_type, status)
     VALUES ($1, 'customer', 'queued') RETURNING id`,
    [load.tenantId],
  );
  reportId = inserted.rows[0]?.id ?? '';
  const settings = await db.pool.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('work_mem', 'max_parallel_workers_per_gather', 'shared_buffers', 'autovacuum')`,
  );
  const before = onServer ? await tempFiles(db.pool, false) : null;

  let rssPeak = process.memoryUsage.rss();
  const rssStart = rssPeak;
  const sampleRss = () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  const memory = setInterval(sampleRss, SAMPLE_MS);
  const timed = timedDatabase(db);
  timed.log.onStatement = sampleRss;
  const started = performance.now();
  const progress = onServer ? sampleProgress(reportId, db.schema, started) : null;
  try {
    await runDuplicateReport(timed.database, reportId);
  } finally {
    await progress?.stop();
    clearInterval(memory);
  }
  const ms = performance.now() - started;
  sampleRss();
  const after = onServer ? await tempFiles(db.pool, true) : null;

  const { rows } = await db.pool.query<{
    status: string;
    records: number;
    pairs: number;
    clusters: number;
    error: string | null;
  }>('SELECT status, records, pairs, clusters, error FROM duplicate_reports WHERE id = $1', [
    reportId,
  ]);
  const r = rows[0];
  if (r?.status !== 'done') throw new Error(`report ${r?.status ?? 'gone'}: ${r?.error ?? ''}`);

  console.log(`dedupe-report: engine ${db.engine}${onServer ? `, schema ${db.schema}` : ''}`);
  for (const l of load.report) console.log(l);
  console.log(
    `settings: ${settings.rows.map((x) => `${x.name} ${x.setting}${x.unit ?? ''}`).join(', ')}`,
  );
  console.log(
    `report: ${r.records.toLocaleString('en')} records scanned, ${r.pairs.toLocaleString('en')} pairs, ${r.clusters.toLocaleString('en')} clusters in ${s(ms)} (${Math.round(r.records / (ms / 1000)).toLocaleString('en')} records/s)`,
  );
  console.log(
    `memory of this process: peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} over the whole run${db.engine === 'pglite' ? ' (PGlite runs inside it)' : ''}; during the report ${mb(rssStart)} → peak ${mb(rssPeak)}`,
  );
  if (before && after)
    console.log(
      `temporary files written by this database during the report (all sessions): ${after.files - before.files}, ${mb(after.bytes - before.bytes)}`,
    );

  const steps = [...timed.log.steps.values()];
  const phases: Phase[] = ['identity', 'names', 'fuzzy', 'clusters', 'bookkeeping'];
  console.log('time by phase (SQL + JavaScript before each statement):');
  for (const phase of phases) {
    const of = steps.filter((x) => x.phase === phase);
    const t = of.reduce((a, x) => a + x.sqlMs + x.jsMs, 0);
    console.log(
      `  ${phase.padEnd(12)} ${s(t).padStart(8)}  ${((100 * t) / ms).toFixed(0).padStart(3)}%`,
    );
  }
  console.log('time by step:');
  for (const x of steps)
    console.log(
      `  ${x.label.padEnd(38)} ${String(x.statements).padStart(4)} stmt  SQL ${s(x.sqlMs).padStart(7)}  JS ${s(x.jsMs).padStart(6)}  slowest ${s(x.slowestMs).padStart(7)}  rows ${x.rows.toLocaleString('en').padStart(10)}`,
    );
  if (progress) {
    console.log(`progress as sampled every ${SAMPLE_MS / 1000} s from another connection:`);
    for (const l of progress.lines) console.log(l);
  }
  for (const l of await clusterFigures(db.pool, reportId, evalSet)) console.log(l);
  if (process.env.VERBOSE) {
    const slowest = [...steps].sort((a, b) => b.slowestMs - a.slowestMs)[0]?.slowest;
    if (slowest)
      console.log(`slowest statement:\n${slowest.text}\n${JSON.stringify(slowest.values)}`);
  }
} finally {
  if (reportId)
    await emptyReportTables(db.pool).catch(() => {
      // The report's own error is the one to see.
    });
  await close();
}

/**
 * The report deletes its working rows when done, but deleted rows stay on disk
 * until a vacuum (about 1.2 GB a run at 1,000,000 customers), and the bench
 * server may run without autovacuum: empty the tables before a run, so every
 * run starts as on a clean database, and after it, so a kept load does not grow.
 * Only this bench's schema holds them, and nothing else runs reports there.
 */
async function emptyReportTables(pool: pg.Pool): Promise<void> {
  await pool.query(
    'TRUNCATE duplicate_report_pairs, duplicate_report_keys, duplicate_report_clusters, duplicate_reports',
  );
}

async function tempFiles(
  pool: pg.Pool,
  settle: boolean,
): Promise<{ files: number; bytes: number }> {
  // Sessions flush their statistics to pg_stat_database at most once a second.
  if (settle) await new Promise((r) => setTimeout(r, 2000));
  const { rows } = await pool.query<{ files: string; bytes: string }>(
    `SELECT temp_files AS files, temp_bytes AS bytes FROM pg_stat_database
      WHERE datname = current_database()`,
  );
  return { files: Number(rows[0]?.files ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
}
