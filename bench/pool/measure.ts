/**
 * What the pool bench measures with: formatting, the machine's load, peak
 * memory per phase, and a drizzle whose statements are timed (the server's
 * functions take a drizzle, so wrapping its pool times them untouched).
 */
import fs from 'node:fs';
import os from 'node:os';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Db } from '../../packages/server/src/platform/db.ts';

export const fmt = (n: number) => n.toLocaleString('en');
export const mb = (bytes: number) => `${fmt(Math.round(bytes / 2 ** 20))} MB`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const since = (t: number) => performance.now() - t;

/** Other work on the machine skews every time here: each phase says how busy it was. */
export const machine = () =>
  `${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

/** The q-quantile of ascending numbers, rounded to 0.1. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round((sorted[i] ?? 0) * 10) / 10;
}

export const latencies = (ms: readonly number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${quantile(s, 0.5)}, p95 ${quantile(s, 0.95)}, p99 ${quantile(s, 0.99)}, max ${quantile(s, 1)} ms`;
};

/**
 * Peak RSS of a phase: sampled every 250 ms, and the kernel's high-water mark
 * (VmHWM), reset when the phase starts so a spike between samples counts.
 * PGlite runs on a worker thread of this process, so it is counted too.
 */
export class MemoryWatch {
  private phase = '';
  private start = 0;
  private sampled = 0;
  private readonly timer = setInterval(() => {
    this.sample();
  }, 250);

  begin(phase: string): void {
    this.phase = phase;
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // Not Linux or not allowed: the samples remain.
    }
    this.start = process.memoryUsage.rss();
    this.sampled = this.start;
  }

  sample(): void {
    if (this.phase) this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
  }

  /** Ends the phase; answers a line describing its memory. */
  end(): string {
    this.sample();
    let hwm = 0;
    try {
      const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
      if (kb) hwm = Number(kb) * 1024;
    } catch {
      // no /proc
    }
    this.phase = '';
    return `RSS ${mb(this.start)} → peak ${mb(this.sampled)} sampled${hwm ? `, ${mb(hwm)} high-water` : ''}`;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface Statement {
  label: string;
  ms: number;
  /** JavaScript on the same connection since its previous statement (0 on the pool). */
  jsMs: number;
  rows: number;
  text: string;
  values: readonly unknown[];
}

type Query = (config: unknown, values?: unknown) => Promise<unknown>;

const rowCount = (result: unknown): number => {
  const r = result as Partial<pg.QueryResult>;
  return r.command === 'SELECT' ? (r.rows?.length ?? 0) : (r.rowCount ?? 0);
};

/**
 * A drizzle over `pool` that records every statement, named by `classify` from
 * its SQL: those run on the pool itself (the sweep's single statements) and
 * those on the clients it hands out (transactions), where the time since the
 * client's previous statement is JavaScript of the function measured.
 */
export function timedDrizzle(
  pool: pg.Pool,
  classify: (text: string) => string,
  statements: Statement[] = [],
): { db: Db; statements: Statement[] } {
  const timed = (original: Query, onClient: boolean): Query => {
    let lastEnd = performance.now();
    return async (config, values) => {
      const text = typeof config === 'string' ? config : ((config as { text?: string }).text ?? '');
      const started = performance.now();
      try {
        const result = await original(config, values);
        statements.push({
          label: classify(text),
          ms: performance.now() - started,
          jsMs: onClient && !/^\s*BEGIN/i.test(text) ? started - lastEnd : 0,
          rows: rowCount(result),
          text,
          values: Array.isArray(values) ? (values as unknown[]) : [],
        });
        return result;
      } finally {
        lastEnd = performance.now();
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
  const poolQuery = timed(pool.query.bind(pool), false);
  const connect = async () => wrapClient(await pool.connect());
  const proxy = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') return poolQuery;
      if (prop === 'connect') return connect;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { db: drizzle({ client: proxy }), statements };
}

/** Statements grouped by label, one line each, costliest first. */
export function statementLines(statements: readonly Statement[]): string[] {
  const by = new Map<string, Statement[]>();
  for (const s of statements) {
    const list = by.get(s.label);
    if (list) list.push(s);
    else by.set(s.label, [s]);
  }
  const sum = (list: readonly Statement[], f: (s: Statement) => number) =>
    list.reduce((a, s) => a + f(s), 0);
  return [...by]
    .sort((a, b) => sum(b[1], (s) => s.ms + s.jsMs) - sum(a[1], (s) => s.ms + s.jsMs))
    .map(([label, list]) => {
      const js = sum(list, (s) => s.jsMs);
      return `${label.padEnd(22)} ${String(list.length).padStart(4)} statements  SQL ${seconds(sum(list, (s) => s.ms)).padStart(8)}${js ? `  JS before ${seconds(js).padStart(7)}` : ''}  ${latencies(list.map((s) => s.ms))}`;
    });
}

/**
 * Runs a one-row query of counts aliased `AS "what it counts"` and answers
 * [label, count] pairs. PostgreSQL cuts identifiers at 63 bytes, so the labels
 * travel as short aliases and are put back here.
 */
export async function labelledCounts(
  pool: pg.Pool,
  text: string,
  values: unknown[],
): Promise<[string, number][]> {
  const labels: string[] = [];
  const short = text.replace(/AS "([^"]+)"/g, (_, label: string) => {
    labels.push(label);
    return `AS c${String(labels.length - 1)}`;
  });
  const { rows } = await pool.query<Record<string, number>>(short, values);
  const row = rows[0] ?? {};
  return labels.map((label, i) => [label, row[`c${String(i)}`] ?? -1]);
}
