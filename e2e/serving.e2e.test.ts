import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.ts';
import { defaultAdminPassword, startServer, type TideServer } from './helpers/server.ts';
import { ensureWebBuild } from './helpers/web-build.ts';

const dist = path.join(repoRoot, 'packages/web/dist');

describe('the web UI as sent: compressed, hashed assets cached for a year', () => {
  let server: TideServer | undefined;
  beforeAll(async () => {
    ensureWebBuild();
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The raw answer, undecoded: fetch would inflate the body and hide what was sent. */
  async function get(url: string, acceptEncoding: string) {
    const base = server?.baseUrl ?? '';
    const res = await fetch(`${base}${url}`, { headers: { 'accept-encoding': acceptEncoding } });
    return { res, body: Buffer.from(await res.arrayBuffer()) };
  }

  it('sends index.html compressed and to be revalidated on every use', async () => {
    for (const path of ['/', '/index.html', '/leads/some-page']) {
      const { res } = await get(path, 'gzip, deflate, br');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('sends a hashed asset as brotli or gzip, whichever the browser takes, kept for a year', async () => {
    const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const asset = /\/assets\/index-[\w-]+\.js/.exec(index)?.[0];
    expect(asset).toBeDefined();
    const plain = fs.readFileSync(path.join(dist, asset ?? ''));
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const { res } = await get(asset ?? '', accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
    // What is sent is the very file, and much smaller.
    const br = fs.readFileSync(path.join(dist, `${asset ?? ''}.br`));
    const gz = fs.readFileSync(path.join(dist, `${asset ?? ''}.gz`));
    expect(zlib.brotliDecompressSync(br).equals(plain)).toBe(true);
    expect(zlib.gunzipSync(gz).equals(plain)).toBe(true);
    expect(br.length).toBeLessThan(plain.length / 2);
  });
});

/** Whether a process with this pid is running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('npm start: stopping it stops the server and frees the embedded database', () => {
  beforeAll(() => {
    ensureWebBuild();
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGKILL'] as const)(
    '%s to the npm start process',
    async (signal) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tide-start-'));
      const lock = path.join(dataDir, 'tide.lock');
      const parent = spawn(process.execPath, [path.join(repoRoot, 'scripts/start.mjs')], {
        cwd: repoRoot,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PORT: '0',
          HOST: '127.0.0.1',
          TIDE_DATA_DIR: dataDir,
          TIDE_ADMIN_PASSWORD: defaultAdminPassword,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      parent.stdout.on('data', (d: Buffer) => (output += d.toString()));
      parent.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const parentExit = new Promise<number | null>((r) =>
        parent.on('exit', (code) => {
          r(code);
        }),
      );
      let serverPid = 0;
      try {
        expect(await until(() => output.includes('Tide is running at'), 120_000), output).toBe(
          true,
        );
        // The server, not npm start, holds the lock: its pid is in the lock file.
        serverPid = Number(fs.readFileSync(lock, 'utf8'));
        expect(serverPid).not.toBe(parent.pid);
        expect(alive(serverPid)).toBe(true);

        parent.kill(signal);
        const code = await parentExit;
        // npm start exits with the server's code: 0 after a clean stop.
        if (signal !== 'SIGKILL') expect(code, output).toBe(0);
        expect(await until(() => !alive(serverPid), 20_000), output).toBe(true);
        expect(fs.existsSync(lock), output).toBe(false);
      } finally {
        if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
        if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
