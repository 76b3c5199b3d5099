/**
 * Bulk loads for benchmarks: a table's indexes not behind a constraint are dropped before
 * the load and built again after it, which is much faster than keeping them up to date.
 */
import type { Database } from '../packages/server/src/platform/db.ts';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops `table`'s indexes not behind a constraint; answers their definitions. */
export async function dropIndexes(db: Database, table: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS def
       FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
      WHERE x.indrelid = $1::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    [table],
  );
  for (const r of rows)
    await db.pool.query(`DROP INDEX ${quoteIdent(db.schema)}.${quoteIdent(r.name)}`);
  return rows.map((r) => r.def);
}

/**
 * Builds the dropped indexes again with a sort budget of `memory` on a server; PGlite
 * lives in a 32-bit address space (STACK.md), so it gets a quarter of it.
 */
export async function rebuildIndexes(
  db: Database,
  defs: readonly string[],
  memoryMb: number,
): Promise<void> {
  const client = await db.pool.connect();
  try {
    const mb = db.engine === 'postgres' ? memoryMb : Math.round(memoryMb / 4);
    await client.query(`SET maintenance_work_mem = '${String(mb)}MB'`);
    for (const def of defs) await client.query(def);
    await client.query('RESET maintenance_work_mem');
  } finally {
    client.release();
  }
}
