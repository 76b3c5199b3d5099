/**
 * The hand-labelled duplicate-matching set of this folder: reading it, loading
 * its records as customers, running its queries through the matcher behind
 * POST /duplicates/check and scoring the answers (README.md, "Metrics"). Shared
 * by the `dedupe` bench (the set alone) and `dedupe-scale` (the set inside a
 * large generated table).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MatchLevel } from '@tide/contract';
import { customers } from '../../packages/server/src/modules/customers/customers.table.ts';
import {
  findDuplicates,
  probeOf,
  type Probe,
} from '../../packages/server/src/modules/dedupe/dedupe.service.ts';
import { customerNormalised } from '../../packages/server/src/modules/dedupe/normalised.ts';
import type { DataScope } from '../../packages/server/src/platform/access.ts';
import type { DbOrTx } from '../../packages/server/src/platform/db.ts';
import { AppError } from '../../packages/server/src/platform/errors.ts';

export interface EvalRecord {
  id: string;
  kind: 'company' | 'person';
  name: string;
  creditCode: string | null;
  phone: string | null;
  address: string | null;
  industry: string;
}

export interface EvalQuery {
  id: string;
  split: 'tune' | 'heldout';
  category: string;
  query: { name?: string; phone?: string; creditCode?: string; address?: string };
  expect: { id: string | null; level: MatchLevel | 'none' };
  notSameAs?: string[];
}

export interface EvalSet {
  records: EvalRecord[];
  queries: EvalQuery[];
  /** The files read, for fingerprints of loaded data. */
  files: string[];
}

export function readEvalSet(dir = process.env.TIDE_DEDUPE_DATA ?? import.meta.dirname): EvalSet {
  const files = ['records.json', 'queries.json'].map((f) => path.join(dir, f));
  const [recordsFile = '', queriesFile = ''] = files;
  return {
    records: JSON.parse(fs.readFileSync(recordsFile, 'utf8')) as EvalRecord[],
    queries: JSON.parse(fs.readFileSync(queriesFile, 'utf8')) as EvalQuery[],
    files,
  };
}

/**
 * The customer id a record is stored under, derived from the record id so that a
 * table loaded by an earlier run is scored without a mapping table.
 */
