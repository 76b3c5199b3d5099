import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { isPglite, tempDir } from './harness.ts';

export const tideBin = path.resolve(import.meta.dirname, '..', 'bin', 'tide.mjs');

export interface CliEnv {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  schema: string | null;
  cleanup(): void;
}

/**
 * Environment for running `tide` as a child process: a copy of the migrated
 * PGlite template, or a fresh schema on the PostgreSQL server.
 */
export function cliEnv(): CliEnv {
  const dataDir = tempDir('cli');
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TIDE_DATA_DIR: dataDir,
    TIDE_LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  if (isPglite) {
    const template = inject('pgliteTemplate');
    if (template) fs.cpSync(template, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, 'tide.lock'), { force: true });
    return {
      env: base,
      dataDir,
      schema: null,
      cleanup: () => {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_cli_${crypto.randomBytes(5).toString('hex')}`;
  return {
    env: { ...base, DATABASE_URL: process.env.DATABASE_URL, TIDE_DB_SCHEMA: schema },
    dataDir,
    schema,
    cleanup: () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTide(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tideBin, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `tide serve` on a free port and waits until it prints its address. */
export function startTide(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tideBin, 'serve'], {
      env: { ...env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((r) =>
      child.on('exit', (code) => {
        r(code);
      }),
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Tide is running at (http:\/\/localhost:\d+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1], output: () => out, exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => {
      reject(new Error(`tide serve exited (${String(code)}) before listening:\n${out}`));
    });
  });
}
