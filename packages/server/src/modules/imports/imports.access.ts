import { sql, type SQL } from 'drizzle-orm';
import { buildScope, inSubtree, type DataScope } from '../../platform/access.ts';
import { loadCaller } from '../../platform/auth.ts';
import type { Caller } from '../../platform/context.ts';
import { rowsOf, type Database } from '../../platform/db.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';

/**
 * An import holds its file's raw rows, so it belongs to its uploader: the managers
 * of the subtree containing the uploader may follow it and read its rows, an admin
 * any of the tenant's. A condition on `import_jobs`.
 */
export function importsVisibleTo(caller: Caller): SQL {
  const tenant = sql`import_jobs.tenant_id = ${caller.tenantId}`;
  if (caller.roles.includes('admin')) return tenant;
  const whose = caller.roles.includes('manager')
    ? inSubtree(caller, sql`import_jobs.created_by`)
    : sql`import_jobs.created_by = ${caller.userId}`;
  return sql`(${tenant} AND ${whose})`;
}

/**
 * Checks, at the top of every import function acting for a caller, that the import
 * is theirs to see (`read`: list, get, preview, report) or to change (`write`: its
 * settings, start, resume). An import one may not see answers 404 like any record;
 * one seen but not one's own to change, 403.
 */
export async function requireImport(
  database: Database,
  caller: Caller,
  id: string,
  access: 'read' | 'write',
): Promise<void> {
  const [row] = rowsOf<{ created_by: string | null }>(
    await database.db.execute(
      sql`SELECT created_by FROM import_jobs WHERE id = ${id} AND ${importsVisibleTo(caller)}`,
    ),
  );
  if (!row) throw notFound('Import');
  if (access === 'write' && row.created_by !== caller.userId && !caller.roles.includes('admin'))
    throw forbidden('Only whoever uploaded the import, or an admin, may change or run it');
}

/**
 * The data scope an import matches existing records through: its uploader's, so a
 * row naming a record they may not see cannot touch it. Null for an import the
 * system made for the whole tenant.
 */
export async function importerScope(
  database: Database,
  tenantId: string,
  uploaderId: string | null,
): Promise<DataScope | null> {
  if (!uploaderId) return null;
  const uploader = await loadCaller(database.db, tenantId, uploaderId, 'session', null);
  if (!uploader)
    throw new AppError(
      'FORBIDDEN',
      'Whoever uploaded this import is no longer active; upload the file again to import it',
    );
  return buildScope(database.db, uploader);
}
