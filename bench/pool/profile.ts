/**
 * Measurement 3: profile assignment (SPEC §5) of new leads over the 200 reps,
 * through `distribute` of modules/pool/assign.ts when that module exists.
 *
 * The capability model needs history, so every rep gets one, written in SQL:
 * leads they converted or did not (converted; still following, invalid or
 * voided), each with a source and a province, a customer per converted lead (industry, size,
 * province) and won or lost opportunities on those customers. Each rep has a
 * planted speciality — a province, a source, an industry and a size — where
 * they convert and win far more often, so a working model sends a lead to a
 * rep of its province much more often than chance; the bench prints how often.
 */
import { fileURLToPath } from 'node:url';
import { loadCaller } from '../../packages/server/src/platform/auth.ts';
import type { Caller } from '../../packages/server/src/platform/context.ts';
import type { Database, Db } from '../../packages/server/src/platform/db.ts';
import { industries } from '../generate/vocabulary.ts';
import {
  fmt,
  machine,
  seconds,
  since,
  statementLines,
  timedDrizzle,
  type MemoryWatch,
} from './measure.ts';
import type { BenchOrg } from './org.ts';
import { fraction, provinces, sources } from './sweep-load.ts';

const GOAL_MS = 5_000;
const customerSizes = ['1-49人', '50-199人', '200-999人', '1000人以上'];
const industryLabels = [...new Set(industries.map((x) => x.label))];

export interface ProfileSizes {
  /** History leads per rep. */
  history: number;
  /** New leads to assign. */
  leads: number;
}

export function profileSizes(scale: number): ProfileSizes {
  return {
    history: Math.max(10, Math.round(500 * scale)),
    leads: Math.max(1, Math.round(10_000 * scale)),
  };
}

interface DistributeBody {
  entity: 'lead';
  ids: string[];
  strategy: 'profile';
  userIds?: string[];
}
/** What assign.ts answers (the contract's DistributeResult). */
interface DistributeResult {
  assigned: number;
  byUser: Record<string, number>;
  skipped: { id: string; reason: string }[];
}
type Distribute = (db: Db, caller: Caller, body: DistributeBody) => Promise<DistributeResult>;

const assignModule = new URL('../../packages/server/src/modules/pool/assign.ts', import.meta.url);

/** `distribute` of assign.ts, or why there is none. */
async function loadDistribute(): Promise<Distribute | string> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(assignModule.href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as { code?: unknown; url?: unknown; message?: unknown };
    const missing =
      e.code === 'ERR_MODULE_NOT_FOUND' &&
      typeof e.message === 'string' &&
      // The module itself, not one it imports (quoted in the message; the importer is not).
      e.message.includes(`'${fileURLToPath(assignModule)}'`);
    return missing
      ? 'not available yet'
      : `assign.ts failed to load: ${typeof e.message === 'string' ? e.message : String(err)}`;
  }
  const distribute = mod.distribute;
  return typeof distribute === 'function'
    ? (distribute as Distribute)
    : 'not available yet (assign.ts exports no distribute)';
}

/** What a statement of assign.ts (and what it calls) does, by its SQL. */
function classify(text: string): string {
  const t = text.trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(t)) return t.split(/\s/)[0]?.toUpperCase() ?? t;
  if (t.includes('may_claim')) return 'resolve reps';
  if (t.includes('FOR UPDATE') && t.includes('FROM users')) return 'lock reps';
  if (t.includes('AS claimed_today')) return 'capacity of the reps';
  if (t.includes('territory_bindings')) return 'territory';
  if (t.includes("VALUES ('*', '*')")) return 'profile: history';
  if (t.includes('WITH plan AS')) return 'write plan';
  if (t.includes('WITH ORDINALITY AS given')) return 'candidates';
  if (t.includes('"pools"') || t.includes('FROM pools p')) return 'caller scope';
  return `other: ${t.replace(/\s+/g, ' ').slice(0, 40)}`;
}

/** Each rep's speciality, by their index. */
function specialities(org: BenchOrg) {
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length] as T;
  return {
    ids: org.reps.map((r) => r.id),
    province: org.reps.map((r) => pick(provinces, r.index)),
    source: org.reps.map((r) => pick(sources, r.index * 3 + 1)),
    industry: org.reps.map((r) => pick(industryLabels, r.index * 7 + 2)),
    size: org.reps.map((r) => pick(customerSizes, r.index)),
  };
}

