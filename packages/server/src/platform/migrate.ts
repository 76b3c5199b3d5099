import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

export const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');

/** One lock for every schema: extensions are database-wide, so creating them races too. */
const MIGRATION_LOCK = 7_310_001;

/**
 * A step that fills data in code once, after the SQL migrations (what SQL
 * alone cannot compute, such as normalised phones). Recorded like a migration.
 */
export interface DataStep {
  name: string;
  run(client: pg.PoolClient): Promise<void>;
}

export interface MigrationResult {
  applied: string[];
  skipped: number;
}

function readMigrations(): { name: string; sql: string; checksum: string }[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(migrationsDir, name), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the SQL files of `migrations/` in order, each in its own transaction,
 * recording them in `tide_migrations`. A session advisory lock makes two
 * instances starting at once take turns: the second finds everything applied.
 */
export async function migrate(
  pool: pg.Pool,
  dataSteps: readonly DataStep[] = [],
): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
      await client.query(`CREATE TABLE IF NOT EXISTS tide_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = new Map(
        (
          await client.query<{ name: string; checksum: string }>(
            'SELECT name, checksum FROM tide_migrations',
          )
        ).rows.map((r) => [r.name, r.checksum]),
      );
      const applied: string[] = [];
      let skipped = 0;
      for (const m of readMigrations()) {
        const seen = done.get(m.name);
        if (seen !== undefined) {
          if (seen !== m.checksum) {
            throw new Error(
              `Migration ${m.name} was changed after it was applied; add a new migration instead`,
            );
          }
          skipped++;
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO tide_migrations (name, checksum) VALUES ($1, $2)', [
            m.name,
            m.checksum,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.name);
      }
      for (const step of dataSteps) {
        if (done.has(step.name)) {
          skipped++;
          continue;
        }
        await client.query('BEGIN');
        try {
          await step.run(client);
          await client.query('INSERT INTO tide_migrations (name, checksum) VALUES ($1, $2)', [
            step.name,
            'data',
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`Data step ${step.name} failed: ${(err as Error).message}`, {
            cause: err,
          });
        }
        applied.push(step.name);
      }
      return { applied, skipped };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
