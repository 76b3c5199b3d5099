import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { lockDirectory, type DirLock } from './lock.ts';

export type Db = NodePgDatabase;
/** A transaction handle; repo functions accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type Engine = 'pglite' | 'postgres';

/** The rows of a drizzle `execute` result, typed by the caller. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

const dialect = new PgDialect();

/** A prepared statement's name for an SQL text: the same text, the same name. */
function statementName(text: string): string {
  return `tide_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * Runs a hot statement as a named prepared statement, so each connection plans it
 * once instead of at every call: for statements that cost more to plan than to run
 * (the claim path's). The name follows the text, so each shape is a statement of its
 * own. A name stays prepared for the connection's life: use it only for statements
 * of few shapes, never for texts that vary with the data (IN lists of any length).
 */
export async function executePrepared<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const q = dialect.sqlToQuery(query);
  return rowsOf<T>(
    await db._.session.prepareQuery(q, undefined, statementName(q.sql), false).execute(),
  );
}

/**
 * Runs a drizzle `sql` query on a raw client: for the set-based import paths, which
 * write with raw SQL inside `inClientTransaction` yet must read through the data scope.
 */
export async function queryOn<T extends pg.QueryResultRow>(
  client: pg.ClientBase,
  query: SQL,
): Promise<T[]> {
  const q = dialect.sqlToQuery(query);
  return (await client.query<T>(q.sql, q.params)).rows;
}

/** `executePrepared` for a drizzle query builder, with its typed rows. */
export async function runPrepared<R>(query: {
  toSQL(): { sql: string };
  prepare(name: string): { execute(): Promise<R> };
}): Promise<R> {
  return query.prepare(statementName(query.toSQL().sql)).execute();
}

/**
 * Runs `work` in one transaction on a pool client of its own: for raw SQL and for jobs
 * queued in the same transaction as the rows they are about.
 */
export async function inClientTransaction<T>(
  database: Pick<Database, 'pool'>,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export interface Database {
  readonly engine: Engine;
  readonly db: Db;
  readonly pool: pg.Pool;
  /** The schema holding Tide's tables (`public` unless isolated for a test). */
  readonly schema: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Use a dedicated schema (tests isolate each file this way on a shared server). */
  schema?: string;
  /** Pool size on a server; the embedded engine is always one session. */
  poolSize?: number;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

const workerFile = path.join(import.meta.dirname, 'pglite-worker.mjs');

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new DatabaseError(`Invalid schema name: ${name}`);
  return `"${name}"`;
}

/** Starts PGlite on a worker thread serving a private Unix socket. */
async function startEmbedded(pgDir: string): Promise<{ socketDir: string; stop(): Promise<void> }> {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tide-pg-'));
  const worker = new Worker(workerFile, {
    workerData: { dataDir: pgDir, socketPath: path.join(socketDir, '.s.PGSQL.5432') },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { type: string; message?: string }) => {
        if (m.type === 'ready') resolve();
        else reject(new DatabaseError(`Embedded database failed to start: ${m.message ?? m.type}`));
      });
    });
  } catch (err) {
    await worker.terminate();
    fs.rmSync(socketDir, { recursive: true, force: true });
    throw err;
  }
  return {
    socketDir,
    async stop() {
      const closed = new Promise<void>((resolve) => {
        worker.once('message', () => {
          resolve();
        });
        worker.once('exit', () => {
          resolve();
        });
      });
      worker.postMessage('close');
      await closed;
      await worker.terminate();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens Tide's database: PGlite in `dataDir` (locked, off the main thread) when no
 * URL is given, else a node-postgres pool. Both are reached through `pg`, so
 * every query, transaction and drizzle type is the same on either engine.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const schema = opts.schema ?? 'public';
  const searchPath = schema === 'public' ? 'public' : `${quoteIdent(schema)}, public`;
  let pool: pg.Pool;
  let engine: Engine;
  let lock: DirLock | undefined;
  let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined;

  if (opts.databaseUrl) {
    engine = 'postgres';
    pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // Names are checked by quoteIdent's pattern, so they need no quotes here.
      options: `-c search_path=${schema === 'public' ? 'public' : `${schema},public`}`,
    });
  } else {
    engine = 'pglite';
    fs.mkdirSync(opts.dataDir, { recursive: true });
    lock = lockDirectory(opts.dataDir);
    try {
      embedded = await startEmbedded(path.join(opts.dataDir, 'pg'));
    } catch (err) {
      lock.release();
      throw err;
    }
    // One session: PGlite serialises everything anyway, and a second connection
    // over the socket is unsafe (STACK.md).
    pool = new pg.Pool({
      host: embedded.socketDir,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      max: 1,
    });
    keepConnectionOnSqlErrors(pool);
    if (schema !== 'public') {
      pool.on('connect', (client) => {
        void client.query(`SET search_path TO ${searchPath}`);
      });
    }
  }
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  if (schema !== 'public') {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  }

  const db = drizzle({ client: pool });
  let closed = false;
  return {
    engine,
    db,
    pool,
    schema,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await embedded?.stop();
      lock?.release();
    },
  };
}

/**
 * pg_trgm produces no trigrams for Chinese unless the database's ctype is UTF-8
 * (a `LOCALE 'C'` database gives similarity 0 for every Chinese string), and
 * duplicate detection depends on it: refuse such a database at start.
 */
export async function checkEncoding(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ ctype: string; encoding: string }>(
    `SELECT datctype AS ctype, pg_encoding_to_char(encoding) AS encoding
       FROM pg_database WHERE datname = current_database()`,
  );
  const row = rows[0];
  if (!row) throw new DatabaseError('Cannot read the database locale');
  const utf8 = (s: string) => /utf-?8/i.test(s);
  if (!utf8(row.encoding) || !utf8(row.ctype)) {
    throw new DatabaseError(
      `The database uses encoding ${row.encoding} with LC_CTYPE "${row.ctype}". Tide needs a UTF-8 ` +
        'encoding and a UTF-8 LC_CTYPE: with any other ctype pg_trgm extracts no trigrams from Chinese ' +
        'text and duplicate detection cannot work. Create the database with, for example, ' +
        "CREATE DATABASE tide ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;",
    );
  }
}

/**
 * `pool.query` destroys its connection when a statement fails, even for an SQL
 * error such as a unique violation; the embedded server takes one connection
 * and notices the old one closing only after the pool has dialled again, so the
 * next statement failed with EPIPE. Here an SQL error (one with a SQLSTATE)
 * returns the connection to the pool; only a broken connection is dropped.
 */
function keepConnectionOnSqlErrors(pool: pg.Pool): void {
  const query = async (...args: unknown[]): Promise<unknown> => {
    const client = await pool.connect();
    try {
      const result: unknown = await (client.query as (...a: unknown[]) => Promise<unknown>)(
        ...args,
      );
      client.release();
      return result;
    } catch (err) {
      const sqlstate = (err as { code?: unknown }).code;
      const sqlError = typeof sqlstate === 'string' && /^[0-9A-Z]{5}$/.test(sqlstate);
      client.release(sqlError ? undefined : (err as Error));
      throw err;
    }
  };
  pool.query = query as typeof pool.query;
}
