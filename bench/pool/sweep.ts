/**
 * Measurement 1: sweepPools over the load of bench/pool/sweep-load.ts. Runs it
 * twice, timed statement by statement; checks every due lead was dropped once
 * with one handover naming its owner's home-pool rule, one audit entry and one
 * notification, and that nothing else moved; then the plans of the slowest
 * drop batch and of the warning statement, run again and rolled back.
 */
import { sweepPools, type SweepResult } from '../../packages/server/src/modules/pool/sweep.ts';
import type { Database } from '../../packages/server/src/platform/db.ts';
import {
  fmt,
  labelledCounts,
  machine,
  seconds,
  since,
  statementLines,
  timedDrizzle,
  type MemoryWatch,
  type Statement,
} from './measure.ts';
import { resetSweep, RULE_DAYS, WARN_DAYS, type SweepLoad } from './sweep-load.ts';

const GOAL_MS = 10_000;

function classify(text: string): string {
  if (text.includes('FOR UPDATE OF r SKIP LOCKED')) return 'drop batch';
  if (text.includes("'drop_warning'")) return 'warn';
  if (text.includes('FROM pool_rules pr JOIN pools p')) return 'rules';
  return 'other';
}

async function timedSweep(db: Database, tenantId: string) {
  const timed = timedDrizzle(db.pool, classify);
  const started = performance.now();
  const result: SweepResult = await sweepPools(timed.db, tenantId);
  return { result, ms: since(started), statements: timed.statements };
}

function printStatements(statements: readonly Statement[]): void {
  for (const line of statementLines(statements)) console.log(`    ${line}`);
}

/** Counts of everything that should be zero after the first run, with labels. */
async function checkDrops(db: Database, load: SweepLoad): Promise<[string, number][]> {
  const { org } = load;
  const homes = [org.reps.map((r) => r.id), org.reps.map((r) => r.homePoolId)];
  return labelledCounts(
    db.pool,
    `WITH home AS (
       SELECT h.user_id, h.pool_id, pr.id AS rule_id
         FROM unnest($2::uuid[], $3::uuid[]) AS h (user_id, pool_id)
         JOIN pool_rules pr ON pr.pool_id = h.pool_id AND pr.entity = 'lead'
     ), hand AS (
       SELECT entity_id, count(*)::int AS n, min(rule_id::text) AS rule_id,
              min(from_user_id::text) AS from_user, min(pool_id::text) AS pool_id,
              bool_and(to_user_id IS NULL AND actor_id IS NULL) AS to_nobody
         FROM handovers WHERE tenant_id = $1 AND action = 'drop' GROUP BY entity_id
     ), aud AS (
       SELECT entity_id, count(*)::int AS n, min(changes #>> '{rule,after,id}') AS rule_id
         FROM audit_log WHERE tenant_id = $1 AND action = 'drop' AND entity = 'lead'
        GROUP BY entity_id
     ), told AS (
       SELECT entity_id, count(*)::int AS n, min(user_id::text) AS user_id
         FROM notifications WHERE tenant_id = $1 AND kind = 'dropped' GROUP BY entity_id
     )
     SELECT
       (SELECT count(*)::int FROM bench_pool_due d LEFT JOIN hand h ON h.entity_id = d.id
         WHERE coalesce(h.n, 0) <> 1) AS "due leads without exactly one drop handover",
       (SELECT count(*)::int FROM bench_pool_due d JOIN hand h ON h.entity_id = d.id
          JOIN home ON home.user_id = d.owner_id
         WHERE h.rule_id IS DISTINCT FROM home.rule_id::text OR h.from_user <> d.owner_id::text
            OR h.pool_id <> home.pool_id::text OR NOT h.to_nobody)
         AS "drop handovers not naming the owner's home-pool rule, owner and pool",
       (SELECT count(*)::int FROM hand h WHERE NOT EXISTS (SELECT 1 FROM bench_pool_due d WHERE d.id = h.entity_id))
         AS "drop handovers of leads that were not due",
       (SELECT count(*)::int FROM bench_pool_due d LEFT JOIN aud a ON a.entity_id = d.id::text
          LEFT JOIN home ON home.user_id = d.owner_id
         WHERE coalesce(a.n, 0) <> 1 OR a.rule_id IS DISTINCT FROM home.rule_id::text)
         AS "due leads without exactly one drop audit entry naming the rule",
       (SELECT count(*)::int FROM aud a WHERE NOT EXISTS (SELECT 1 FROM bench_pool_due d WHERE d.id::text = a.entity_id))
         AS "drop audit entries of leads that were not due",
       (SELECT count(*)::int FROM bench_pool_due d LEFT JOIN told t ON t.entity_id = d.id
         WHERE coalesce(t.n, 0) <> 1 OR t.user_id <> d.owner_id::text)
         AS "due leads without exactly one 'dropped' notification to their owner",
       (SELECT count(*)::int FROM told t WHERE NOT EXISTS (SELECT 1 FROM bench_pool_due d WHERE d.id = t.entity_id))
         AS "'dropped' notifications of leads that were not due",
       (SELECT count(*)::int FROM bench_pool_due d JOIN leads l ON l.id = d.id
          JOIN home ON home.user_id = d.owner_id
         WHERE l.owner_id IS NOT NULL OR l.status <> 'unassigned' OR l.claimed_at IS NOT NULL
            OR l.pool_id IS DISTINCT FROM home.pool_id)
         AS "dropped leads not unassigned in their owner's home pool",
       (SELECT $4::int - count(*)::int FROM leads WHERE tenant_id = $1 AND owner_id IS NOT NULL)
         AS "leads not due that lost their owner"`,
    [org.tenantId, ...homes, load.total - load.due],
  );
}

