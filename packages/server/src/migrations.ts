import type pg from 'pg';
import { dataSteps } from './modules/dedupe/data-steps.ts';
import { migrate, type MigrationResult } from './platform/migrate.ts';

/** Brings a database up to date: the SQL migrations, then the data steps that follow them. */
export function migrateAll(pool: pg.Pool): Promise<MigrationResult> {
  return migrate(pool, dataSteps);
}

export { dataSteps };
