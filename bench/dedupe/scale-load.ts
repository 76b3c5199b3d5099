/**
 * Loads the table the `dedupe-scale` bench checks against: generated customers
 * (bench/generate/), then the evaluation records, each row with every
 * normalised column customerNormalised fills, so columns added to it are loaded
 * without changes here. On PostgreSQL a completed load is kept in its schema and
 * reused while its fingerprint holds.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { dataSteps, migrateAll } from '../../packages/server/src/migrations.ts';
import { customers } from '../../packages/server/src/modules/customers/customers.table.ts';
import {
  customerNormalised,
  pinyinKey,
} from '../../packages/server/src/modules/dedupe/normalised.ts';
import { normalizeCompanyName } from '../../packages/server/src/modules/normalize/company.ts';
import { normalizeCreditCode } from '../../packages/server/src/modules/normalize/identity.ts';
import { normalizePhone } from '../../packages/server/src/modules/normalize/phone.ts';
import { createTenant } from '../../packages/server/src/modules/tenants/tenants.service.ts';
import { openDatabase, type Database, type DbOrTx } from '../../packages/server/src/platform/db.ts';
import { migrationsDir } from '../../packages/server/src/platform/migrate.ts';
import { generateCustomers } from '../generate/companies.ts';
import { loadEvalRecords, type EvalSet, type Owner } from './evaluate.ts';
import { dropIndexes, quoteIdent, rebuildIndexes } from '../bulk-indexes.ts';

const SEED = 20_261_124;
const ROWS_PER_INSERT = 2_000;
const ROWS_PER_TRANSACTION = 50_000;
/** PostgreSQL's limit of bind parameters in one statement. */
const MAX_PARAMS = 65_535;
const PROBES = 500;
const WARM_UP = 50;

export interface ScaleProbe {
  kind: 'name' | 'city-dropped' | 'phone';
  query: { name?: string; phone?: string };
  /** The generated customer the probe was built from. */
  sourceId: string;
}

export interface ScaleLoad {
  tenantId: string;
  adminId: string;
  probes: ScaleProbe[];
  warmUp: ScaleProbe[];
  /** Lines saying how the table was loaded (or that an earlier load was reused). */
  report: string[];
}

interface Kept {
  probes: ScaleProbe[];
  warmUp: ScaleProbe[];
  report: string[];
}

type Row = typeof customers.$inferInsert;

const repoRoot = path.join(import.meta.dirname, '..', '..');
const modules = path.join(repoRoot, 'packages', 'server', 'src', 'modules');

const tsFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));

/** SQL without its comments, so a comment naming a table is not taken for a statement on it. */
const withoutComments = (sql: string) =>
  sql.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--[^\n]*/g, '');

/**
 * The migrations whose statements name the customers table. Only these are
 * part of the fingerprint: a migration that never names customers (new tables,
 * other tables' columns) cannot change the loaded rows, so it is applied on
 * top of a kept load instead of forcing a reload of several minutes. A
 * migration that only references customers (a foreign key) still counts:
 * erring towards a reload is the safe side.
 */
function customerMigrations(): string[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .filter((f) =>
      /\bcustomers\b/i.test(withoutComments(fs.readFileSync(path.join(migrationsDir, f), 'utf8'))),
    );
}

/**
 * What the loaded rows depend on: the customer columns, the migrations that
 * touch customers and the data steps, the sources that compute the normalised
 * values and generate the rows, and the evaluation data (which decides the
 * rows left out).
 */
function fingerprint(total: number, evalSet: EvalSet): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      total,
      seed: SEED,
      columns: Object.values(getTableColumns(customers))
        .map((c) => c.name)
        .sort(),
      migrations: customerMigrations(),
      dataSteps: dataSteps.map((s) => s.name),
    }),
  );
  const sources = [
    ...tsFiles(path.join(modules, 'normalize')),
    path.join(modules, 'dedupe', 'normalised.ts'),
    ...tsFiles(path.join(repoRoot, 'bench', 'generate')),
    ...evalSet.files,
  ];
  for (const file of sources) h.update(path.relative(repoRoot, file)).update(fs.readFileSync(file));
  return h.digest('hex').slice(0, 16);
}

/**
 * Keys of the evaluation records and queries. A generated customer sharing one
 * would be a right answer the labels do not know of, so it is left out.
 */
function heldBack(evalSet: EvalSet) {
  const cores = new Set<string>();
  const pinyins = new Set<string>();
  const phones = new Set<string>();
  const codes = new Set<string>();
  const add = (name?: string | null, phone?: string | null, code?: string | null) => {
    const core = name ? normalizeCompanyName(name).core : '';
    if (core) {
      cores.add(core);
      const p = pinyinKey(core);
      if (p) pinyins.add(p);
    }
    const e164 = phone ? normalizePhone(phone)?.e164 : undefined;
    if (e164) phones.add(e164);
    const c = code ? normalizeCreditCode(code) : null;
    if (c?.ok) codes.add(c.value);
  };
  for (const r of evalSet.records) add(r.name, r.phone, r.creditCode);
  for (const q of evalSet.queries) add(q.query.name, q.query.phone, q.query.creditCode);
  return (n: ReturnType<typeof customerNormalised>) =>
    cores.has(n.nameCore ?? '') ||
    pinyins.has(n.namePinyin ?? '') ||
    phones.has(n.phoneE164 ?? '') ||
    codes.has(n.creditCode ?? '');
}

