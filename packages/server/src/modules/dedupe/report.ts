import { sql } from 'drizzle-orm';
import type {
  CreateDuplicateReportBody,
  DuplicateCluster,
  DuplicateClusterMember,
  DuplicateClusterQuery,
  DuplicateReport,
  MatchLevel,
  Page,
} from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import { inClientTransaction, type Database } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';
import { FUZZY_NAME } from './dedupe.service.ts';
import { pgTextArray } from './normalised.ts';

export const DUPLICATE_REPORT_QUEUE = 'duplicate-report';

/** Fuzzy blocks larger than this are skipped: a key shared by that many names is no evidence. */
const MAX_FUZZY_BLOCK = 50;
const FUZZY_BUCKETS = 16;

type ReportType = DuplicateReport['objectType'];

/** Where a record type keeps the keys the report blocks on. */
interface Source {
  table: string;
  alive: string;
  identity: [column: string, reason: string][];
  /** Customers: a contact's phone links its customer too. */
  contactPhones: boolean;
  core: string;
  branch: string | null;
  place: string | null;
  company: string;
  pinyin: string | null;
  keys: string | null;
}

const sources: Record<ReportType, Source> = {
  customer: {
    table: 'customers',
    alive: 'deleted_at IS NULL',
    identity: [
      ['phone_e164', 'same phone'],
      ['credit_code', 'same credit code'],
      ['id_number', 'same ID number'],
      ['licence_number', 'same registration number'],
      ['org_code', 'same registration number'],
      ['tax_number', 'same registration number'],
    ],
    contactPhones: true,
    core: 'name_core',
    branch: 'name_branch',
    place: 'name_place',
    company: "kind = 'company'",
    pinyin: 'name_pinyin',
    keys: 'name_keys',
  },
  lead: {
    table: 'leads',
    alive: "deleted_at IS NULL AND status NOT IN ('voided', 'converted')",
    identity: [['phone_e164', 'same phone']],
    contactPhones: false,
    core: 'company_core',
    branch: null,
    place: null,
    company: 'company IS NOT NULL',
    pinyin: null,
    keys: null,
  },
};

const levelOf: Record<number, MatchLevel> = { 3: 'exact', 2: 'likely', 1: 'possible' };

interface Progress {
  phase: string;
  progress: number;
}

/**
 * The scan, set-based: each block of records sharing a key is linked as a
 * star (its first record to every other), so a block of n costs n rows, not
 * n²; only fuzzy blocks compare names pairwise, and only inside small blocks.
 * Clusters are the records joined by exact and likely links, at the weakest
 * link that joins them; possible links are listed as groups around a record.
 */