export function evalCustomerId(recordId: string): string {
  const h = crypto.createHash('sha256').update(`tide-bench-eval:${recordId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface Owner {
  tenantId: string;
  ownerId: string;
  poolId: string;
}

/**
 * Loads the records with the normalised columns the write paths store (every
 * column customerNormalised fills); a record whose phone or credit code the
 * app would refuse keeps only its name and address keys. Returns customer id →
 * record id.
 */
export async function loadEvalRecords(
  db: DbOrTx,
  owner: Owner,
  records: readonly EvalRecord[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const rows = records.map((r) => {
    let n: ReturnType<typeof customerNormalised>;
    try {
      n = customerNormalised({
        name: r.name,
        phone: r.phone,
        creditCode: r.creditCode,
        address: r.address,
      });
    } catch {
      n = customerNormalised({ name: r.name, address: r.address });
    }
    const id = evalCustomerId(r.id);
    ids.set(id, r.id);
    return {
      ...n,
      id,
      tenantId: owner.tenantId,
      kind: r.kind,
      name: r.name,
      phone: r.phone,
      address: r.address,
      industry: r.industry,
      ownerId: owner.ownerId,
      poolId: owner.poolId,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db.insert(customers).values(rows.slice(i, i + 500));
  return ids;
}

/** The probe the API builds from a query body, or null where it answers 400 (no match). */
export function probeOrNull(body: EvalQuery['query']): Probe | null {
  try {
    return probeOf(body);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return null;
  }
}

interface Tally {
  pos: number;
  hit: number;
  neg: number;
  alarms: number;
}

export interface Timed {
  label: string;
  ms: number;
}

export interface EvalRun {
  bySplit: Map<string, Tally>;
  byCategory: Map<string, Tally>;
  /** One per query, in query order. */
  times: Timed[];
  misses: string[];
}

const rank: Record<MatchLevel | 'none', number> = { exact: 3, likely: 2, possible: 1, none: 0 };

/** Runs every query through findDuplicates and scores it against its label. */
export async function evaluateQueries(
  db: DbOrTx,
  scope: DataScope,
  queries: readonly EvalQuery[],
  ids: ReadonlyMap<string, string>,
): Promise<EvalRun> {
  const run: EvalRun = { bySplit: new Map(), byCategory: new Map(), times: [], misses: [] };
  const tally = (m: Map<string, Tally>, k: string) => {
    let t = m.get(k);
    if (!t) m.set(k, (t = { pos: 0, hit: 0, neg: 0, alarms: 0 }));
    return t;
  };
  for (const q of queries) {
    const probe = probeOrNull(q.query);
    const started = performance.now();
    const matches = probe ? await findDuplicates(db, scope, probe, { withLeads: false }) : [];
    run.times.push({
      label: `${q.id} ${q.category} ${JSON.stringify(q.query)}`,
      ms: performance.now() - started,
    });
    const found = matches.map((m) => ({ id: ids.get(m.id), level: m.level }));
    const strong = (level: MatchLevel) => rank[level] >= rank.likely;
    const t = [tally(run.bySplit, q.split), tally(run.byCategory, q.category)];
    if (q.expect.level === 'none' || q.category.startsWith('neg-')) {
      // A false alarm: a record this query must not be taken for, answered likely or exact. Named
      // near misses when the query lists them; for a branch office, its head office; else any record.
      const forbidden = new Set(q.notSameAs ?? []);
      if (q.expect.id) forbidden.add(q.expect.id);
      const alarm = found.some(
        (f) => strong(f.level) && (forbidden.size === 0 || forbidden.has(f.id ?? '')),
      );
      for (const x of t) {
        x.neg++;
        if (alarm) x.alarms++;
      }
      if (alarm)
        run.misses.push(
          `${q.id} ${q.category} false alarm: ${JSON.stringify(q.query)} → ${JSON.stringify(found.slice(0, 3))}`,
        );
    } else {
      const first = found[0];
      const ok =
        first?.id === q.expect.id &&
        rank[first.level] >= Math.min(rank[q.expect.level], rank.likely);
      for (const x of t) {
        x.pos++;
        if (ok) x.hit++;
      }
      if (!ok)
        run.misses.push(
          `${q.id} ${q.category} missed ${q.expect.id ?? ''}: ${JSON.stringify(q.query)} → ${JSON.stringify(found.slice(0, 3))}`,
        );
    }
  }
  return run;
}

const pct = (a: number, b: number) =>
  b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`;

/** Recall and false alarms per split (tune / held-out), one line each. */
export function printSplits(run: EvalRun): void {
  for (const [split, t] of run.bySplit) {
    console.log(
      `${split.padEnd(8)} recall ${pct(t.hit, t.pos)} (${t.hit}/${t.pos})   false alarms ${pct(t.alarms, t.neg)} (${t.alarms}/${t.neg})`,
    );
  }
}

export function printCategories(run: EvalRun): void {
  console.log('by category:');
  for (const [cat, t] of [...run.byCategory].sort()) {
    console.log(
      `  ${cat.padEnd(20)} ${t.pos ? `recall ${pct(t.hit, t.pos)}` : `false alarms ${pct(t.alarms, t.neg)}`}`,
    );
  }
}

/** The p-quantile of times sorted ascending, in ms with one decimal, or '-' when there are none. */
export function quantile(sortedMs: readonly number[], p: number): string {
  return (
    sortedMs[Math.min(sortedMs.length - 1, Math.floor(p * sortedMs.length))]?.toFixed(1) ?? '-'
  );
}
