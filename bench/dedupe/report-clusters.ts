/**
 * What a duplicate report found: clusters by level and size, the largest ones,
 * and the clusters the hand-labelled records of this folder fall into.
 *
 * The labelled records are all different customers (README.md: names, phones
 * and credit codes are unique, a city, brand and industry name at most one
 * company), and the generated customers that share a key with them are left
 * out of the load. So no pair of them is a known duplicate, and recall cannot
 * be measured here; what can be is the other side: two labelled records in one
 * `likely`/`exact` cluster is a wrong merge. The near misses the queries name
 * (the expected record and its `notSameAs`, or the `notSameAs` of a negative
 * query: the same brand in another city or industry, the brand one character
 * away, a head office and its branches) are the hard cases among those pairs;
 * sharing a `possible` cluster is allowed for them.
 */
import type pg from 'pg';
import { evalCustomerId, type EvalSet } from './evaluate.ts';

type Level = 'exact' | 'likely' | 'possible';
const levels: readonly Level[] = ['exact', 'likely', 'possible'];

interface ClusterRow {
  no: number;
  level: Level;
  score: number;
  members: string[];
  reasons: string[];
}

const sizeBands: readonly { label: string; max: number }[] = [
  { label: '2', max: 2 },
  { label: '3-5', max: 5 },
  { label: '6-20', max: 20 },
  { label: '>20', max: Infinity },
];

const n = (x: number) => x.toLocaleString('en');

/** The near-miss pairs the queries name, as record-id pairs "a|b" with a < b. */
function nearMisses(evalSet: EvalSet): Set<string> {
  const pairs = new Set<string>();
  for (const q of evalSet.queries) {
    const ids = [...new Set([...(q.expect.id ? [q.expect.id] : []), ...(q.notSameAs ?? [])])];
    for (const a of ids) for (const b of ids) if (a < b) pairs.add(`${a}|${b}`);
  }
  return pairs;
}

/** Lines describing the clusters of a finished report. */
export async function clusterFigures(
  pool: pg.Pool,
  reportId: string,
  evalSet: EvalSet,
): Promise<string[]> {
  const { rows } = await pool.query<ClusterRow>(
    `SELECT no, level, score, member_ids::text[] AS members, reasons
       FROM duplicate_report_clusters WHERE report_id = $1 ORDER BY no`,
    [reportId],
  );
  const out: string[] = [];

  // Level × size band.
  const table = new Map<Level, number[]>(levels.map((l) => [l, sizeBands.map(() => 0)]));
  const recordsAt = new Map<Level, number>(levels.map((l) => [l, 0]));
  const byReason = new Map<string, number>();
  for (const c of rows) {
    const band = sizeBands.findIndex((b) => c.members.length <= b.max);
    const counts = table.get(c.level);
    if (counts) counts[band] = (counts[band] ?? 0) + 1;
    recordsAt.set(c.level, (recordsAt.get(c.level) ?? 0) + c.members.length);
    for (const r of c.reasons) byReason.set(r, (byReason.get(r) ?? 0) + 1);
  }
  const cell = (s: string) => s.padStart(9);
  out.push(
    `clusters by level and size:   ${sizeBands.map((b) => cell(`size ${b.label}`)).join('')}${cell('clusters')}${cell('records')}`,
  );
  const totals = sizeBands.map(() => 0);
  for (const l of levels) {
    const counts = table.get(l) ?? [];
    counts.forEach((c, i) => (totals[i] = (totals[i] ?? 0) + c));
    out.push(
      `  ${l.padEnd(28)}${counts.map((c) => cell(n(c))).join('')}${cell(n(counts.reduce((a, b) => a + b, 0)))}${cell(n(recordsAt.get(l) ?? 0))}`,
    );
  }
  const inClusters = [...recordsAt.values()].reduce((a, b) => a + b, 0);
  out.push(
    `  ${'all'.padEnd(28)}${totals.map((c) => cell(n(c))).join('')}${cell(n(rows.length))}${cell(n(inClusters))}`,
  );
  out.push('clusters by reason (a cluster counts once under each of its reasons, at most 6 kept):');
  for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1]).slice(0, 12))
    out.push(`  ${n(count).padStart(9)}  ${reason}`);

  // The largest clusters, with a few member names.
  const largest = [...rows].sort((a, b) => b.members.length - a.members.length).slice(0, 3);
  const sample = largest.flatMap((c) => c.members.slice(0, 4));
  const names = new Map(
    (
      await pool.query<{ id: string; name: string }>(
        'SELECT id::text, name FROM customers WHERE id = ANY($1::uuid[])',
        [sample],
      )
    ).rows.map((r) => [r.id, r.name]),
  );
  out.push('largest clusters:');
  for (const c of largest)
    out.push(
      `  ${n(c.members.length).padStart(7)} records, ${c.level} (score ${c.score}), reasons: ${c.reasons.join('; ')}; e.g. ${c.members
        .slice(0, 4)
        .map((m) => names.get(m) ?? m)
        .join(' / ')}`,
    );

  // The labelled records: wrong merges among them.
  const recordOf = new Map(evalSet.records.map((r) => [evalCustomerId(r.id), r.id]));
  const misses = nearMisses(evalSet);
  let labelledIn = 0;
  let labelledStrong = 0;
  const wrong: string[] = [];
  const nearSame = new Map<Level, number>(levels.map((l) => [l, 0]));
  let wrongPairs = 0;
  for (const c of rows) {
    const labelled = c.members.flatMap((m) => recordOf.get(m) ?? []).sort();
    labelledIn += labelled.length;
    const strong = c.level !== 'possible';
    if (strong) labelledStrong += labelled.length;
    for (const [i, a] of labelled.entries())
      for (const b of labelled.slice(i + 1)) {
        if (misses.has(`${a}|${b}`)) nearSame.set(c.level, (nearSame.get(c.level) ?? 0) + 1);
        if (strong) {
          wrongPairs++;
          if (wrong.length < 5) wrong.push(`${a} ~ ${b} (${c.level}: ${c.reasons.join('; ')})`);
        }
      }
  }
  out.push(
    `labelled records (${n(evalSet.records.length)}, all different customers) in clusters: ${n(labelledIn)}, of them in likely/exact clusters: ${n(labelledStrong)}`,
  );
  out.push(
    `  pairs of labelled records in one likely/exact cluster (wrong merges): ${n(wrongPairs)}${wrong.length ? `, e.g. ${wrong.join(', ')}` : ''}`,
  );
  out.push(
    `  near-miss pairs named by the queries: ${n(misses.size)}; in one cluster: exact ${n(nearSame.get('exact') ?? 0)}, likely ${n(nearSame.get('likely') ?? 0)} (wrong), possible ${n(nearSame.get('possible') ?? 0)} (allowed)`,
  );
  return out;
}
