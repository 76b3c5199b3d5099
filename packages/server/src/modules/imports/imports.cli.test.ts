import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../platform/db.ts';
import { cliEnv, runTide, tideBin, type CliEnv } from '../../../test/cli.ts';
import { IMPORT_CHUNK_ROWS } from './imports.service.ts';

let env: CliEnv;
beforeAll(() => {
  env = cliEnv();
});
afterAll(async () => {
  if (env.schema) {
    const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '' });
    await db.pool.query(`DROP SCHEMA IF EXISTS ${env.schema} CASCADE`);
    await db.close();
  }
  env.cleanup();
});

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: env.dataDir,
    schema: env.schema ?? undefined,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Rows with unique phones, and every tenth row a repeat of the row before it. */
function writeFile(file: string, rows: number): number {
  const lines = ['公司名称,联系人,手机'];
  let unique = 0;
  for (let i = 1; i <= rows; i++) {
    const n = i % 10 === 0 ? i - 1 : i;
    if (n === i) unique++;
    lines.push(
      `测试公司${String(n)}号有限公司,联系人${String(n)},139${String(n).padStart(8, '0')}`,
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return unique;
}

describe('tide import', () => {
  it(
    'resumes after SIGKILL mid-file with no row missing or doubled',
    async () => {
      const rows = IMPORT_CHUNK_ROWS * 6;
      const file = path.join(env.dataDir, '..', `import-${String(process.pid)}.csv`);
      const unique = writeFile(file, rows);
      try {
        const child = spawn(process.execPath, [tideBin, 'import', file, '--type', 'leads'], {
          env: env.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const killed = new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            output += d.toString();
            // Killed once at least one chunk is committed, before the file is done.
            if (/progress \d+% rows \d+/.test(output) && !child.killed) child.kill('SIGKILL');
          });
          child.stderr.on('data', (d: Buffer) => (output += d.toString()));
          child.on('exit', (_code, signal) => {
            if (signal === 'SIGKILL') resolve();
            else reject(new Error(`the import ended before it was killed:\n${output}`));
          });
        });
        await killed;
        const id = /Import ([0-9a-f-]{36})/.exec(output)?.[1];
        expect(id).toBeTruthy();
        const partial = await withDb(
          async (db) =>
            (
              await db.pool.query<{ rows_done: number }>(
                'SELECT rows_done FROM import_jobs WHERE id = $1',
                [id],
              )
            ).rows[0]?.rows_done,
        );
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(rows);
        expect((partial ?? 0) % IMPORT_CHUNK_ROWS).toBe(0);

        // The killed run's heartbeat is fresh: a plain resume refuses to run beside it…
        const refused = await runTide(['import', '--resume', id ?? ''], env.env);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain('The import is still running');
        // …and --force takes over an import whose process is known to be gone.
        const resumed = await runTide(['import', '--resume', id ?? '', '--force'], env.env);
        expect(resumed.stderr).toBe('');
        expect(resumed.code).toBe(0);
        expect(resumed.stdout).toContain(
          `Resuming import ${id ?? ''} after row ${String(partial)}`,
        );
        expect(resumed.stdout).toContain(`done: ${String(rows)} rows`);

        await withDb(async (db) => {
          const leads = await db.pool.query<{ n: number; phones: number }>(
            `SELECT count(*)::int AS n, count(DISTINCT phone_e164)::int AS phones FROM leads
            WHERE company LIKE '测试公司%'`,
          );
          expect(leads.rows[0]).toEqual({ n: unique, phones: unique });
          const report = await db.pool.query<{
            n: number;
            rows: number;
            created: number;
            merged: number;
          }>(
            `SELECT count(*)::int AS n, count(DISTINCT row_no)::int AS rows,
                  count(*) FILTER (WHERE outcome = 'created')::int AS created,
                  count(*) FILTER (WHERE outcome = 'merged')::int AS merged
             FROM import_rows WHERE import_id = $1`,
            [id],
          );
          expect(report.rows[0]).toEqual({
            n: rows,
            rows,
            created: unique,
            merged: rows - unique,
          });
          const job = await db.pool.query<{ status: string; rows_done: number }>(
            'SELECT status, rows_done FROM import_jobs WHERE id = $1',
            [id],
          );
          expect(job.rows[0]).toEqual({ status: 'done', rows_done: rows });
        });
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    // Three real processes in a row, each opening the database: slow on a loaded machine.
    120_000,
  );

  it('says what to do when the file is missing', async () => {
    const res = await runTide(['import', 'no-such-file.csv'], env.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('No file "no-such-file.csv"');
  });
});
