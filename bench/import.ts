/**
 * A big lead import end to end, as `tide import FILE` runs it: a generated CSV
 * (bench/import/leads-file.ts) is stored with its import (uploadImport), then
 * cleaned, matched and written chunk by chunk (runImport) into the tenant of
 * the `dedupe-scale` load, so every phone is checked against its customers.
 * Prints both times, rows/s, peak RSS, each chunk's transaction time, where the
 * time goes statement by statement, and every row's outcome checked against
 * what was planted in the file. The issue's goal: 1,048,576 rows in under
 * 3 minutes and under 1 GB RSS on PostgreSQL holding 1,000,000 customers.
 *
 *   npm run bench -- import                  (embedded: 100,000 customers, 100,000 rows)
 *   DATABASE_URL=… npm run bench -- import   (1,000,000 customers, 1,048,576 rows)
 *   TIDE_BENCH_IMPORT_ROWS=200000            (rows in the file)
 *   TIDE_BENCH_ANALYZE_EVERY=60              (ANALYZE leads, import_rows every 60 s meanwhile)
 *   TIDE_BENCH_EXPLAIN=0                     (no plans of the costliest statements at the end)
 *   TIDE_BENCH_CUSTOMERS, TIDE_BENCH_FRESH   (as for dedupe-scale, whose load is reused)
 *
 * On PostgreSQL the leads, handovers, audit entries and imports an earlier run
 * left are deleted first: its leads carry the source `bench-import`, its
 * imports the file name bench-import-leads.csv.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportJob } from '@tide/contract';
import {
  IMPORT_CHUNK_ROWS,
  runImport,
  uploadImport,
} from '../packages/server/src/modules/imports/imports.service.ts';
import type { Actor } from '../packages/server/src/platform/context.ts';
import type { Database } from '../packages/server/src/platform/db.ts';
import { quantile, readEvalSet } from './dedupe/evaluate.ts';
import { loadScaleData, openScaleDatabase, scaleCustomers } from './dedupe/scale-load.ts';
import {
  generateLeadsFile,
  leadsFilePlan,
  rowKinds,
  type CustomerPhone,
  type RowKind,
} from './import/leads-file.ts';
import { timedDatabase, type ImportLog, type Step } from './import/timed-import.ts';

const SEED = 20_261_201;
const SOURCE = 'bench-import';
const FILE_NAME = 'bench-import-leads.csv';
const GOAL_SECONDS = 180;
const GOAL_RSS_MB = 1024;

function importRows(): number {
  const raw = process.env.TIDE_BENCH_IMPORT_ROWS;
  if (raw === undefined || raw === '') return process.env.DATABASE_URL ? 1_048_576 : 100_000;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`TIDE_BENCH_IMPORT_ROWS must be a positive whole number, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

/**
 * TIDE_BENCH_ANALYZE_EVERY=60: analyze the tables the import reads every so many
 * seconds while it runs, as autovacuum would (it is off on some servers, and
 * the embedded database has none). 0, the default, measures the import alone.
 */