/** The reps' history; answers a line saying what it holds. */
async function writeHistory(db: Database, org: BenchOrg, sizes: ProfileSizes): Promise<string> {
  const spec = specialities(org);
  const started = performance.now();
  // Leads i = rep * history + j; converted far more often in the rep's province and source.
  await db.pool.query(
    `INSERT INTO leads (tenant_id, company, source, province_code, status, status_before_void, void_reason,
                        invalid_reason, owner_id, claimed_at, last_follow_up_at, converted_at, converted_customer_id,
                        created_by, created_at, updated_at)
     SELECT $1, '历史' || i || '号有限公司', x.source, x.province,
            x.status, CASE WHEN x.status = 'voided' THEN 'following' END,
            CASE WHEN x.status = 'voided' THEN '无意向' END,
            CASE WHEN x.status = 'invalid' THEN '空号' END,
            s.id, x.at - interval '20 days', x.at - interval '3 days',
            CASE WHEN x.won THEN x.at END,
            CASE WHEN x.won THEN md5('bench-profile-customer-' || i)::uuid END,
            s.id, x.at - interval '30 days', x.at
       FROM generate_series(0::bigint, $7::bigint * array_length($2::uuid[], 1) - 1) AS i
       JOIN unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS s (id, province, source, n)
         ON s.n = i / $7 + 1
      CROSS JOIN LATERAL (
        SELECT p.province, p.source,
               now() - interval '700 days' * ${fraction(3)} AS at,
               ${fraction(4)} < 0.12 + CASE WHEN p.province = s.province THEN 0.35 ELSE 0 END
                                  + CASE WHEN p.source = s.source THEN 0.2 ELSE 0 END AS won,
               CASE WHEN ${fraction(4)} < 0.12 + CASE WHEN p.province = s.province THEN 0.35 ELSE 0 END
                                            + CASE WHEN p.source = s.source THEN 0.2 ELSE 0 END
                    THEN 'converted'
                    WHEN ${fraction(6)} < 0.6 THEN 'following'
                    WHEN ${fraction(6)} < 0.85 THEN 'invalid'
                    ELSE 'voided' END AS status
          FROM (SELECT ($5::text[])[1 + (i * 7 + i / 13) % array_length($5::text[], 1)] AS province,
                       ($6::text[])[1 + (i * 5 + i / 11) % array_length($6::text[], 1)] AS source) p
      ) x`,
    [org.tenantId, spec.ids, spec.province, spec.source, provinces, sources, sizes.history],
  );
  await db.pool.query(
    `INSERT INTO customers (id, tenant_id, kind, name, industry, size, province_code, source, owner_id,
                            claimed_at, created_by, created_at, updated_at)
     SELECT l.converted_customer_id, l.tenant_id, 'company', l.company,
            ($2::text[])[1 + (i * 3 + i / 7) % array_length($2::text[], 1)],
            ($3::text[])[1 + (i + i / 5) % array_length($3::text[], 1)],
            l.province_code, l.source, l.owner_id, l.converted_at, l.owner_id, l.converted_at, l.converted_at
       FROM (SELECT *, row_number() OVER (ORDER BY converted_customer_id) AS i FROM leads
              WHERE tenant_id = $1 AND status = 'converted') l`,
    [org.tenantId, industryLabels, customerSizes],
  );
  // One or two opportunities per customer, won far more often in the rep's industry and size.
  await db.pool.query(
    `INSERT INTO opportunities (tenant_id, customer_id, name, amount, stage_key, probability, status,
                                lost_reason, closed_at, owner_id, created_by, created_at, updated_at)
     SELECT c.tenant_id, c.id, c.name || ' 项目' || k, 10000 + (i % 90) * 1000,
            CASE WHEN x.won THEN 'won' ELSE 'lost' END, CASE WHEN x.won THEN 100 ELSE 0 END,
            CASE WHEN x.won THEN 'won' ELSE 'lost' END, CASE WHEN x.won THEN NULL ELSE '价格' END,
            c.created_at + make_interval(days => (10 + i % 80)::int), c.owner_id, c.owner_id,
            c.created_at, c.created_at + make_interval(days => (10 + i % 80)::int)
       FROM (SELECT *, row_number() OVER (ORDER BY id) AS i FROM customers WHERE tenant_id = $1) c
       JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS s (id, industry, size) ON s.id = c.owner_id
      CROSS JOIN LATERAL generate_series(1, 1 + (c.i % 2)::int) AS k
      CROSS JOIN LATERAL (
        SELECT ${fraction(5).replace(/\bi\b/g, '(i * 2 + k)')} < 0.2
                 + CASE WHEN c.industry = s.industry THEN 0.45 ELSE 0 END
                 + CASE WHEN c.size = s.size THEN 0.15 ELSE 0 END AS won
      ) x`,
    [org.tenantId, spec.ids, spec.industry, spec.size],
  );
  await db.pool.query('ANALYZE leads, customers, opportunities');
  const { rows } = await db.pool.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM leads WHERE tenant_id = $1 AND status = 'converted' AND company LIKE '历史%') AS converted,
            (SELECT count(*)::int FROM leads WHERE tenant_id = $1 AND status = 'following' AND company LIKE '历史%') AS following,
            (SELECT count(*)::int FROM leads WHERE tenant_id = $1 AND status = 'invalid' AND company LIKE '历史%') AS invalid,
            (SELECT count(*)::int FROM leads WHERE tenant_id = $1 AND status = 'voided' AND company LIKE '历史%') AS voided,
            (SELECT count(*)::int FROM customers WHERE tenant_id = $1) AS customers,
            (SELECT count(*)::int FROM opportunities WHERE tenant_id = $1 AND status = 'won') AS won,
            (SELECT count(*)::int FROM opportunities WHERE tenant_id = $1 AND status = 'lost') AS lost`,
    [org.tenantId],
  );
  const h = rows[0] ?? {};
  return `history written in ${seconds(since(started))}: leads ${fmt(h.converted ?? 0)} converted, ${fmt(h.following ?? 0)} following, ${fmt(h.invalid ?? 0)} invalid, ${fmt(h.voided ?? 0)} voided; ${fmt(h.customers ?? 0)} customers, ${fmt(h.won ?? 0)} won and ${fmt(h.lost ?? 0)} lost opportunities over ${String(org.reps.length)} reps`;
}

async function newLeads(db: Database, org: BenchOrg, count: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO leads (tenant_id, company, phone, source, province_code, status, pool_id, created_by)
     SELECT $1, '新线索' || i || '号有限公司', '137' || lpad(i::text, 8, '0'),
            ($2::text[])[1 + (i * 3 + i / 17) % array_length($2::text[], 1)],
            ($3::text[])[1 + (i * 5 + i / 19) % array_length($3::text[], 1)],
            'unassigned', $4, $5
       FROM generate_series(1, $6::int) AS i
     RETURNING id`,
    [org.tenantId, sources, provinces, org.defaultPoolId, org.adminId, count],
  );
  await db.pool.query('ANALYZE leads');
  return rows.map((r) => r.id);
}