export async function runDuplicateReport(database: Database, reportId: string): Promise<void> {
  const { pool } = database;
  const { rows } = await pool.query<{ tenant_id: string; object_type: ReportType }>(
    `UPDATE duplicate_reports SET status = 'running', started_at = now(), finished_at = NULL,
            error = NULL, progress = 0, phase = 'identity'
      WHERE id = $1 RETURNING tenant_id, object_type`,
    [reportId],
  );
  const report = rows[0];
  if (!report) return; // deleted meanwhile
  const tenantId = report.tenant_id;
  const src = sources[report.object_type];
  const step = async (p: Progress) => {
    await pool.query('UPDATE duplicate_reports SET phase = $2, progress = $3 WHERE id = $1', [
      reportId,
      p.phase,
      p.progress,
    ]);
  };
  const cleanUp = async () => {
    await pool.query('DELETE FROM duplicate_report_pairs WHERE report_id = $1', [reportId]);
    await pool.query('DELETE FROM duplicate_report_keys WHERE report_id = $1', [reportId]);
  };
  try {
    // A retried run starts from nothing.
    await cleanUp();
    await pool.query('DELETE FROM duplicate_report_clusters WHERE report_id = $1', [reportId]);
    const alive = `tenant_id = $1 AND ${src.alive}`;
    const count = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${src.table} WHERE ${alive}`,
      [tenantId],
    );
    await pool.query('UPDATE duplicate_reports SET records = $2 WHERE id = $1', [
      reportId,
      count.rows[0]?.n ?? 0,
    ]);

    // 1. Identity keys: exact.
    for (const [i, [column, reason]] of src.identity.entries()) {
      const contacts =
        src.contactPhones && column === 'phone_e164'
          ? `UNION SELECT ct.customer_id, ct.phone_e164 FROM contacts ct
               JOIN customers c ON c.id = ct.customer_id AND c.deleted_at IS NULL
              WHERE ct.tenant_id = $1 AND ct.deleted_at IS NULL AND ct.phone_e164 IS NOT NULL`
          : '';
      await pool.query(
        `INSERT INTO duplicate_report_pairs (report_id, a, b, level, score, reason)
         SELECT $2, head, id, 3, 1, $3 FROM (
           SELECT id, first_value(id) OVER (PARTITION BY k ORDER BY id) AS head
             FROM (SELECT id, ${column} AS k FROM ${src.table} WHERE ${alive} AND ${column} IS NOT NULL
                   ${contacts}) s) w
          WHERE head <> id`,
        [tenantId, reportId, reason],
      );
      await step({ phase: 'identity', progress: (0.2 * (i + 1)) / src.identity.length });
    }

    // 2. Name cores: the same name in the same (or an unnamed) city is likely;
    // another city or a branch office is possible.
    const place = src.place ? `coalesce(${src.place}, '')` : `''`;
    const branch = src.branch ? `coalesce(${src.branch}, '')` : `''`;
    const groups = `SELECT id, ${src.core} AS c, ${branch} AS br, ${src.place ?? 'NULL::text'} AS pl,
           first_value(id) OVER (PARTITION BY ${src.core}, ${branch}, ${place} ORDER BY id) AS head
      FROM ${src.table} WHERE ${alive} AND ${src.company} AND ${src.core} IS NOT NULL`;
    await pool.query(
      `INSERT INTO duplicate_report_pairs (report_id, a, b, level, score, reason)
       SELECT $2, head, id, 2, 0.9, 'same name' FROM (${groups}) g WHERE head <> id`,
      [tenantId, reportId],
    );
    await step({ phase: 'names', progress: 0.3 });
    await pool.query(
      `WITH h AS (SELECT DISTINCT head, c, br, pl FROM (${groups}) g),
            t AS (SELECT head, br, pl,
                         first_value(head) OVER w AS top, first_value(br) OVER w AS tbr,
                         first_value(pl) OVER w AS tpl
                    FROM h WINDOW w AS (PARTITION BY c ORDER BY br <> '', pl IS NULL, head))
       INSERT INTO duplicate_report_pairs (report_id, a, b, level, score, reason)
       SELECT $2, top, head,
              CASE WHEN br <> tbr OR (pl <> tpl) THEN 1 ELSE 2 END,
              CASE WHEN br <> tbr THEN 0.6 WHEN pl <> tpl THEN 0.5 ELSE 0.9 END,
              CASE WHEN br <> tbr THEN 'branch office of the same company'
                   WHEN pl <> tpl THEN 'same name, different city' ELSE 'same name' END
         FROM t WHERE head <> top`,
      [tenantId, reportId],
    );
    await step({ phase: 'names', progress: 0.4 });

    // 3. Fuzzy names: homophones, then one-edit keys scored by trigram similarity.
    if (src.pinyin) {
      await pool.query(
        `WITH r AS (SELECT DISTINCT ON (${src.pinyin}, ${src.core}) id, ${src.pinyin} AS p, ${src.core} AS c
                      FROM ${src.table} WHERE ${alive} AND ${src.company} AND ${src.pinyin} IS NOT NULL
                     ORDER BY ${src.pinyin}, ${src.core}, id),
              t AS (SELECT id, first_value(id) OVER (PARTITION BY p ORDER BY c, id) AS top FROM r)
         INSERT INTO duplicate_report_pairs (report_id, a, b, level, score, reason)
         SELECT $2, top, id, 1, 0.7, 'name sounds the same' FROM t WHERE top <> id`,
        [tenantId, reportId],
      );
    }
    await step({ phase: 'fuzzy', progress: 0.45 });
    if (src.keys) {
      await pool.query(
        // Only keys shared by 2 to MAX_FUZZY_BLOCK names are kept: most keys belong to one
        // name, and a key shared by hundreds is no evidence.
        `INSERT INTO duplicate_report_keys (report_id, bucket, key, core, id)
         SELECT $2::uuid, hashtext(key) & ${FUZZY_BUCKETS - 1}, key, c, id
           FROM (SELECT key, c, id, count(*) OVER (PARTITION BY key) AS n
                   FROM (SELECT DISTINCT ON (key, c) key, c, id
                           FROM (SELECT id, ${src.core} AS c, unnest(${src.keys}) AS key
                                   FROM ${src.table}
                                  WHERE ${alive} AND ${src.company} AND ${src.keys} IS NOT NULL) s
                          ORDER BY key, c, id) d) k
          WHERE n BETWEEN 2 AND ${MAX_FUZZY_BLOCK}`,
        [tenantId, reportId],
      );
      await step({ phase: 'fuzzy', progress: 0.55 });
      for (let bucket = 0; bucket < FUZZY_BUCKETS; bucket++) {
        await pool.query(
          // Pairs inside each block from its arrays: no self-join, so no plan that depends
          // on statistics of a table filled a moment ago.
          `INSERT INTO duplicate_report_pairs (report_id, a, b, level, score, reason)
           SELECT $1, a, b, 1, 0.3 + 0.5 * sim, 'name ' || round(sim * 100) || '% similar'
             FROM (SELECT DISTINCT g.ids[i] AS a, g.ids[j] AS b,
                          similarity(g.cores[i], g.cores[j]) AS sim
                     FROM (SELECT array_agg(id ORDER BY core) AS ids,
                                  array_agg(core ORDER BY core) AS cores, count(*)::int AS n
                             FROM duplicate_report_keys
                            WHERE report_id = $1 AND bucket = $2 GROUP BY key) g,
                          generate_series(1, g.n - 1) AS i,
                          generate_series(i + 1, g.n) AS j) pairs
            WHERE sim >= $3`,
          [reportId, bucket, FUZZY_NAME],
        );
        await step({ phase: 'fuzzy', progress: 0.55 + (0.25 * (bucket + 1)) / FUZZY_BUCKETS });
      }
    }

    // 4. Clusters: records joined by exact and likely links, transitively; a possible
    // link is not followed (chains of weak links would join unrelated companies), so
    // each record's possible matches are listed as a group around it.
    await step({ phase: 'clusters', progress: 0.8 });
    const strong = await pool.query<PairRow>(
      `SELECT a, b, level, score, reason FROM duplicate_report_pairs
        WHERE report_id = $1 AND level >= 2 ORDER BY level DESC, score DESC`,
      [reportId],
    );
    const clusters = clusterPairs(strong.rows);
    for (let i = 0; i < clusters.length; i += 1000) {
      const chunk = clusters.slice(i, i + 1000);
      await pool.query(
        `INSERT INTO duplicate_report_clusters (report_id, no, level, score, size, member_ids, reasons)
         SELECT $1, u.no, u.level, u.score, u.size, u.members::uuid[], u.reasons::text[]
           FROM unnest($2::int[], $3::text[], $4::real[], $5::int[], $6::text[], $7::text[])
                AS u (no, level, score, size, members, reasons)`,
        [
          reportId,
          chunk.map((_, j) => i + j + 1),
          chunk.map((c) => levelOf[c.level]),
          chunk.map((c) => c.score),
          chunk.map((c) => c.members.length),
          chunk.map((c) => pgTextArray(c.members)),
          chunk.map((c) => pgTextArray(c.reasons)),
        ],
      );
    }
    await step({ phase: 'clusters', progress: 0.9 });
    // Possible groups, set-based: a record and the records possibly linked to it, leaving
    // out links inside one strong cluster; numbered after the strong clusters.
    const possible = await pool.query(
      `WITH m AS (SELECT unnest(member_ids) AS id, no FROM duplicate_report_clusters
                   WHERE report_id = $1),
            p AS (SELECT pr.a, pr.b, pr.score, pr.reason FROM duplicate_report_pairs pr
                    LEFT JOIN m ma ON ma.id = pr.a LEFT JOIN m mb ON mb.id = pr.b
                   WHERE pr.report_id = $1 AND pr.level = 1 AND pr.a <> pr.b
                     AND (ma.no IS NULL OR mb.no IS NULL OR ma.no <> mb.no)),
            g AS (SELECT a, array_agg(DISTINCT b) AS bs, max(score) AS score,
                         (array_agg(DISTINCT reason))[1:6] AS reasons
                    FROM p GROUP BY a)
       INSERT INTO duplicate_report_clusters (report_id, no, level, score, size, member_ids, reasons)
       SELECT $1, $2 + row_number() OVER (ORDER BY score DESC, cardinality(bs) DESC, a),
              'possible', round(score::numeric, 2), 1 + cardinality(bs), a || bs, reasons
         FROM g`,
      [reportId, clusters.length],
    );
    const pairCount = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM duplicate_report_pairs WHERE report_id = $1',
      [reportId],
    );
    await cleanUp();
    await pool.query(
      `UPDATE duplicate_reports SET status = 'done', phase = NULL, progress = 1, finished_at = now(),
              pairs = $2, clusters = $3 WHERE id = $1`,
      [reportId, pairCount.rows[0]?.n ?? 0, clusters.length + (possible.rowCount ?? 0)],
    );
  } catch (err) {
    await cleanUp().catch(() => undefined);
    await pool.query(
      `UPDATE duplicate_reports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
      [reportId, err instanceof Error ? err.message : String(err)],
    );
    throw err;
  }
}