/** Generated rows, normalised, with the probes drawn from them along the way. */
function generatedRows(total: number, owner: Owner, evalSet: EvalSet) {
  const source = generateCustomers(SEED);
  const isHeldBack = heldBack(evalSet);
  const stats = { accepted: 0, heldBack: 0, refused: 0 };
  const probes: ScaleProbe[] = [];
  const warmUp: ScaleProbe[] = [];
  // Probes spread over the whole table: per period, one exact name, then the next
  // name with a city to drop, then the next phone.
  const step = Math.max(6, Math.floor(total / Math.ceil(PROBES / 3)));
  let wantCityDropped = false;
  let wantPhone = false;

  const take = (count: number): Row[] => {
    const rows: Row[] = [];
    while (rows.length < count) {
      const c = source.next().value;
      let n: ReturnType<typeof customerNormalised>;
      try {
        n = customerNormalised({
          name: c.name,
          phone: c.phone,
          creditCode: c.creditCode,
          address: c.address,
        });
      } catch {
        stats.refused++;
        continue;
      }
      if (isHeldBack(n)) {
        stats.heldBack++;
        continue;
      }
      const id = randomUUID();
      const i = stats.accepted++;
      const phase = i % step;
      if (phase === 0) probes.push({ kind: 'name', query: { name: c.name }, sourceId: id });
      if (phase === Math.floor(step / 3)) wantCityDropped = true;
      if (phase === Math.floor((2 * step) / 3)) wantPhone = true;
      if (phase === Math.floor(step / 2) && warmUp.length < WARM_UP)
        warmUp.push({ kind: 'name', query: { name: c.name }, sourceId: id });
      if (wantCityDropped && c.nameWithoutCity) {
        probes.push({ kind: 'city-dropped', query: { name: c.nameWithoutCity }, sourceId: id });
        wantCityDropped = false;
      }
      if (wantPhone && c.phone) {
        probes.push({ kind: 'phone', query: { phone: c.phone }, sourceId: id });
        wantPhone = false;
      }
      rows.push({
        ...n,
        id,
        tenantId: owner.tenantId,
        kind: c.kind,
        name: c.name,
        phone: c.phone,
        address: c.address,
        industry: c.industry,
        ownerId: owner.ownerId,
        poolId: owner.poolId,
      });
    }
    return rows;
  };
  return { take, stats, probes, warmUp };
}

/** Inserts in statements that stay under the bind-parameter limit. */
async function insertRows(tx: DbOrTx, rows: Row[]): Promise<void> {
  const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0] ?? {}).length));
  for (let i = 0; i < rows.length; i += per)
    await tx.insert(customers).values(rows.slice(i, i + per));
}

async function keptLoad(db: Database, print: string): Promise<Kept | null> {
  const { rows } = await db.pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `${db.schema}.bench_load`,
  ]);
  if (!rows[0]?.t) return null;
  const kept = await db.pool.query<{ fingerprint: string; detail: Kept; loaded_at: Date }>(
    'SELECT fingerprint, detail, loaded_at FROM bench_load LIMIT 1',
  );
  const k = kept.rows[0];
  if (!k) return null;
  if (k.fingerprint !== print) {
    console.log(`schema ${db.schema} holds a load of other sources (${k.fingerprint}): reloading`);
    return null;
  }
  return {
    ...k.detail,
    report: [
      `load: reused the load of ${k.loaded_at.toISOString()} kept in schema ${db.schema} (TIDE_BENCH_FRESH=1 reloads); it took:`,
      ...k.detail.report.map((l) => `  ${l}`),
    ],
  };
}

async function benchTenant(db: Database): Promise<Owner> {
  const { rows } = await db.pool.query<Owner>(
    `SELECT t.id AS "tenantId",
            (SELECT id FROM users u WHERE u.tenant_id = t.id LIMIT 1) AS "ownerId",
            (SELECT id FROM pools p WHERE p.tenant_id = t.id LIMIT 1) AS "poolId"
       FROM tenants t WHERE t.slug = 'bench'`,
  );
  const owner = rows[0];
  if (!owner?.ownerId || !owner.poolId) throw new Error('no bench tenant');
  return owner;
}

