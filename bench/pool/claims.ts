/**
 * Measurement 2: 50 reps claim from one pool at once, each on its own
 * PostgreSQL connection, through claimLead as the API does, under a capacity
 * limit and a daily claim limit. Half the claimers already hold leads, so they
 * reach their capacity first; the other half reach the daily limit. Each
 * claimer walks its own stripe of the pool, and at every fourth step both
 * claimers of a pair go for the same lead, so claims race for one lead.
 * Prints answers per second (claims and refusals) and claims per second, the
 * latency of each kind of answer and of each statement of the claim path, and
 * counts every violation of the rules.
 *
 * The embedded database is one session: there the claimers share it and their
 * claims run one after another, which measures the claim path, not concurrency.
 */
import { loadCaller } from '../../packages/server/src/platform/auth.ts';
import type { Caller } from '../../packages/server/src/platform/context.ts';
import { openDatabase, type Database, type Db } from '../../packages/server/src/platform/db.ts';
import { AppError } from '../../packages/server/src/platform/errors.ts';
import { POOL_TIME_ZONE } from '../../packages/server/src/modules/pool/claim-check.ts';
import { claimLead } from '../../packages/server/src/modules/leads/leads.service.ts';
import {
  fmt,
  labelledCounts,
  latencies,
  machine,
  quantile,
  seconds,
  since,
  statementLines,
  timedDrizzle,
  type MemoryWatch,
  type Statement,
} from './measure.ts';
import type { BenchOrg } from './org.ts';
import { provinces, sources } from './sweep-load.ts';

export const CLAIMERS = 50;
const GOAL_PER_SECOND = 500;
const SOURCE = 'bench-claims';

export interface ClaimSizes {
  /** Unassigned leads in the pool. */
  pool: number;
  /** Leads each of the first half of the claimers holds before the race. */
  held: number;
  maxRecords: number;
  dailyClaims: number;
  /** Leads one rep claims alone before the race, within the limits. */
  solo: number;
}

/** 20,000 leads at scale 1; the limits scale with it so the same share is refused. */
export function claimSizes(scale: number): ClaimSizes {
  const s = (n: number) => Math.max(1, Math.round(n * scale));
  return { pool: s(20_000), held: s(150), maxRecords: s(200), dailyClaims: s(100), solo: s(50) };
}

interface Answer {
  claimer: number;
  outcome: string;
  ms: number;
  /** When the answer came, from the start of the race. */
  at: number;
}