function describeSkipped(skipped: DistributeResult['skipped']): string {
  if (!skipped.length) return 'none skipped';
  const reasons = new Map<string, number>();
  for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  return `skipped ${fmt(skipped.length)}: ${[...reasons].map(([r, n]) => `${fmt(n)} ${r}`).join('; ')}`;
}

/** An error in one line: a failed query's cause and the start of its SQL, not its parameters. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const query = (err as { query?: unknown }).query;
  if (err.cause instanceof Error && typeof query === 'string')
    return `${err.cause.message} in: ${query.replace(/\s+/g, ' ').trim().slice(0, 300)}`;
  return err.message.split('\n')[0] ?? err.message;
}

export async function measureProfile(
  db: Database,
  org: BenchOrg,
  sizes: ProfileSizes,
  memory: MemoryWatch,
): Promise<void> {
  const distribute = await loadDistribute();
  console.log(`profile assignment: ${await writeHistory(db, org, sizes)}`);
  if (typeof distribute === 'string') {
    console.log(`profile assignment: ${distribute}`);
    return;
  }
  const ids = await newLeads(db, org, sizes.leads);
  const admin = await loadCaller(db.db, org.tenantId, org.adminId, 'api', null);
  if (!admin) throw new Error('no admin caller');
  const spec = specialities(org);

  console.log(
    `  assigning ${fmt(ids.length)} new leads over ${String(org.reps.length)} reps by profile; ${machine()}`,
  );
  memory.begin('profile');
  const timed = timedDrizzle(db.pool, classify);
  const started = performance.now();
  let result: DistributeResult;
  try {
    result = await distribute(timed.db, admin, {
      entity: 'lead',
      ids,
      strategy: 'profile',
      userIds: spec.ids,
    });
  } catch (err) {
    memory.end();
    console.log(`  distribute FAILED after ${seconds(since(started))}: ${describeError(err)}`);
    return;
  }
  const ms = since(started);
  const rss = memory.end();
  console.log(
    `  ${seconds(ms)} (goal < ${seconds(GOAL_MS)}: ${ms < GOAL_MS ? 'met' : 'missed'}), ${fmt(Math.round(ids.length / (ms / 1000)))} leads/s; assigned ${fmt(result.assigned)}, to ${fmt(Object.keys(result.byUser).length)} reps; ${describeSkipped(result.skipped)}; ${rss}; ${machine()}`,
  );
  console.log('  where the time went (JS before: on the connection since its previous statement):');
  for (const line of statementLines(timed.statements)) console.log(`    ${line}`);

  const { rows } = await db.pool.query<Record<string, number>>(
    `WITH spec AS (
       SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[]) AS s (user_id, province, source)
     ), fresh AS (
       SELECT l.id, l.owner_id, l.status, l.province_code, l.source FROM leads l WHERE l.id = ANY($1::uuid[])
     ), per AS (
       SELECT owner_id, count(*) AS n FROM fresh WHERE owner_id IS NOT NULL GROUP BY owner_id
     )
     SELECT
       (SELECT count(*)::int FROM fresh WHERE owner_id IS NOT NULL) AS owned,
       (SELECT count(*)::int FROM per) AS reps,
       (SELECT coalesce(min(n), 0)::int FROM per) AS min_per_rep,
       (SELECT coalesce(max(n), 0)::int FROM per) AS max_per_rep,
       (SELECT count(*)::int FROM fresh f JOIN spec s ON s.user_id = f.owner_id WHERE s.province = f.province_code) AS province_match,
       (SELECT count(*)::int FROM fresh f JOIN spec s ON s.user_id = f.owner_id WHERE s.source = f.source) AS source_match,
       (SELECT count(*)::int FROM fresh f WHERE f.owner_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM spec s WHERE s.user_id = f.owner_id)) AS outside_user_ids,
       (SELECT count(*)::int FROM fresh f WHERE f.owner_id IS NOT NULL AND f.status <> 'pending') AS not_pending,
       (SELECT count(*)::int FROM (SELECT entity_id FROM handovers WHERE entity = 'lead'
           AND entity_id = ANY($1::uuid[]) GROUP BY entity_id HAVING count(*) > 1) x) AS two_handovers,
       (SELECT count(*)::int FROM fresh f WHERE f.owner_id IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM handovers h WHERE h.entity = 'lead' AND h.entity_id = f.id AND h.to_user_id = f.owner_id))
         AS without_handover`,
    [ids, spec.ids, spec.province, spec.source],
  );
  const r = rows[0] ?? {};
  const owned = r.owned ?? 0;
  const pct = (n: number) => `${((100 * n) / Math.max(1, owned)).toFixed(1)}%`;
  console.log(
    `  in the database: ${fmt(owned)} of ${fmt(ids.length)} leads owned, by ${fmt(r.reps ?? 0)} reps (${fmt(r.min_per_rep ?? 0)}–${fmt(r.max_per_rep ?? 0)} each)`,
  );
  console.log(
    `  sent to a rep of the lead's province speciality ${pct(r.province_match ?? 0)} (chance ${(100 / provinces.length).toFixed(1)}%), of its source speciality ${pct(r.source_match ?? 0)} (chance ${(100 / sources.length).toFixed(1)}%)`,
  );
  console.log(
    `  violations: ${fmt(r.outside_user_ids ?? 0)} leads given to someone outside userIds, ${fmt(r.not_pending ?? 0)} owned but not pending, ${fmt(r.two_handovers ?? 0)} with more than one handover, ${fmt(r.without_handover ?? 0)} owned without a handover to the owner`,
  );
}