interface Cluster {
  members: string[];
  level: number;
  score: number;
  reasons: string[];
}

/**
 * Connected components of the pairs, strongest links first: a cluster's level
 * and score are those of the weakest link that was needed to join it.
 */
interface PairRow {
  a: string;
  b: string;
  level: number;
  score: number;
  reason: string;
}

export function clusterPairs(pairs: readonly PairRow[]): Cluster[] {
  const parent = new Map<string, string>();
  const info = new Map<string, { level: number; score: number; reasons: Set<string> }>();
  const find = (x: string): string => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    // Path compression.
    for (let cur = x; cur !== root;) {
      const next = parent.get(cur) ?? root;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  for (const p of pairs) {
    for (const id of [p.a, p.b]) if (!parent.has(id)) parent.set(id, id);
    const ra = find(p.a);
    const rb = find(p.b);
    if (ra === rb) continue;
    const ia = info.get(ra);
    const ib = info.get(rb);
    const reasons = new Set([...(ia?.reasons ?? []), ...(ib?.reasons ?? []), p.reason]);
    parent.set(rb, ra);
    info.delete(rb);
    info.set(ra, {
      level: Math.min(ia?.level ?? 3, ib?.level ?? 3, p.level),
      score: Math.min(ia?.score ?? 1, ib?.score ?? 1, p.score),
      reasons,
    });
  }
  const members = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    const list = members.get(root);
    if (list) list.push(id);
    else members.set(root, [id]);
  }
  const out: Cluster[] = [];
  for (const [root, list] of members) {
    const i = info.get(root);
    if (!i || list.length < 2) continue;
    out.push({
      members: list.sort(),
      level: i.level,
      score: Math.round(i.score * 100) / 100,
      reasons: [...i.reasons].slice(0, 6),
    });
  }
  return out.sort(
    (x, y) => y.level - x.level || y.score - x.score || y.members.length - x.members.length,
  );
}

