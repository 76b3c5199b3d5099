/**
 * Times the statements runDuplicateReport issues, without touching the server:
 * the report gets a Database whose pool is wrapped, so every query is timed and
 * named after the step of the report it belongs to (recognised by its SQL).
 * Time between statements is JavaScript (building parameters, and the
 * union-find before the clusters are stored); it is counted with the statement
 * that follows it. Wrap right before the report runs.
 */
import type pg from 'pg';
import type { Database } from '../../packages/server/src/platform/db.ts';

export type Phase = 'identity' | 'names' | 'fuzzy' | 'clusters' | 'bookkeeping';

export interface Step {
  phase: Phase;
  label: string;
  statements: number;
  /** Rows the statements inserted or returned. */
  rows: number;
  sqlMs: number;
  /** JavaScript before the statements, on the event loop of this process. */
  jsMs: number;
  slowestMs: number;
  /** The slowest statement's SQL and parameters, to EXPLAIN it by hand. */
  slowest: { text: string; values: readonly unknown[] } | null;
}

export interface StepLog {
  steps: Map<string, Step>;
  /** Called after every statement, e.g. to sample memory. */
  onStatement: () => void;
}

const PAIRS_READ = 'clusters: pairs read';

/** The step a statement of report.ts belongs to, by its SQL; unknown ones are bookkeeping. */
function classify(text: string): { phase: Phase; label: string } {
  if (text.includes('PARTITION BY k ORDER BY id')) {
    const column = /SELECT id, (\w+) AS k/.exec(text)?.[1] ?? '?';
    return { phase: 'identity', label: `identity: ${column}` };
  }
  if (text.includes('WITH h AS')) return { phase: 'names', label: 'names: other city or branch' };
  if (text.includes("'same name' FROM (")) return { phase: 'names', label: 'names: same name' };
  if (text.includes('name sounds the same')) return { phase: 'fuzzy', label: 'fuzzy: pinyin' };
  if (text.includes('INSERT INTO duplicate_report_keys'))
    return { phase: 'fuzzy', label: 'fuzzy: one-edit keys stored' };
  if (text.includes('generate_series(i + 1, g.n)'))
    return { phase: 'fuzzy', label: 'fuzzy: blocks scored by trigrams' };
  if (/^\s*SELECT[\s\S]*FROM duplicate_report_pairs/.test(text))
    return { phase: 'clusters', label: PAIRS_READ };
  if (text.includes('INSERT INTO duplicate_report_clusters'))
    return { phase: 'clusters', label: 'clusters: union-find (JS) and stored' };
  return { phase: 'bookkeeping', label: 'bookkeeping: count, progress, clean-up' };
}

const rowsOf = (result: unknown): number => {
  const r = result as Partial<pg.QueryResult>;
  return r.command === 'SELECT' ? (r.rows?.length ?? 0) : (r.rowCount ?? 0);
};

/** The database with a pool whose query() is timed into the returned log. */
export function timedDatabase(database: Database): { database: Database; log: StepLog } {
  const log: StepLog = {
    steps: new Map(),
    onStatement: () => undefined,
  };
  const original = database.pool.query.bind(database.pool) as (
    text: unknown,
    values?: unknown,
  ) => Promise<unknown>;
  let lastEnd = performance.now();
  const query = async (text: unknown, values?: unknown): Promise<unknown> => {
    const started = performance.now();
    const sql = typeof text === 'string' ? text : '';
    const { phase, label } = classify(sql);
    let step = log.steps.get(label);
    if (!step) {
      step = {
        phase,
        label,
        statements: 0,
        rows: 0,
        sqlMs: 0,
        jsMs: 0,
        slowestMs: 0,
        slowest: null,
      };
      log.steps.set(label, step);
    }
    step.jsMs += started - lastEnd;
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
      log.onStatement();
    }
  };
  const pool = new Proxy(database.pool, {
    get(target, prop, receiver) {
      return prop === 'query' ? query : (Reflect.get(target, prop, receiver) as unknown);
    },
  });
  // Only the time since this call counts as JavaScript of the first statement.
  lastEnd = performance.now();
  return { database: { ...database, pool }, log };
}
