/**
 * A million-row workbook imported through a real `tide serve` on the embedded
 * database, while the server keeps answering: the file (1,048,576 rows with
 * its header, shared strings as Excel writes them; cached in .tmp) is uploaded
 * and its import started over HTTP, and meanwhile `/health` and a page of the
 * lead list are asked one after another. Prints their p50/p95/p99 during the
 * upload and during the run, the server process's peak RSS (VmHWM, threads
 * included), rows/s, the durations and the load.
 * The issue's goals: /health p99 < 200 ms, list p95 < 500 ms, peak RSS < 1 GB.
 *
 *   npm run bench -- import-xlsx
 *   TIDE_BENCH_XLSX_ROWS=100000 npm run bench -- import-xlsx   (data rows; default 1,048,575)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ImportJob } from '@tide/contract';
import { generateCustomers } from './generate/companies.ts';
import { Random } from './generate/random.ts';
import { givenChars, surnames } from './generate/vocabulary.ts';
import { BENCH_ADMIN_PASSWORD, serve } from './serve.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const SEED = 20_261_207;

function dataRows(): number {
  const raw = process.env.TIDE_BENCH_XLSX_ROWS;
  if (raw === undefined || raw === '') return 1_048_575;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > 1_048_575) {
    process.stderr.write(`TIDE_BENCH_XLSX_ROWS must be a whole number 1…1048575, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

/** The workbook, written row by row with exceljs's streaming writer; reused when present. */
async function workbook(rows: number): Promise<string> {
  const dir = path.join(repoRoot, '.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-import-leads-${String(rows)}.xlsx`);
  if (fs.existsSync(file)) return file;
  const began = performance.now();
  const partial = `${file}.partial`;
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: partial,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = writer.addWorksheet('线索');
  sheet.addRow(['公司名称', '联系人', '手机', '地址', '来源']).commit();
  const random = new Random(SEED);
  const customers = generateCustomers(SEED);
  const sources = ['展会', '官网', '转介绍', '电话营销', '广告'];
  for (let i = 0; i < rows; i++) {
    const c = customers.next().value;
    const name = random.pick(surnames) + random.pick(givenChars) + random.pick(givenChars);
    // Distinct valid mobiles: 139 followed by the row number.
    const phone = `139${String(i).padStart(8, '0')}`;
    sheet.addRow([c.name, name, phone, c.address ?? '', sources[i % sources.length]]).commit();
  }
  sheet.commit();
  await writer.commit();
  fs.renameSync(partial, file);
  console.log(
    `generated ${path.relative(repoRoot, file)}: ${String(rows)} rows, ` +
      `${(fs.statSync(file).size / 1048576).toFixed(1)} MB in ${((performance.now() - began) / 1000).toFixed(0)} s`,
  );
  return file;
}

function vmHwmMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** Asks `url` one request after another until stopped; each latency is kept in `into`. */
function pollLoop(url: string, headers: Record<string, string>, gapMs: number, into: number[][]) {
  const state = { stop: false };
  const done = (async () => {
    while (!state.stop) {
      const began = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url} answered ${String(res.status)}`);
      into.at(-1)?.push(performance.now() - began);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return async () => {
    state.stop = true;
    await done;
  };
}

function line(label: string, ms: number[]): string {
  if (!ms.length) return `${label}: no requests`;
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(0);
  return `${label}: n=${String(ms.length)} p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`;
}

const rows = dataRows();
const file = await workbook(rows);
const fileBytes = fs.statSync(file).size;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tide-bench-xlsx-'));
// The first start creates the data directory (a peak of its own); the measured one reopens it.
const dataDir = path.join(dir, 'data');
await (await serve(dataDir)).stop();
const server = await serve(dataDir, { TIDE_JOB_POLL_SECONDS: '1' });
const { url: base, pid } = server;
try {
  const api = `${base}/api/v1`;
  const login = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const rssBefore = vmHwmMb(pid);

  // Phases: 0 upload, 1 import running.
  const health: number[][] = [[]];
  const list: number[][] = [[]];
  const stopHealth = pollLoop(`${api}/health`, {}, 50, health);
  const stopList = pollLoop(`${api}/leads?pageSize=20`, auth, 200, list);

  const uploadBegan = performance.now();
  const upload = await fetch(
    `${api}/imports?type=leads&fileName=${encodeURIComponent('bench-leads.xlsx')}`,
    {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>,
      duplex: 'half',
    },
  );
  if (upload.status !== 201)
    throw new Error(`upload: ${String(upload.status)} ${await upload.text()}`);
  const job = (await upload.json()) as ImportJob;
  const uploadSeconds = (performance.now() - uploadBegan) / 1000;

  health.push([]);
  list.push([]);
  const runBegan = performance.now();
  const started = await fetch(`${api}/imports/${job.id}/start`, { method: 'POST', headers: auth });
  if (started.status !== 202)
    throw new Error(`start: ${String(started.status)} ${await started.text()}`);
  let last: ImportJob = job;
  let lastPrinted = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    last = (await (await fetch(`${api}/imports/${job.id}`, { headers: auth })).json()) as ImportJob;
    if (last.status === 'done' || last.status === 'failed') break;
    if (performance.now() - lastPrinted > 30_000) {
      lastPrinted = performance.now();
      console.log(
        `  … ${String(last.rowsDone)} rows, ${String(last.rowsPerSecond ?? 0)} rows/s, RSS peak ${String(vmHwmMb(pid))} MB`,
      );
    }
  }
  const runSeconds = (performance.now() - runBegan) / 1000;
  // After the import: the list alone, to tell its own cost from the wait behind the import.
  health.push([]);
  list.push([]);
  await new Promise((r) => setTimeout(r, 5000));
  await stopHealth();
  await stopList();
  const peak = vmHwmMb(pid);

  console.log(
    `workbook: ${String(rows + 1)} rows with the header, ${(fileBytes / 1048576).toFixed(1)} MB`,
  );
  console.log(
    `upload (stored, every row checked against the limits on its worker thread): ${uploadSeconds.toFixed(1)} s`,
  );
  console.log(
    `import: ${last.status}${last.error ? ` (${last.error})` : ''}, ${String(last.rowsDone)} rows in ${runSeconds.toFixed(1)} s, ` +
      `${(last.rowsDone / runSeconds).toFixed(0)} rows/s; ${JSON.stringify(last.counts)}`,
  );
  console.log(line('/health during upload', health[0] ?? []));
  console.log(line('/health during import', health[1] ?? []));
  console.log(line('lead list during upload', list[0] ?? []));
  console.log(line('lead list during import', list[1] ?? []));
  console.log(line('lead list after the import, idle', list[2] ?? []));
  const all = (xs: number[][]) => xs.slice(0, 2).flat();
  console.log(line('/health overall (goal p99 < 200 ms)', all(health)));
  console.log(line('lead list overall (goal p95 < 500 ms)', all(list)));
  console.log(
    `server peak RSS (VmHWM): ${String(peak)} MB (goal < 1024 MB; ${String(rssBefore)} MB before the upload)`,
  );
  console.log(
    `load: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (1, 5, 15 min)`,
  );
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
