import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.ts';

export interface TideServer {
  baseUrl: string;
  port: number;
  dataDir: string;
  adminPassword: string;
  /** Everything the server printed so far, for failure messages. */
  output: () => string;
  /** SIGTERM, then removes the data directory unless the caller passed its own. */
  stop: () => Promise<void>;
  /** SIGKILL, as a crash would: the data directory stays, with whatever was committed. */
  kill: () => Promise<void>;
}

export interface StartOptions {
  adminPassword?: string;
  env?: Record<string, string>;
  /** First start creates the embedded database and runs migrations: allow for it. */
  startTimeoutMs?: number;
  /** Reuse this data directory (kept on stop), e.g. to start again after a crash. */
  dataDir?: string;
  /** Listen on this port, e.g. so a browser signed in before a restart stays valid. */
  port?: number;
}

export const defaultAdminPassword = 'Admin-e2e-2026!';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function isHealthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `tide serve` as a child process on a free port with a fresh data directory and
 * a known admin password, and resolves once its health check answers.
 */
export async function startServer(options: StartOptions = {}): Promise<TideServer> {
  const port = options.port ?? (await freePort());
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tide-e2e-')));
  const removeDir = async () => {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  const adminPassword = options.adminPassword ?? defaultAdminPassword;
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';

  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'packages/server/bin/tide.mjs'), 'serve'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        TIDE_DATA_DIR: dataDir,
        TIDE_ADMIN_PASSWORD: adminPassword,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 15_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    await removeDir();
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await removeDir();
      throw new Error(`tide serve exited early (code ${String(child.exitCode)}):\n${output}`);
    }
    if (await isHealthy(baseUrl)) {
      return { baseUrl, port, dataDir, adminPassword, output: () => output, stop, kill };
    }
    await delay(250);
  }
  await stop();
  throw new Error(`tide serve did not answer /api/v1/health in time:\n${output}`);
}
