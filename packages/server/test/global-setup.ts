import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/platform/db.ts';
import { dataSteps } from '../src/migrations.ts';
import { migrate, migrationsDir } from '../src/platform/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string | null;
  }
}

export const tmpRoot = path.resolve(import.meta.dirname, '..', '..', '..', '.tmp');

/**
 * Creating a PGlite data directory takes seconds; opening a copy takes a fraction
 * of one. So the migrated directory is built once (and reused while the
 * migrations are unchanged) and every test file opens its own copy.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', null);
    return;
  }
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(migrationsDir).sort())
    hash.update(f).update(fs.readFileSync(path.join(migrationsDir, f)));
  for (const step of dataSteps) hash.update(step.name);
  const dir = path.join(tmpRoot, `pglite-template-${hash.digest('hex').slice(0, 12)}`);
  if (!fs.existsSync(path.join(dir, 'ready'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const db = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    await migrate(db.pool, dataSteps);
    await db.close();
    fs.writeFileSync(path.join(dir, 'ready'), new Date().toISOString());
  }
  project.provide('pgliteTemplate', dir);
}
