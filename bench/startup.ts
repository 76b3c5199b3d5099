/**
 * Cold start: `tide serve` on an empty data directory (embedded database
 * created, migrated, default tenant made) until it answers HTTP, and its
 * memory. Then a warm start on the same directory.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '..', 'packages', 'server', 'bin', 'tide.mjs');

function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function start(dataDir: string): Promise<{ ms: number; rssMb: number; peakMb: number }> {
  const began = performance.now();
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TIDE_DATA_DIR: dataDir,
      TIDE_ADMIN_PASSWORD: 'bench-pass-123',
      TIDE_LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Tide is running at (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => {
      reject(new Error(`exited ${String(code)}`));
    });
  });
  const res = await fetch(`${url}/api/v1/health`);
  if (!res.ok) throw new Error('health failed');
  const ms = performance.now() - began;
  // Sign in once so the figure includes a warmed request path.
  await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'bench-pass-123' }),
  });
  const mem = rssOf(child.pid ?? 0);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
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
