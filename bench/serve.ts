/**
 * A real `tide serve` process on the embedded database, for the benchmarks
 * that measure the server from outside: its address once it answers, its pid
 * (for /proc figures) and a way to stop it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '..', 'packages', 'server', 'bin', 'tide.mjs');

export const BENCH_ADMIN_PASSWORD = 'bench-pass-123';

export interface Served {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

export async function serve(dataDir: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TIDE_DATA_DIR: dataDir,
      TIDE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      TIDE_LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
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
      reject(new Error(`tide serve exited ${String(code)}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