interface ReportRow extends Record<string, unknown> {
  id: string;
  object_type: ReportType;
  status: DuplicateReport['status'];
  phase: string | null;
  progress: number;
  records: number | null;
  pairs: number | null;
  clusters: number | null;
  error: string | null;
  requested_by: string | null;
  requested_by_name: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toReport(r: ReportRow): DuplicateReport {
  return {
    id: r.id,
    objectType: r.object_type,
    status: r.status,
    phase: r.phase,
    progress: r.progress,
    records: r.records,
    pairs: r.pairs,
    clusters: r.clusters,
    error: r.error,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    createdAt: new Date(r.created_at).toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

const reportSelect = sql`SELECT r.*, u.display_name AS requested_by_name
  FROM duplicate_reports r LEFT JOIN users u ON u.id = r.requested_by`;

export async function getReport(
  database: Database,
  caller: Caller,
  id: string,
): Promise<DuplicateReport> {
  const { rows } = await database.db.execute<ReportRow>(
    sql`${reportSelect} WHERE r.id = ${id} AND r.tenant_id = ${caller.tenantId}`,
  );
  const row = rows[0];
  if (!row) throw notFound('Duplicate report');
  return toReport(row);
}

export async function listReports(
  database: Database,
  caller: Caller,
  q: { page: number; pageSize: number },
): Promise<Page<DuplicateReport>> {
  const { rows } = await database.db.execute<ReportRow>(
    sql`${reportSelect} WHERE r.tenant_id = ${caller.tenantId}
        ORDER BY r.created_at DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const total = await database.db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM duplicate_reports WHERE tenant_id = ${caller.tenantId}`,
  );
  return { items: rows.map(toReport), total: total.rows[0]?.n ?? 0, ...q };
}

/**
 * Queues a report: the row and its job are written in one transaction, so a
 * report exists exactly when a job will run it. One run per type at a time.
 */
export async function requestReport(
  database: Database,
  jobs: Jobs,
  caller: Caller,
  body: CreateDuplicateReportBody,
): Promise<DuplicateReport> {
  const id = await inClientTransaction(database, async (client) => {
    // One request at a time per tenant and type decides whether a run is under way.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `duplicate-report:${caller.tenantId}:${body.type}`,
    ]);
    const running = await client.query<{ id: string }>(
      `SELECT id FROM duplicate_reports WHERE tenant_id = $1 AND object_type = $2
          AND status IN ('queued', 'running')`,
      [caller.tenantId, body.type],
    );
    if (running.rows[0])
      throw new AppError('CONFLICT', 'A duplicate report of this type is already under way', {
        reportId: running.rows[0].id,
      });
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO duplicate_reports (tenant_id, object_type, requested_by) VALUES ($1, $2, $3) RETURNING id`,
      [caller.tenantId, body.type, caller.userId],
    );
    const created = inserted.rows[0]?.id ?? '';
    await jobs.send(
      DUPLICATE_REPORT_QUEUE,
      { reportId: created, tenantId: caller.tenantId },
      { client },
    );
    return created;
  });
  return getReport(database, caller, id);
}

interface MemberRow extends Record<string, unknown> {
  id: string;
  name: string;
  owner_name: string | null;
  visible: boolean;
  phone: string | null;
  address: string | null;
  created_at: Date | null;
}

/** A page of a report's clusters; members the caller may not see show only name and owner. */
export async function listClusters(
  database: Database,
  caller: Caller,
  reportId: string,
  q: DuplicateClusterQuery,
): Promise<Page<DuplicateCluster>> {
  const report = await getReport(database, caller, reportId);
  const scope = await buildScope(database.db, caller);
  const db = database.db;
  const level = q.level ? sql`AND level = ${q.level}` : sql``;
  const { rows } = await db.execute<{
    no: number;
    level: MatchLevel;
    score: number;
    size: number;
    member_ids: string[];
    reasons: string[];
  }>(
    sql`SELECT no, level, score, size, member_ids, reasons FROM duplicate_report_clusters
         WHERE report_id = ${reportId} ${level} ORDER BY no
         LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const total = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM duplicate_report_clusters WHERE report_id = ${reportId} ${level}`,
  );
  const ids = rows.flatMap((r) => r.member_ids);
  const members = new Map<string, DuplicateClusterMember>();
  if (ids.length) {
    const query =
      report.objectType === 'customer'
        ? sql`SELECT customers.id, customers.name, u.display_name AS owner_name,
                     ${customersVisibleTo(scope)} AS visible, customers.phone, customers.address,
                     customers.created_at
                FROM customers LEFT JOIN users u ON u.id = customers.owner_id
               WHERE customers.id = ANY(${sql.param(ids)}::uuid[]) AND customers.deleted_at IS NULL`
        : sql`SELECT leads.id, coalesce(leads.company, leads.contact_name, '') AS name,
                     u.display_name AS owner_name, ${leadsVisibleTo(scope)} AS visible,
                     leads.phone, leads.address, leads.created_at
                FROM leads LEFT JOIN users u ON u.id = leads.owner_id
               WHERE leads.id = ANY(${sql.param(ids)}::uuid[]) AND leads.deleted_at IS NULL`;
    for (const m of (await db.execute<MemberRow>(query)).rows)
      members.set(m.id, {
        id: m.id,
        name: m.name,
        ownerName: m.owner_name,
        visible: m.visible,
        phone: m.visible ? m.phone : null,
        address: m.visible ? m.address : null,
        createdAt: m.visible && m.created_at ? new Date(m.created_at).toISOString() : null,
      });
  }
  return {
    items: rows.map((r) => ({
      no: r.no,
      level: r.level,
      score: r.score,
      size: r.size,
      reasons: r.reasons,
      members: r.member_ids.flatMap((m) => members.get(m) ?? []),
    })),
    total: total.rows[0]?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}