export async function loadScaleData(
  db: Database,
  opts: { total: number; evalSet: EvalSet; fresh: boolean },
): Promise<ScaleLoad> {
  const { total, evalSet } = opts;
  const print = fingerprint(total, evalSet);
  const kept = db.engine === 'postgres' && !opts.fresh ? await keptLoad(db, print) : null;
  if (kept) {
    // Migrations added since the load touch no customer (else the fingerprint would differ).
    const { applied } = await migrateAll(db.pool);
    if (applied.length)
      kept.report.push(`migrations applied on top of the kept load: ${applied.join(', ')}`);
    const owner = await benchTenant(db);
    return { tenantId: owner.tenantId, adminId: owner.ownerId, ...kept };
  }

  if (db.schema !== 'public') {
    await db.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(db.schema)} CASCADE`);
    await db.pool.query(`CREATE SCHEMA ${quoteIdent(db.schema)}`);
  }
  await migrateAll(db.pool);
  await createTenant(db.db, { slug: 'bench', name: 'bench', adminPassword: 'bench-pass-123' });
  const owner = await benchTenant(db);

  const started = performance.now();
  const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
  const indexes = await dropIndexes(db, 'customers');
  const gen = generatedRows(total, owner, evalSet);
  console.log(`loading ${total.toLocaleString('en')} generated customers into ${db.engine}…`);
  while (gen.stats.accepted < total) {
    await db.db.transaction(async (tx) => {
      // Normalising the next rows overlaps the database writing the previous ones.
      let pending: Promise<void> | null = null;
      let inTransaction = 0;
      while (inTransaction < ROWS_PER_TRANSACTION && gen.stats.accepted < total) {
        const rows = gen.take(
          Math.min(
            ROWS_PER_INSERT,
            total - gen.stats.accepted,
            ROWS_PER_TRANSACTION - inTransaction,
          ),
        );
        inTransaction += rows.length;
        if (pending) await pending;
        pending = insertRows(tx, rows);
      }
      if (pending) await pending;
    });
    const rate = Math.round(gen.stats.accepted / ((performance.now() - started) / 1000));
    console.log(
      `  ${gen.stats.accepted.toLocaleString('en').padStart(11)} / ${total.toLocaleString('en')}  ${seconds(started).padStart(7)} s  ${rate.toLocaleString('en')} rows/s`,
    );
  }
  const insertSeconds = seconds(started);
  const insertRate = Math.round(total / ((performance.now() - started) / 1000));

  let t = performance.now();
  await loadEvalRecords(db.db, owner, evalSet.records);
  const evalSeconds = seconds(t);
  t = performance.now();
  await rebuildIndexes(db, indexes, 1024);
  const indexSeconds = seconds(t);
  t = performance.now();
  await db.pool.query('VACUUM (ANALYZE) customers');
  const vacuumSeconds = seconds(t);

  const report = [
    `load: ${seconds(started)} s in all: ${total.toLocaleString('en')} generated customers normalised and inserted in ${insertSeconds} s (${insertRate.toLocaleString('en')} rows/s), ${evalSet.records.length.toLocaleString('en')} evaluation records ${evalSeconds} s, ${indexes.length} customer indexes rebuilt ${indexSeconds} s, VACUUM ANALYZE ${vacuumSeconds} s`,
    `generator: ${gen.stats.heldBack.toLocaleString('en')} records left out for sharing a name core, pinyin, phone or credit code with the evaluation set; ${gen.stats.refused} refused by the normaliser`,
  ];
  const detail: Kept = { probes: gen.probes, warmUp: gen.warmUp, report };
  await db.pool.query(`CREATE TABLE bench_load (
    fingerprint text NOT NULL,
    detail jsonb NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`);
  await db.pool.query('INSERT INTO bench_load (fingerprint, detail) VALUES ($1, $2)', [
    print,
    JSON.stringify(detail),
  ]);
  return { tenantId: owner.tenantId, adminId: owner.ownerId, ...detail };
}

/**
 * How many generated customers a scale bench loads: TIDE_BENCH_CUSTOMERS, else
 * 1,000,000 on PostgreSQL and 100,000 on the embedded database.
 */
export function scaleCustomers(): number {
  const raw = process.env.TIDE_BENCH_CUSTOMERS;
  if (raw === undefined || raw === '') return process.env.DATABASE_URL ? 1_000_000 : 100_000;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`TIDE_BENCH_CUSTOMERS must be a positive whole number, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

export interface ScaleDatabase {
  db: Database;
  onServer: boolean;
  /** Closes the database and removes the embedded one's temporary directory. */
  close: () => Promise<void>;
}

/**
 * PostgreSQL (DATABASE_URL) in schema bench_dedupe_<total>, where a load is
 * kept between runs, or a fresh embedded database in a temporary directory.
 */
export async function openScaleDatabase(total: number): Promise<ScaleDatabase> {
  const onServer = Boolean(process.env.DATABASE_URL);
  const dataDir = onServer ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'tide-dedupe-scale-'));
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: dataDir ?? os.tmpdir(),
    ...(onServer ? { schema: `bench_dedupe_${total}` } : {}),
  });
  return {
    db,
    onServer,
    close: async () => {
      await db.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