async function warnings(db: Database, tenantId: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications WHERE tenant_id = $1 AND kind = 'drop_warning'`,
    [tenantId],
  );
  return rows[0]?.n ?? 0;
}

async function explain(db: Database, s: Statement): Promise<string[]> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
      s.values as unknown[],
    );
    return plan.rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

export async function measureSweep(
  db: Database,
  load: SweepLoad,
  memory: MemoryWatch,
): Promise<void> {
  const { org } = load;
  console.log(`sweep: ${machine()}`);
  for (const l of load.report) console.log(`  ${l}`);
  console.log(`  reset before the run: ${await resetSweep(db, load)}`);
  // Dirty pages of the load or reset written now, not during the timed run.
  if (db.engine === 'postgres') await db.pool.query('CHECKPOINT');
  console.log(
    `  ${fmt(load.total)} owned leads over ${String(org.reps.length)} reps in 2 pools (rule no_follow_up ${String(RULE_DAYS)} days, ${String(WARN_DAYS)} warning days each); due ${fmt(load.due)}, to warn ${fmt(load.warned)}`,
  );

  const { rows: spread } = await db.pool.query<{ reps: number; min: number; max: number }>(
    `SELECT count(*)::int AS reps, min(n)::int AS min, max(n)::int AS max
       FROM (SELECT owner_id, count(*) AS n FROM bench_pool_due GROUP BY owner_id) d`,
  );
  console.log(
    `  due leads held by ${String(spread[0]?.reps ?? 0)} reps, ${fmt(spread[0]?.min ?? 0)}–${fmt(spread[0]?.max ?? 0)} each`,
  );

  memory.begin('sweep');
  const first = await timedSweep(db, org.tenantId);
  const rss = memory.end();
  const byRule = Object.entries(first.result.byRule)
    .map(
      ([rule, n]) =>
        `${load.ruleIds.find((r) => r.rule === rule)?.pool === org.regionPoolId ? 'region pool' : 'default pool'} ${fmt(n)}`,
    )
    .join(', ');
  console.log(
    `  run 1: ${seconds(first.ms)} (goal < ${seconds(GOAL_MS)}: ${first.ms < GOAL_MS ? 'met' : 'missed'}); dropped ${fmt(first.result.dropped)} of ${fmt(load.due)} due${first.result.dropped === load.due ? '' : '  MISMATCH'} (${byRule}); warned ${fmt(first.result.warned)} of ${fmt(load.warned)}${first.result.warned === load.warned ? '' : '  MISMATCH'}; ${fmt(Math.round(first.result.dropped / (first.ms / 1000)))} drops/s; ${rss}; ${machine()}`,
  );
  printStatements(first.statements);

  const checks = await checkDrops(db, load);
  const wrong = checks.filter(([, n]) => n !== 0);
  console.log(
    `  checks after run 1: ${wrong.length ? `${String(wrong.length)} FAILED` : 'all zero'}`,
  );
  for (const [label, n] of checks) console.log(`    ${fmt(n).padStart(8)}  ${label}`);
  console.log(
    `    ${fmt(await warnings(db, org.tenantId)).padStart(8)}  'drop_warning' notifications (expected ${fmt(load.warned)})`,
  );

  memory.begin('sweep 2');
  const second = await timedSweep(db, org.tenantId);
  const rss2 = memory.end();
  console.log(
    `  run 2: ${seconds(second.ms)}; dropped ${fmt(second.result.dropped)} (expected 0)${second.result.dropped === 0 ? '' : '  WRONG'}, warned ${fmt(second.result.warned)} (expected 0: a warning lands once)${second.result.warned === 0 ? '' : '  WRONG'}; ${rss2}`,
  );
  printStatements(second.statements);

  if (process.env.TIDE_BENCH_EXPLAIN === '0') return;
  // The plans on the state the first run saw: put the drops back, run again, roll back.
  console.log(`  reset for the plans: ${await resetSweep(db, load)}`);
  const slowest = (label: string) =>
    [...first.statements].filter((s) => s.label === label).sort((a, b) => b.ms - a.ms)[0];
  for (const label of ['drop batch', 'warn']) {
    const s = slowest(label);
    if (!s) continue;
    const plan = await explain(db, s);
    console.log(
      `  EXPLAIN (ANALYZE, BUFFERS) of the slowest ${label} of run 1 (${seconds(s.ms)} then), run again and rolled back:`,
    );
    for (const line of plan.slice(0, 70)) console.log(`    ${line}`);
    if (plan.length > 70) console.log(`    … ${String(plan.length - 70)} more lines`);
  }
}
