/**
 * Duplicate-matching quality and speed on the hand-labelled set in bench/dedupe/:
 * loads the records into a fresh database, runs every query through the
 * matcher behind POST /duplicates/check, and prints recall and false alarms per
 * split (tune / held-out) and per category, with p50/p95 latency.
 *
 *   npm run bench -- dedupe            (embedded database)
 *   DATABASE_URL=… npm run bench -- dedupe
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateAll } from '../packages/server/src/migrations.ts';
import { createTenant } from '../packages/server/src/modules/tenants/tenants.service.ts';
import { buildScope } from '../packages/server/src/platform/access.ts';
import { loadCaller } from '../packages/server/src/platform/auth.ts';
import { openDatabase } from '../packages/server/src/platform/db.ts';
import {
  evaluateQueries,
  loadEvalRecords,
  printCategories,
  printSplits,
  quantile,
  readEvalSet,
} from './dedupe/evaluate.ts';

const { records, queries } = readEvalSet();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tide-dedupe-'));
const schema = process.env.DATABASE_URL
  ? `bench_${crypto.randomBytes(4).toString('hex')}`
  : undefined;
const db = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  ...(schema ? { schema } : {}),
});
try {
  await migrateAll(db.pool);
  const { tenant } = await createTenant(db.db, {
    slug: 'bench',
    name: 'bench',
    adminPassword: 'bench-pass-123',
  });
  const [admin] = (
    await db.pool.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1`, [tenant.id])
  ).rows;
  const pool = (
    await db.pool.query<{ id: string }>(`SELECT id FROM pools WHERE tenant_id = $1`, [tenant.id])
  ).rows[0];
  if (!admin || !pool) throw new Error('no admin');

  const ids = await loadEvalRecords(
    db.db,
    { tenantId: tenant.id, ownerId: admin.id, poolId: pool.id },
    records,
  );
  await db.pool.query('ANALYZE customers');
  const caller = await loadCaller(db.db, tenant.id, admin.id, 'api', null);
  if (!caller) throw new Error('no caller');
  const scope = await buildScope(db.db, caller);

  const run = await evaluateQueries(db.db, scope, queries, ids);
  console.log(`records ${records.length}, queries ${queries.length}, engine ${db.engine}`);
  printSplits(run);
  printCategories(run);
  const times = run.times.map((t) => t.ms).sort((a, b) => a - b);
  console.log(
    `latency per check: p50 ${quantile(times, 0.5)} ms, p95 ${quantile(times, 0.95)} ms over ${records.length} customers`,
  );
  if (process.env.VERBOSE) for (const m of run.misses) console.log(m);
} finally {
  if (schema) await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
