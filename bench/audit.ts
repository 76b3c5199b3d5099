/**
 * The audit log at 100,000 entries, read through HTTP (figures only, nothing
 * asserted; goal: p95 < 100 ms for every reader).
 *
 * One tenant of 50 reps in five teams under one manager's branch and five
 * teams elsewhere, 20,000 leads and 5,000 customers owned by them (some deleted:
 * their entries stay visible to whoever saw the record), and 100,000 audit
 * entries by many actors: about leads, customers, users and API tokens. Then
 * GET /api/v1/audit, the first page, a page further on and a page filtered by
 * entity, as a rep, a manager and an admin (app.inject: the whole request).
 *
 *   npm run bench -- audit                                  (embedded database)
 *   DATABASE_URL=postgres://…/tide_bench npm run bench -- audit   (schema bench_audit, made anew)
 *   TIDE_BENCH_AUDIT_ROWS=200000, TIDE_BENCH_AUDIT_RUNS=50  (other sizes)
 *   TIDE_BENCH_AUDIT_ANALYZE=1                              (plan with statistics)
 *   TIDE_BENCH_AUDIT_READERS=rep,manager                    (some of the readers)
 *   TIDE_BENCH_AUDIT_KEEP=1                                 (keep the schema to EXPLAIN by hand)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../packages/server/src/app.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { migrateAll } from '../packages/server/src/migrations.ts';
import { createTenant } from '../packages/server/src/modules/tenants/tenants.service.ts';
import { openDatabase } from '../packages/server/src/platform/db.ts';
import { hashPassword } from '../packages/server/src/platform/passwords.ts';
import { fmt, latencies, machine, seconds, since } from './pool/measure.ts';

const SCHEMA = 'bench_audit';
const SLUG = 'bench-audit';
const PASSWORD = 'bench-pass-123';
const TEAMS = 10;
const REPS_PER_TEAM = 5;
/** Teams 0 to BRANCH_TEAMS - 1 sit under the manager's branch. */
const BRANCH_TEAMS = 5;
const LEADS = 20_000;
const CUSTOMERS = 5_000;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`${name} must be a positive whole number, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

const rows = positive('TIDE_BENCH_AUDIT_ROWS', 100_000);
const runs = positive('TIDE_BENCH_AUDIT_RUNS', 40);
const readersWanted = process.env.TIDE_BENCH_AUDIT_READERS?.split(',');
const onServer = Boolean(process.env.DATABASE_URL);
const tmp = onServer ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'tide-bench-audit-'));
const db = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: tmp ?? '',
  ...(onServer ? { schema: SCHEMA, poolSize: 4 } : {}),
});
const q = (text: string, values: unknown[] = []) => db.pool.query(text, values);

try {
  console.log(
    `audit: engine ${db.engine}; ${fmt(rows)} entries; Node ${process.version}; ${machine()}`,
  );
  if (onServer) {
    await q(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await q(`CREATE SCHEMA ${SCHEMA}`);
  }
  await migrateAll(db.pool);

  let t = performance.now();
  const created = await createTenant(db.db, { slug: SLUG, name: SLUG, adminPassword: PASSWORD });
  const tenantId = created.tenant.id;
  const hash = await hashPassword(PASSWORD);
  const root = (await q(`SELECT path FROM org_nodes WHERE id = $1`, [created.rootNodeId]))
    .rows[0] as { path: string };
  // The manager's branch, its teams and the other teams.
  const branch = { id: randomUUID(), path: '' };
  branch.path = `${root.path}${branch.id}/`;
  await q(
    `INSERT INTO org_nodes (id, tenant_id, parent_id, name, path, depth) VALUES ($1, $2, $3, '华东大区', $4, 1)`,
    [branch.id, tenantId, created.rootNodeId, branch.path],
  );
  const teams = Array.from({ length: TEAMS }, (_, t) => {
    const id = randomUUID();
    const under = t < BRANCH_TEAMS ? branch : { id: created.rootNodeId, path: root.path };
    return { id, parent: under.id, path: `${under.path}${id}/`, depth: t < BRANCH_TEAMS ? 2 : 1 };
  });
  await q(
    `INSERT INTO org_nodes (id, tenant_id, parent_id, name, path, depth)
     SELECT t.id, $1, t.parent, '销售' || t.n || '组', t.path, t.depth
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[]) WITH ORDINALITY AS t (id, parent, path, depth, n)`,
    [
      tenantId,
      teams.map((x) => x.id),
      teams.map((x) => x.parent),
      teams.map((x) => x.path),
      teams.map((x) => x.depth),
    ],
  );
  await q(
    `INSERT INTO users (tenant_id, username, display_name, password_hash, node_id) VALUES ($1, 'manager', '华东经理', $2, $3)`,
    [tenantId, hash, branch.id],
  );
  await q(
    `INSERT INTO users (tenant_id, username, display_name, password_hash, node_id)
     SELECT $1, 'rep' || (n.i * $3 + r), '销售' || (n.i * $3 + r), $2, n.id
       FROM (SELECT id, row_number() OVER (ORDER BY name) - 1 AS i FROM org_nodes
              WHERE tenant_id = $1 AND name LIKE '销售%') AS n,
            generate_series(0, $3::int - 1) AS r`,
    [tenantId, hash, REPS_PER_TEAM],
  );
  await q(
    `INSERT INTO user_roles (tenant_id, user_id, role_name)
     SELECT $1, id, CASE WHEN username = 'manager' THEN 'manager' ELSE 'sales' END
       FROM users WHERE tenant_id = $1 AND username <> 'admin'`,
    [tenantId],
  );
  // Everyone but the admin, numbered: records, actors and subjects are drawn from them
  // (plain tables: the pool's connections share them, the schema goes at the end).
  await q(
    `CREATE TABLE bench_people AS
     SELECT id, (row_number() OVER (ORDER BY username) - 1)::int AS n
       FROM users WHERE tenant_id = $1 AND username <> 'admin'`,
    [tenantId],
  );
  const people = ((await q(`SELECT count(*)::int AS n FROM bench_people`)).rows[0] as { n: number })
    .n;
  await q(
    `INSERT INTO leads (tenant_id, company, source, status, owner_id, created_by, deleted_at)
     SELECT $1, '审计' || i || '号有限公司', 'web', 'following', p.id, p.id,
            CASE WHEN i % 50 = 0 THEN now() END
       FROM generate_series(0, $2::int - 1) AS i JOIN bench_people p ON p.n = i % $3`,
    [tenantId, LEADS, people],
  );
  await q(
    `INSERT INTO customers (tenant_id, kind, name, owner_id, created_by, deleted_at)
     SELECT $1, 'company', '客户' || i || '号有限公司', p.id, p.id, CASE WHEN i % 50 = 0 THEN now() END
       FROM generate_series(0, $2::int - 1) AS i JOIN bench_people p ON p.n = i % $3`,
    [tenantId, CUSTOMERS, people],
  );
  await q(
    `CREATE TABLE bench_records AS
     SELECT 'lead'::text AS entity, id::text AS entity_id,
            (row_number() OVER (ORDER BY id) - 1)::int AS n FROM leads WHERE tenant_id = $1
     UNION ALL
     SELECT 'customer', id::text, (row_number() OVER (ORDER BY id) - 1)::int FROM customers WHERE tenant_id = $1`,
    [tenantId],
  );
  // 60 % about leads, 20 % customers, 10 % users, 10 % API tokens; actors spread
  // over everyone, most entries by the record's owner's peers; at over 90 days.
  await q(
    `INSERT INTO audit_log (tenant_id, at, actor_id, entity, entity_id, action, changes, request_id)
     SELECT $1, now() - make_interval(secs => i * 77.0), a.id, x.entity,
            coalesce(r.entity_id, s.id::text, gen_random_uuid()::text),
            CASE WHEN i % 7 = 0 THEN 'create' ELSE 'update' END,
            jsonb_build_object('status', jsonb_build_object('before', 'pending', 'after', 'following')),
            'bench-' || i
       FROM generate_series(0, $2::int - 1) AS i
      CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 6 THEN 'lead' WHEN i % 10 < 8 THEN 'customer'
                                      WHEN i % 10 = 8 THEN 'user' ELSE 'api_token' END AS entity) AS x
       JOIN bench_people a ON a.n = (i * 7) % $3
       LEFT JOIN bench_people s ON x.entity = 'user' AND s.n = (i * 13) % $3
       LEFT JOIN bench_records r ON r.entity = x.entity
            AND r.n = (i * 31) % CASE x.entity WHEN 'lead' THEN $4::int ELSE $5::int END`,
    [tenantId, rows, people, LEADS, CUSTOMERS],
  );
  // The embedded database has no autovacuum and the app analyzes only after
  // imports: by default the audit log is read without statistics, as there.
  if (process.env.TIDE_BENCH_AUDIT_ANALYZE === '1') await q(`ANALYZE`);
  console.log(
    `load: ${fmt(people)} people, ${fmt(LEADS)} leads, ${fmt(CUSTOMERS)} customers, ${fmt(rows)} audit entries in ${seconds(since(t))}`,
  );

  const app = await buildApp(
    { config: { ...loadConfig({ TIDE_LOG_LEVEL: 'silent' }), jobSchedules: false }, db },
    { logger: false },
  );
  await app.ready();
  try {
    const login = async (username: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: PASSWORD, tenant: SLUG },
      });
      if (res.statusCode !== 200)
        throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return res.json<{ token: string }>().token;
    };
    const readers: [string, string][] = [];
    for (const [who, username] of [
      ['rep', 'rep0'],
      ['manager', 'manager'],
      ['admin', 'admin'],
    ] as const)
      if (!readersWanted || readersWanted.includes(who)) readers.push([who, await login(username)]);
    const pages = [
      ['first page', '/api/v1/audit'],
      ['page 5', '/api/v1/audit?page=5'],
      ['entity=lead', '/api/v1/audit?entity=lead'],
    ] as const;
    for (const [who, token] of readers) {
      for (const [label, url] of pages) {
        const get = async () => {
          const start = performance.now();
          const res = await app.inject({
            method: 'GET',
            url,
            headers: { authorization: `Bearer ${token}` },
          });
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
          return { ms: since(start), total: res.json<{ total: number }>().total };
        };
        // Warm the plan cache and the buffers: steady-state reads are measured.
        await get();
        await get();
        const ms: number[] = [];
        let total = 0;
        t = performance.now();
        for (let i = 0; i < runs; i++) {
          const r = await get();
          ms.push(r.ms);
          total = r.total;
        }
        console.log(
          `${who.padEnd(7)} ${label.padEnd(11)} total ${fmt(total).padStart(7)}: ${latencies(ms)} (${String(runs)} calls in ${seconds(since(t))})`,
        );
      }
    }
  } finally {
    await app.close();
  }
  console.log(machine());
} finally {
  if (onServer && process.env.TIDE_BENCH_AUDIT_KEEP !== '1')
    await q(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await db.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
