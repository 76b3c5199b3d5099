/**
 * Cold start: `tide serve` on an empty data directory (embedded database
 * created, migrated, default tenant made) until it answers HTTP, and its
 * memory. Then a warm start on the same directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_ADMIN_PASSWORD, serve } from './serve.ts';

function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function start(dataDir: string): Promise<{ ms: number; rssMb: number; peakMb: number }> {
  const began = performance.now();
  const { url, pid, stop } = await serve(dataDir);
  const res = await fetch(`${url}/api/v1/health`);
  if (!res.ok) throw new Error('health failed');
  const ms = performance.now() - began;
  // Sign in once so the figure includes a warmed request path.
  await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_PASSWORD }),
  });
  const mem = rssOf(pid);
  await stop();
  return { ms, ...mem };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tide-bench-'));
try {
  const cold = await start(path.join(dir, 'data'));
  const warm = await start(path.join(dir, 'data'));
  console.log(
    `cold start (empty data dir): ${Math.round(cold.ms)} ms to first answer, RSS ${cold.rssMb} MB (peak ${cold.peakMb} MB)`,
  );
  console.log(
    `warm start (existing data):  ${Math.round(warm.ms)} ms to first answer, RSS ${warm.rssMb} MB (peak ${warm.peakMb} MB)`,
  );
  console.log(`cold / warm: ${(cold.ms / warm.ms).toFixed(1)}×`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