function analyzeEvery(): number {
  const n = Number(process.env.TIDE_BENCH_ANALYZE_EVERY ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const fmt = (n: number) => n.toLocaleString('en');
const since = (t: number) => (performance.now() - t) / 1000;
/** Other work on the machine skews the times: say how busy it was. */
const load1 = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

/**
 * Peak RSS per phase: sampled every second, and the kernel's high-water mark
 * (VmHWM), reset at the start of each phase so a spike between samples counts.
 */
class MemoryWatch {
  private phase = '';
  private readonly peaks = new Map<
    string,
    { start: number; sampled: number; heap: number; hwm: number }
  >();
  private readonly timer = setInterval(() => {
    this.sample();
  }, 1000);

  start(phase: string) {
    this.end();
    this.phase = phase;
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // Not Linux or not allowed: the one-second samples remain.
    }
    this.sample();
  }

  sample() {
    if (!this.phase) return;
    const m = process.memoryUsage();
    const p = this.peaks.get(this.phase) ?? { start: m.rss, sampled: 0, heap: 0, hwm: 0 };
    p.sampled = Math.max(p.sampled, m.rss);
    p.heap = Math.max(p.heap, m.heapUsed);
    this.peaks.set(this.phase, p);
  }

  /** The phase's peak so far. */
  peak(phase: string) {
    return this.peaks.get(phase) ?? { start: 0, sampled: 0, heap: 0, hwm: 0 };
  }

  end() {
    if (!this.phase) return;
    this.sample();
    const p = this.peak(this.phase);
    try {
      const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
      if (kb) p.hwm = Number(kb) * 1024;
    } catch {
      // no /proc
    }
    this.phase = '';
  }

  stop() {
    this.end();
    clearInterval(this.timer);
  }
}

/**
 * Removes what this bench imported, and vacuums so runs start alike. Run before
 * (a run cut short leaves its rows) and after: dedupe-report works on the same
 * schema and its report scans leads too.
 */
async function removeImported(db: Database, tenantId: string): Promise<string> {
  const started = performance.now();
  const q = (sql: string, values: unknown[] = []) =>
    db.pool.query(sql, values).then((r) => r.rowCount ?? 0);
  // Statistics first: analyzed when the last cleanup left them empty, audit_log
  // would be taken for a few rows and joined to leads by a nested loop.
  await db.pool.query('ANALYZE leads, handovers, audit_log, follow_ups');
  const ours = `SELECT id FROM leads WHERE tenant_id = $1 AND source = $2`;
  const handovers = await q(
    `DELETE FROM handovers WHERE tenant_id = $1 AND entity = 'lead' AND entity_id IN (${ours})`,
    [tenantId, SOURCE],
  );
  const audit = await q(
    `DELETE FROM audit_log WHERE tenant_id = $1 AND entity = 'lead'
        AND entity_id IN (SELECT id::text FROM (${ours}) l)`,
    [tenantId, SOURCE],
  );
  await q(
    `DELETE FROM follow_ups WHERE tenant_id = $1 AND entity_type = 'lead' AND entity_id IN (${ours})`,
    [tenantId, SOURCE],
  );
  const leads = await q('DELETE FROM leads WHERE tenant_id = $1 AND source = $2', [
    tenantId,
    SOURCE,
  ]);
  const imports = await q('DELETE FROM import_jobs WHERE tenant_id = $1 AND file_name = $2', [
    tenantId,
    FILE_NAME,
  ]);
  if (leads || imports)
    await db.pool.query(
      'VACUUM (ANALYZE) leads, handovers, audit_log, follow_ups, import_jobs, import_rows, import_file_chunks',
    );
  return `${fmt(leads)} leads, ${fmt(handovers)} handovers, ${fmt(audit)} audit entries, ${fmt(imports)} imports, in ${since(started).toFixed(1)} s (with VACUUM ANALYZE)`;
}

/** Customers' mobiles, the same ones for the same load. */
async function customerPhones(
  db: Database,
  tenantId: string,
  count: number,
): Promise<CustomerPhone[]> {
  const { rows } = await db.pool.query<CustomerPhone>(
    `SELECT name, kind, phone, phone_e164 AS e164 FROM (
       SELECT DISTINCT ON (phone_e164) name, kind, phone, phone_e164 FROM customers
        WHERE tenant_id = $1 AND deleted_at IS NULL AND phone_e164 LIKE '+861%'
        ORDER BY phone_e164, name, phone) c
      ORDER BY md5(phone_e164) LIMIT $2`,
    [tenantId, count],
  );
  return rows;
}

/** Which of the numbers the database already has, on a customer, a contact or a lead. */
async function takenPhones(db: Database, tenantId: string, e164: string[]): Promise<string[]> {
  const { rows } = await db.pool.query<{ phone: string }>(
    `SELECT phone_e164 AS phone FROM customers WHERE tenant_id = $1 AND phone_e164 = ANY($2::text[])
     UNION SELECT phone_e164 FROM contacts WHERE tenant_id = $1 AND phone_e164 = ANY($2::text[])
     UNION SELECT phone_e164 FROM leads WHERE tenant_id = $1 AND phone_e164 = ANY($2::text[])`,
    [tenantId, e164],
  );
  return rows.map((r) => r.phone);
}

/** What a row's outcome and reason say it was, in the generator's terms. */
const kindSql = `CASE WHEN outcome = 'created' AND reason IS NULL THEN 'new'
  WHEN outcome = 'rejected' AND reason LIKE 'invalid phone%' THEN 'invalid phone'
  WHEN outcome = 'rejected' AND reason LIKE 'the phone belongs to the customer%' THEN 'customer phone'
  WHEN outcome = 'merged' AND reason LIKE 'repeats row%' THEN 'repeat in chunk'
  WHEN outcome = 'merged' AND reason = 'repeats an earlier row of the file' THEN 'repeat of earlier chunk'
  ELSE outcome || ': ' || coalesce(reason, '') END`;

/** Compares every row's outcome with the kinds file; answers the mismatches (a few shown). */
async function checkRows(db: Database, importId: string, kinds: Buffer) {
  const wrong: string[] = [];
  let mismatches = 0;
  let seen = 0;
  let after = 0;
  for (;;) {
    const { rows } = await db.pool.query<{ row_no: number; kind: string }>(
      `SELECT row_no, ${kindSql} AS kind FROM import_rows
        WHERE import_id = $1 AND row_no > $2 ORDER BY row_no LIMIT 50000`,
      [importId, after],
    );
    if (!rows.length) break;
    for (const r of rows) {
      seen++;
      const expected = rowKinds[kinds[r.row_no - 1] ?? -1];
      if (expected !== r.kind) {
        mismatches++;
        if (wrong.length < 5)
          wrong.push(`row ${r.row_no}: expected ${expected ?? '?'}, got ${r.kind}`);
      }
    }
    after = rows[rows.length - 1]?.row_no ?? after;
  }
  return { mismatches: mismatches + Math.abs(kinds.length - seen), seen, wrong };
}

/** Values to run a logged statement again inside a rolled-back transaction, or null. */
function rerunnable(step: Step): readonly unknown[] | null {
  const v = step.slowest?.values;
  if (!v) return null;
  if (step.label === 'chunk: insert leads')
    // New ids, or the primary key refuses the rows committed the first time.
    return v.map((x, i) => (i === 4 && Array.isArray(x) ? x.map(() => randomUUID()) : x));
  if (step.label === 'chunk: insert row outcomes')
    return v.map((x, i) => (i === 1 && Array.isArray(x) ? x.map((n) => -Number(n)) : x));
  if (step.label.startsWith('chunk: ')) return v;
  return null;
}

async function explain(db: Database, step: Step): Promise<string[]> {
  const values = rerunnable(step);
  if (!values || !step.slowest) return [];
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${step.slowest.text}`,
      values as unknown[],
    );
    return plan.rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

function printSteps(title: string, log: ImportLog, wallMs: number) {
  console.log(title);
  console.log(
    `  ${'step'.padEnd(36)} ${'stmts'.padStart(6)} ${'rows'.padStart(10)} ${'SQL s'.padStart(8)} ${'JS s'.padStart(7)} ${'of wall'.padStart(7)} ${'slowest ms'.padStart(10)}`,
  );
  const steps = [...log.steps.values()].sort((a, b) => b.sqlMs + b.jsMs - (a.sqlMs + a.jsMs));
  for (const s of steps)
    console.log(
      `  ${s.label.padEnd(36)} ${fmt(s.statements).padStart(6)} ${fmt(s.rows).padStart(10)} ${(s.sqlMs / 1000).toFixed(1).padStart(8)} ${(s.jsMs / 1000).toFixed(1).padStart(7)} ${`${((100 * (s.sqlMs + s.jsMs)) / wallMs).toFixed(1)}%`.padStart(7)} ${s.slowestMs.toFixed(0).padStart(10)}`,
    );
}

const rows = importRows();
const total = scaleCustomers();
const evalSet = readEvalSet();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tide-bench-import-'));
const file = path.join(tmp, FILE_NAME);
const kindsFile = path.join(tmp, 'kinds.bin');
const memory = new MemoryWatch();
const { db, onServer, close } = await openScaleDatabase(total);
let tenantId = '';
try {
  const load = await loadScaleData(db, {
    total,
    evalSet,
    fresh: process.env.TIDE_BENCH_FRESH === '1',
  });
  const actor: Actor = { tenantId: load.tenantId, userId: load.adminId, requestId: null };
  const { rows: counted } = await db.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM customers WHERE tenant_id = $1',
    [load.tenantId],
  );
  console.log(
    `import: engine ${db.engine}${onServer ? `, schema ${db.schema}` : ''}; ${os.cpus().length} CPUs, ${load1()}`,
  );
  console.log(`customers of the tenant: ${fmt(Number(counted[0]?.n ?? 0))}`);
  for (const l of load.report) console.log(l);
  if (onServer) {
    // Off, no table is analyzed during the import and the planner keeps the plans of an empty one.
    const { rows: av } = await db.pool.query<{ autovacuum: string }>('SHOW autovacuum');
    console.log(`server: autovacuum ${av[0]?.autovacuum ?? '?'}`);
  }
  tenantId = load.tenantId;
  console.log(`removed before the run: ${await removeImported(db, tenantId)}`);

  // 1. The file, written by a child process.
  const plan = leadsFilePlan(rows);
  const customers = await customerPhones(db, load.tenantId, plan.customer);
  const gen = await generateLeadsFile(
    {
      file,
      kindsFile,
      rows,
      seed: SEED,
      chunkRows: IMPORT_CHUNK_ROWS,
      source: SOURCE,
      customers,
    },
    (e164) => takenPhones(db, load.tenantId, e164),
  );
  console.log(
    `file: ${fmt(rows)} rows, ${fmt(mb(gen.bytes))} MB, written in ${gen.seconds.toFixed(1)} s by a child process; ${fmt(gen.takenInDatabase)} candidate mobiles already in the database were drawn again`,
  );
  console.log(
    `  planted: ${rowKinds.map((k) => `${k} ${fmt(gen.counts[k])}`).join(', ')} (customer phones drawn from ${fmt(customers.length)} customers' mobiles)`,
  );

  // 2. Upload: the file stored with its import, as `tide import` does.
  memory.start('upload');
  const up = timedDatabase(db);
  let t = performance.now();
  const uploaded = await uploadImport(
    up.database,
    actor,
    { type: 'leads', fileName: FILE_NAME },
    fs.createReadStream(file),
  );
  const uploadSeconds = since(t);
  memory.end();
  console.log(
    `upload: ${uploadSeconds.toFixed(1)} s, ${(gen.bytes / 1024 / 1024 / uploadSeconds).toFixed(1)} MB/s, ${uploaded.format} (${uploaded.encoding}); mapping ${Object.entries(
      uploaded.mapping,
    )
      .map(([f, h]) => `${f}←${h ?? '-'}`)
      .join(' ')}`,
  );
  await db.pool.query(
    `UPDATE import_jobs SET on_duplicate = 'skip', status = 'queued' WHERE id = $1`,
    [uploaded.id],
  );

  // 3. The import itself.
  memory.start('import');
  const run = timedDatabase(db);
  const analyze = {
    every: analyzeEvery(),
    last: performance.now(),
    runs: 0,
    ms: 0,
    pending: null as Promise<void> | null,
  };
  let nextReport = 0.1;
  t = performance.now();
  const done: ImportJob = await runImport(run.database, uploaded.id, (job) => {
    memory.sample();
    // What autovacuum's analyze would do on a server where it runs (off the import's connection).
    if (analyze.every > 0 && !analyze.pending && since(analyze.last) >= analyze.every) {
      const began = (analyze.last = performance.now());
      analyze.pending = db.pool.query('ANALYZE leads, import_rows').then(() => {
        analyze.runs++;
        analyze.ms += performance.now() - began;
        analyze.pending = null;
      });
    }
    if (job.rowsDone / rows >= nextReport && job.status === 'running') {
      nextReport += 0.1;
      console.log(
        `  ${fmt(job.rowsDone).padStart(10)} rows  ${since(t).toFixed(1).padStart(6)} s  ${fmt(Math.round(job.rowsDone / since(t))).padStart(7)} rows/s  rss ${fmt(mb(process.memoryUsage().rss))} MB`,
      );
    }
  });
  await analyze.pending;
  const importSeconds = since(t);
  memory.stop();
  if (analyze.every > 0)
    console.log(
      `  ANALYZE leads, import_rows every ${analyze.every} s beside the import (TIDE_BENCH_ANALYZE_EVERY): ${analyze.runs} runs, ${(analyze.ms / 1000).toFixed(1)} s`,
    );
  console.log(`  ${load1()} at the end of the import`);
  const importWallMs = importSeconds * 1000;

  // 4. Figures.
  const totalSeconds = uploadSeconds + importSeconds;
  const upPeak = memory.peak('upload');
  const runPeak = memory.peak('import');
  const peakRss = Math.max(upPeak.sampled, upPeak.hwm, runPeak.sampled, runPeak.hwm);
  console.log(
    `import: ${importSeconds.toFixed(1)} s, ${fmt(Math.round(rows / importSeconds))} rows/s; upload + import ${totalSeconds.toFixed(1)} s, ${fmt(Math.round(rows / totalSeconds))} rows/s; ${
      rows >= 1_048_576
        ? `goal ${fmt(1_048_576)} rows < ${GOAL_SECONDS} s: ${totalSeconds < GOAL_SECONDS ? 'met' : 'missed'}`
        : // Only a lower bound: the lookup of existing leads grows with the table.
          `${fmt(1_048_576)} rows at this rate: ${((totalSeconds * 1_048_576) / rows).toFixed(0)} s (goal < ${GOAL_SECONDS} s)`
    }`,
  );
  console.log(
    `RSS: upload from ${fmt(mb(upPeak.start))} MB to a peak of ${fmt(mb(upPeak.sampled))} MB sampled / ${fmt(mb(upPeak.hwm))} MB high-water; import from ${fmt(mb(runPeak.start))} MB to ${fmt(mb(runPeak.sampled))} MB sampled / ${fmt(mb(runPeak.hwm))} MB high-water (heap ≤ ${fmt(mb(runPeak.heap))} MB); goal < ${fmt(GOAL_RSS_MB)} MB: ${mb(peakRss) < GOAL_RSS_MB ? 'met' : 'missed'}${db.engine === 'pglite' ? ' (the embedded database runs in this process and is counted)' : ''}`,
  );

  const expected = {
    created: gen.counts.new,
    merged: gen.counts['repeat in chunk'] + gen.counts['repeat of earlier chunk'],
    rejected: gen.counts['invalid phone'] + gen.counts['customer phone'],
    updated: 0,
    linked: 0,
    skipped: 0,
  };
  console.log(`outcomes (expected → got), status ${done.status}, ${fmt(done.rowsDone)} rows:`);
  for (const [k, n] of Object.entries(expected)) {
    const got = done.counts[k as keyof typeof done.counts];
    console.log(
      `  ${k.padEnd(9)} ${fmt(n).padStart(10)} → ${fmt(got).padStart(10)}  ${((100 * got) / rows).toFixed(2).padStart(6)}%${got === n ? '' : '  MISMATCH'}`,
    );
  }
  const { rows: byKind } = await db.pool.query<{ kind: string; n: string }>(
    `SELECT ${kindSql} AS kind, count(*) AS n FROM import_rows WHERE import_id = $1 GROUP BY 1`,
    [uploaded.id],
  );
  const got = new Map(byKind.map((r) => [r.kind, Number(r.n)]));
  console.log(
    `  by reason: ${[...new Set<string>([...rowKinds, ...got.keys()])]
      .map((k) => {
        const want = rowKinds.includes(k as RowKind) ? gen.counts[k as RowKind] : 0;
        const have = got.get(k) ?? 0;
        return `${k} ${fmt(want)} → ${fmt(have)}${want === have ? '' : ' (!)'}`;
      })
      .join(', ')}`,
  );
  const check = await checkRows(db, uploaded.id, fs.readFileSync(kindsFile));
  console.log(
    `  row by row: ${fmt(check.seen)} outcomes read, ${fmt(check.mismatches)} differ from the planted kind${check.wrong.length ? `: ${check.wrong.join('; ')}` : ''}`,
  );
  const { rows: leadCount } = await db.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM leads WHERE tenant_id = $1 AND source = $2',
    [load.tenantId, SOURCE],
  );
  console.log(`  leads in the table from this import: ${fmt(Number(leadCount[0]?.n ?? 0))}`);

  // Chunk transactions and the time between them (reading and parsing the stored file).
  const tx = run.log.transactions;
  const sortedTx = [...tx].sort((a, b) => a - b);
  const gaps = run.log.commitEnds.slice(1).map((end, i) => end - (run.log.commitEnds[i] ?? end));
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const txSum = tx.reduce((a, b) => a + b, 0);
  const tenth = Math.max(1, Math.floor(tx.length / 10));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  console.log(
    `chunk transactions (${fmt(IMPORT_CHUNK_ROWS)} rows, BEGIN to end of COMMIT): ${fmt(tx.length)}, ms p50 ${quantile(sortedTx, 0.5)}, p90 ${quantile(sortedTx, 0.9)}, p99 ${quantile(sortedTx, 0.99)}, max ${quantile(sortedTx, 1)}; first tenth mean ${mean(tx.slice(0, tenth)).toFixed(0)}, last tenth mean ${mean(tx.slice(-tenth)).toFixed(0)}`,
  );
  console.log(
    `  commit to commit: ms p50 ${quantile(sortedGaps, 0.5)}, p99 ${quantile(sortedGaps, 0.99)}, max ${quantile(sortedGaps, 1)}; inside transactions ${(txSum / 1000).toFixed(1)} s (${((100 * txSum) / importWallMs).toFixed(0)}% of the import), outside (reading, parsing, progress) ${((importWallMs - txSum) / 1000).toFixed(1)} s`,
  );
  printSteps('upload statements:', up.log, uploadSeconds * 1000);
  printSteps(
    'import statements (JS: on the connection before the statement; reading the file overlaps):',
    run.log,
    importWallMs,
  );

  // Plans of the costliest steps' slowest statements, run again and rolled back.
  if (process.env.TIDE_BENCH_EXPLAIN !== '0') {
    const costly = [...run.log.steps.values()]
      .filter((s) => s.label.startsWith('chunk: '))
      .sort((a, b) => b.sqlMs - a.sqlMs)
      .slice(0, 3);
    for (const s of costly) {
      const plan = await explain(db, s);
      if (!plan.length) continue;
      console.log(
        `EXPLAIN (ANALYZE, BUFFERS) of the slowest "${s.label}" (${s.slowestMs.toFixed(0)} ms during the import), run again and rolled back:`,
      );
      // Long lines are the phone arrays written out.
      for (const line of plan.slice(0, 40))
        console.log(`  ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
    }
  }
} finally {
  memory.stop();
  if (onServer && tenantId)
    await removeImported(db, tenantId).then(
      (removed) => {
        console.log(`removed after the run: ${removed}`);
      },
      (err: unknown) => {
        // A failure of the run itself matters more than one of the clean-up.
        console.error('removing the imported rows failed:', err);
      },
    );
  await close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