async function setUp(db: Database, org: BenchOrg, claimers: string[], sizes: ClaimSizes) {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO leads (tenant_id, company, phone, source, status, pool_id, province_code, created_by, created_at)
     SELECT $1, '领取测试' || i || '号有限公司', '139' || lpad(i::text, 8, '0'), $3, 'unassigned', $2,
            ($4::text[])[1 + i % array_length($4::text[], 1)], $5, now() - make_interval(secs => i)
       FROM generate_series(1, $6::int) AS i
     RETURNING id`,
    [org.tenantId, org.defaultPoolId, SOURCE, provinces, org.adminId, sizes.pool + sizes.solo],
  );
  // The first half of the claimers hold leads already: they reach their capacity first.
  await db.pool.query(
    `INSERT INTO leads (tenant_id, company, source, status, owner_id, claimed_at, last_follow_up_at, created_by)
     SELECT $1, '在跟进' || c.n || '-' || i || '号有限公司', ($4::text[])[1 + i % array_length($4::text[], 1)],
            'following', c.id, now() - interval '40 days', now() - interval '2 days', c.id
       FROM unnest($2::uuid[]) WITH ORDINALITY AS c (id, n), generate_series(1, $3::int) AS i`,
    [org.tenantId, claimers.slice(0, CLAIMERS / 2), sizes.held, sources],
  );
  await db.pool.query(
    `INSERT INTO capacity_limits (tenant_id, scope, entity, max_records, daily_claims)
     VALUES ($1, 'tenant', 'lead', $2, $3)`,
    [org.tenantId, sizes.maxRecords, sizes.dailyClaims],
  );
  await db.pool.query('ANALYZE leads, handovers, capacity_limits, users, user_roles');
  const ids = rows.map((r) => r.id);
  return { race: ids.slice(0, sizes.pool), solo: ids.slice(sizes.pool) };
}

/**
 * One rep claiming alone, one lead after another: what a claim costs with no
 * other claimer on the machine's database, statement by statement.
 */
async function claimAlone(db: Database, org: BenchOrg, rep: string, leads: readonly string[]) {
  const caller = await loadCaller(db.db, org.tenantId, rep, 'api', null);
  if (!caller) throw new Error(`no caller ${rep}`);
  const timed = timedDrizzle(db.pool, classify);
  const ms: number[] = [];
  const started = performance.now();
  for (const id of leads) {
    const t = performance.now();
    await claimLead(timed.db, caller, id);
    ms.push(performance.now() - t);
  }
  const wall = since(started);
  const p50 = new Map<string, number[]>();
  for (const st of timed.statements) {
    const list = p50.get(st.label);
    if (list) list.push(st.ms);
    else p50.set(st.label, [st.ms]);
  }
  console.log(
    `  one rep claiming alone first: ${fmt(leads.length)} claims in ${seconds(wall)}, ${fmt(Math.round(leads.length / (wall / 1000)))} claims/s, ${latencies(ms)}; statement p50 ms: ${[
      ...p50,
    ]
      .map(
        ([label, list]) =>
          `${label} ${String(
            quantile(
              [...list].sort((a, b) => a - b),
              0.5,
            ),
          )}`,
      )
      .join(', ')}`,
  );
}

/** What a statement of claimLead (and what it calls) does, by its SQL. */
function classify(text: string): string {
  const t = text.trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(t)) return t.split(/\s/)[0]?.toUpperCase() ?? t;
  if (/^with "claimer"/i.test(t)) return 'lock the claimer, read the lead';
  if (t.includes('FOR UPDATE') && t.includes('FROM users')) return 'lock the claimer';
  if (t.includes('AS claimed_today')) return 'capacity and daily';
  if (t.includes('protect_days')) return 'protection';
  if (t.includes('territory_bindings')) return 'territory';
  if (t.includes('collusion_settings')) return 'collusion';
  if (t.startsWith('WITH won AS')) return 'claim, audit entry and handover';
  if (t.startsWith('update "leads"')) return 'claim (update)';
  if (t.startsWith('insert into "audit_log"')) return 'audit entry';
  if (t.startsWith('insert into "handovers"')) return 'handover';
  if (t.includes('left join "users"'))
    return t.includes('"converted_customer_id"') ? 'read the lead back' : 'who holds it';
  if (t.includes('from "pools"') || t.includes('FROM pools p')) return 'caller scope';
  if (t.startsWith('select') && t.includes('from "leads"')) return 'open lead';
  return `other: ${t.replace(/\s+/g, ' ').slice(0, 40)}`;
}

/**
 * Trivial statements per second the connections manage together for two
 * seconds: what this machine, busy as it is now, allows before any claim logic.
 */
async function roundTrips(connections: readonly Database[]): Promise<number> {
  const until = performance.now() + 2000;
  let n = 0;
  await Promise.all(
    connections.map(async (c) => {
      while (performance.now() < until) {
        await c.pool.query('SELECT 1');
        n++;
      }
    }),
  );
  return n / 2;
}

function outcomeOf(err: unknown): string {
  if (err instanceof AppError) {
    const rule = (err.details as { rule?: string } | undefined)?.rule;
    return rule ? `${err.code}:${rule}` : err.code;
  }
  const code = (err as { code?: unknown }).code;
  return `error:${typeof code === 'string' ? code : err instanceof Error ? err.message : String(err)}`;
}

async function violations(
  db: Database,
  org: BenchOrg,
  claimers: string[],
  answers: Answer[],
  sizes: ClaimSizes,
): Promise<[string, number][]> {
  const okBy = claimers.map(
    (_, i) => answers.filter((a) => a.claimer === i && a.outcome === 'ok').length,
  );
  return labelledCounts(
    db.pool,
    `WITH claims AS (
       SELECT h.entity_id, h.to_user_id FROM handovers h
        WHERE h.tenant_id = $1 AND h.action = 'claim' AND h.entity = 'lead'
     ), ours AS (
       SELECT id, owner_id FROM leads WHERE tenant_id = $1 AND source = $2
     ), answered AS (
       SELECT * FROM unnest($3::uuid[], $4::int[]) AS a (user_id, ok)
     )
     SELECT
       (SELECT count(*)::int FROM (SELECT entity_id FROM claims GROUP BY entity_id HAVING count(*) > 1) x)
         AS "leads with more than one claim handover",
       (SELECT count(*)::int FROM claims c JOIN leads l ON l.id = c.entity_id
         WHERE l.owner_id IS DISTINCT FROM c.to_user_id OR l.status <> 'pending')
         AS "claim handovers whose lead is not pending with the claimer",
       (SELECT count(*)::int FROM ours o WHERE o.owner_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.entity_id = o.id))
         AS "pool leads owned without a claim handover",
       (SELECT count(*)::int FROM answered a
         WHERE a.ok <> (SELECT count(*) FROM claims c WHERE c.to_user_id = a.user_id)
            OR a.ok <> (SELECT count(*) FROM ours o WHERE o.owner_id = a.user_id))
         AS "claimers whose successful answers differ from their handovers or leads",
       (SELECT count(*)::int FROM answered a
         WHERE a.ok <> (SELECT count(*) FROM audit_log x WHERE x.tenant_id = $1 AND x.action = 'claim'
                          AND x.entity = 'lead' AND x.actor_id = a.user_id))
         AS "claimers whose successful answers differ from their claim audit entries",
       (SELECT count(*)::int FROM answered a
         WHERE (SELECT count(*) FROM leads l WHERE l.tenant_id = $1 AND l.owner_id = a.user_id
                  AND l.status IN ('pending', 'following', 'invalid') AND l.deleted_at IS NULL) > $5)
         AS "claimers over capacity",
       (SELECT count(*)::int FROM answered a
         WHERE (SELECT count(*) FROM handovers h WHERE h.tenant_id = $1 AND h.to_user_id = a.user_id
                  AND h.action = 'claim'
                  AND h.at >= date_trunc('day', now() AT TIME ZONE '${POOL_TIME_ZONE}') AT TIME ZONE '${POOL_TIME_ZONE}') > $6)
         AS "claimers over the daily limit"`,
    [org.tenantId, SOURCE, claimers, okBy, sizes.maxRecords, sizes.dailyClaims],
  );
}

export async function measureClaims(
  db: Database,
  org: BenchOrg,
  sizes: ClaimSizes,
  memory: MemoryWatch,
): Promise<void> {
  // Claimers from every team.
  const claimers = org.reps
    .filter((r) => r.index % 4 === 0)
    .slice(0, CLAIMERS)
    .map((r) => r.id);
  const { race: leads, solo } = await setUp(db, org, claimers, sizes);
  const stripe = Math.floor(leads.length / CLAIMERS);
  const attempts = stripe;

  // Connections opened and callers loaded before the clock starts, as in a running server.
  const onServer = db.engine === 'postgres';
  const connections: Database[] = onServer
    ? await Promise.all(
        claimers.map(() =>
          openDatabase({
            databaseUrl: process.env.DATABASE_URL,
            dataDir: '',
            schema: db.schema,
            poolSize: 1,
          }),
        ),
      )
    : [];
  try {
    await Promise.all(connections.map((c) => c.pool.query('SELECT 1')));
    // Every statement of the race, timed on its connection, to show where a claim spends.
    const statements: Statement[] = [];
    const timedDb = (d: Database): Db => {
      const t = timedDrizzle(d.pool, classify, statements);
      return t.db;
    };
    const shared = onServer ? null : timedDb(db);
    const dbs: Db[] = onServer ? connections.map(timedDb) : claimers.map(() => shared ?? db.db);
    const callers: Caller[] = await Promise.all(
      claimers.map(async (id) => {
        const c = await loadCaller(db.db, org.tenantId, id, 'api', null);
        if (!c) throw new Error(`no caller ${id}`);
        return c;
      }),
    );

    const trips = await roundTrips(onServer ? connections : [db]);
    const loner = org.reps.find((r) => r.index % 4 === 1)?.id;
    console.log(
      `claims: ${String(CLAIMERS)} claimers ${onServer ? `on ${String(CLAIMERS)} connections` : 'sharing the one embedded session (claims run one at a time)'}, pool of ${fmt(leads.length)} leads, ${fmt(attempts)} attempts each; capacity ${fmt(sizes.maxRecords)} (half the claimers hold ${fmt(sizes.held)} already), daily limit ${fmt(sizes.dailyClaims)}; ${machine()}`,
    );
    console.log(
      `  the machine now: ${fmt(Math.round(trips))} round trips (SELECT 1) per second over ${onServer ? `the ${String(CLAIMERS)} connections` : 'the embedded session'}`,
    );
    if (loner) await claimAlone(db, org, loner, solo);
    memory.begin('claims');
    const answers: Answer[] = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      claimers.map(async (_, r) => {
        const d = dbs[r];
        const caller = callers[r];
        if (!d || !caller) throw new Error('no claimer');
        for (let k = 0; k < attempts; k++) {
          // Every fourth attempt, both claimers of a pair go for the same lead.
          const owner = k % 4 === 3 ? r - (r % 2) : r;
          const id = leads[owner * stripe + k] ?? '';
          const t = performance.now();
          let outcome = 'ok';
          try {
            await claimLead(d, caller, id);
          } catch (err) {
            outcome = outcomeOf(err);
          }
          const end = performance.now();
          answers.push({ claimer: r, outcome, ms: end - t, at: end - started });
        }
      }),
    );
    const ms = since(started);
    const rss = memory.end();
    const used = process.cpuUsage(cpu);

    const ok = answers.filter((a) => a.outcome === 'ok');
    const lastOk = Math.max(0, ...ok.map((a) => a.at));
    const perSecond = answers.length / (ms / 1000);
    console.log(
      `  ${fmt(answers.length)} answers in ${seconds(ms)}: ${fmt(Math.round(perSecond))} answers/s (goal ≥ ${String(GOAL_PER_SECOND)}: ${perSecond >= GOAL_PER_SECOND ? 'met' : 'missed'}); ${fmt(ok.length)} claims, ${fmt(Math.round(ok.length / (ms / 1000)))} claims/s over the whole race, ${fmt(Math.round(ok.length / (lastOk / 1000)))} claims/s until the last claim at ${seconds(lastOk)}; ${rss}; ${machine()}`,
    );
    // Client and server share the machine: how much of it this process (drizzle, pg) took.
    console.log(
      `  this process used ${seconds((used.user + used.system) / 1000)} of CPU during the race (${((100 * (used.user + used.system)) / 1000 / ms).toFixed(0)}% of one core)${onServer ? '' : ', the embedded database included'}`,
    );
    const kinds = new Map<string, number[]>();
    for (const a of answers) {
      const list = kinds.get(a.outcome);
      if (list) list.push(a.ms);
      else kinds.set(a.outcome, [a.ms]);
    }
    console.log(`  answers by kind, with their latency:`);
    for (const [kind, ms] of [...kinds].sort((a, b) => b[1].length - a[1].length))
      console.log(`    ${kind.padEnd(26)} ${fmt(ms.length).padStart(7)}  ${latencies(ms)}`);
    console.log(
      `  statements of the race, summed over the connections (${fmt(statements.length)} in all, ${(statements.length / answers.length).toFixed(1)} per answer, one round trip each; JS before: on the connection since its previous statement${onServer ? '' : '; outside a transaction a statement waits for the one embedded session, and that wait is in its time'}):`,
    );
    for (const line of statementLines(statements)) console.log(`    ${line}`);
    // The first second of the race is when claims (not refusals) dominate.
    const early = answers.filter((a) => a.at <= 1000);
    console.log(
      `  first second: ${fmt(early.length)} answers, ${fmt(early.filter((a) => a.outcome === 'ok').length)} of them claims`,
    );

    const found = await violations(db, org, claimers, answers, sizes);
    const bad = found.filter(([, n]) => n !== 0);
    console.log(`  violations: ${bad.length ? `${String(bad.length)} kinds FOUND` : 'none'}`);
    for (const [label, n] of found) console.log(`    ${fmt(n).padStart(6)}  ${label}`);
  } finally {
    await Promise.all(connections.map((c) => c.close()));
    await db.pool.query(`DELETE FROM capacity_limits WHERE tenant_id = $1`, [org.tenantId]);
  }
}
