/**
 * Times the statements an import issues, without touching the server: the
 * import gets a Database whose pool is wrapped, both pool.query (reading the
 * stored file, progress) and the clients pool.connect hands out (each chunk's
 * transaction, where importLeadChunk runs). Statements are named after what
 * they do, recognised by their SQL. On a client, the time since its previous
 * statement is JavaScript (cleaning the rows before the first lookup, sorting
 * outcomes) and is counted with the statement that follows it. Every chunk's
 * transaction is timed from BEGIN to the end of COMMIT.
 */
import type pg from 'pg';
import type { Database } from '../../packages/server/src/platform/db.ts';

export interface Step {
  label: string;
  statements: number;
  /** Rows the statements inserted, updated or returned. */
  rows: number;
  sqlMs: number;
  /** JavaScript on the same connection before the statements. */
  jsMs: number;
  slowestMs: number;
  /** The slowest statement's SQL and parameters, to EXPLAIN it afterwards. */
  slowest: { text: string; values: readonly unknown[] } | null;
}

export interface ImportLog {
  steps: Map<string, Step>;
  /** BEGIN to the end of COMMIT of every chunk, in ms, in order. */
  transactions: number[];
  /** Wall-clock end of every COMMIT (performance.now()). */
  commitEnds: number[];
}

/** The step a statement of imports.service.ts or leads.import.ts belongs to, by its SQL. */
export function classify(text: string): string {
  const t = text.trim();
  if (t === 'BEGIN' || t === 'COMMIT' || t === 'ROLLBACK') return t;
  if (t.includes('INSERT INTO import_file_chunks')) return 'upload: store a 1 MB file chunk';
  if (t.includes('SELECT data FROM import_file_chunks')) return 'read: stored file chunk';
  if (t.includes('SELECT c.phone_e164 AS phone')) return 'chunk: customers with the phones';
  if (t.includes('EXISTS (SELECT 1 FROM import_rows')) return 'chunk: leads with the same key';
  if (t.includes('INSERT INTO leads')) return 'chunk: insert leads';
  if (t.includes('INSERT INTO handovers')) return 'chunk: insert handovers';
  if (t.includes('INSERT INTO audit_log')) return 'chunk: insert audit entries';
  if (t.includes('UPDATE leads l SET')) return 'chunk: merge or update leads';
  if (t.includes('INSERT INTO follow_ups')) return 'chunk: insert follow-ups';
  if (t.includes('INSERT INTO import_rows')) return 'chunk: insert row outcomes';
  if (t.includes('SET rows_done = rows_done')) return 'chunk: checkpoint';
  if (t.startsWith('SELECT * FROM import_jobs')) return 'progress: read the job';
  return 'other';
}

const rowsOf = (result: unknown): number => {
  const r = result as Partial<pg.QueryResult>;
  return r.command === 'SELECT' ? (r.rows?.length ?? 0) : (r.rowCount ?? 0);
};

type Query = (text: unknown, values?: unknown) => Promise<unknown>;

/** The database with a pool (and pooled clients) whose statements are timed into the log. */
export function timedDatabase(database: Database): { database: Database; log: ImportLog } {
  const log: ImportLog = { steps: new Map(), transactions: [], commitEnds: [] };

  const timed = (original: Query, onClient: boolean): Query => {
    let lastEnd = performance.now();
    let begun = 0;
    return async (text, values) => {
      const started = performance.now();
      const sql = typeof text === 'string' ? text : '';
      const label = classify(sql);
      let step = log.steps.get(label);
      if (!step) {
        step = { label, statements: 0, rows: 0, sqlMs: 0, jsMs: 0, slowestMs: 0, slowest: null };
        log.steps.set(label, step);
      }
      // Between statements on one connection is JavaScript; on the shared pool it is not known.
      if (onClient && label !== 'BEGIN') step.jsMs += started - lastEnd;
      if (label === 'BEGIN') begun = started;
      try {
        const result = await original(text, values);
        step.rows += rowsOf(result);
        return result;
      } finally {
        lastEnd = performance.now();
        const ms = lastEnd - started;
        step.statements++;
        step.sqlMs += ms;
        if (ms > step.slowestMs) {
          step.slowestMs = ms;
          step.slowest = { text: sql, values: Array.isArray(values) ? values : [] };
        }
        if (label === 'COMMIT' && begun) {
          log.transactions.push(lastEnd - begun);
          log.commitEnds.push(lastEnd);
        }
      }
    };
  };

  const wrapClient = (client: pg.PoolClient): pg.PoolClient => {
    const query = timed(client.query.bind(client), true);
    return new Proxy(client, {
      get(target, prop) {
        if (prop === 'query') return query;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  };

  const poolQuery = timed(database.pool.query.bind(database.pool), false);
  const connect = async () => wrapClient(await database.pool.connect());
  const pool = new Proxy(database.pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return poolQuery;
      if (prop === 'connect') return connect;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { database: { ...database, pool }, log };
}
