import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditQuery, Page } from '@tide/contract';
import { buildScope, inSubtree, type DataScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { auditLog } from '../../platform/tables.ts';
import { users } from '../org/org.table.ts';

/**
 * Record modules register the ids (as text, the type of audit_log.entity_id) of
 * the records of their kind the caller may see, deleted ones included; an entry
 * about a record is then visible exactly when the record is. A set rather than a
 * per-row test: PostgreSQL builds it once and hashes it, so each audit row costs
 * a hash probe instead of a lookup that `id::text = entity_id` keeps off the
 * primary key index.
 */
type EntityVisibility = (scope: DataScope) => SQL;
const entityVisibility = new Map<string, EntityVisibility>();
export function registerAuditEntity(entity: string, visible: EntityVisibility): void {
  entityVisibility.set(entity, visible);
}

/**
 * Who reads which audit entries: admins the tenant; everyone their own actions
 * and entries about themselves; managers also those of their subtree's people;
 * entries about business records follow the record's visibility.
 */
function auditVisibleTo(caller: Caller, scope: DataScope): SQL {
  const tenant = eq(auditLog.tenantId, caller.tenantId);
  if (caller.roles.includes('admin')) return tenant;
  const branches: SQL[] = [
    sql`${auditLog.actorId} = ${caller.userId}`,
    sql`(${auditLog.entity} = 'user' AND ${auditLog.entityId} = ${caller.userId})`,
  ];
  if (caller.roles.includes('manager')) {
    branches.push(inSubtree(scope, sql`${auditLog.actorId}`));
    branches.push(
      sql`(${auditLog.entity} = 'user' AND ${inSubtree(scope, sql`${auditLog.entityId}::uuid`)})`,
    );
  }
  for (const [entity, visible] of entityVisibility) {
    branches.push(
      sql`(${auditLog.entity} = ${entity} AND ${auditLog.entityId} IN (${visible(scope)}))`,
    );
  }
  return sql`(${tenant} AND (${sql.join(branches, sql` OR `)}))`;
}

export async function listAudit(db: Db, caller: Caller, q: AuditQuery): Promise<Page<AuditEntry>> {
  const scope = await buildScope(db, caller);
  const where = and(
    auditVisibleTo(caller, scope),
    q.entity ? eq(auditLog.entity, q.entity) : undefined,
    q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
    q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
  );
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        actorId: auditLog.actorId,
        actorName: users.displayName,
        entity: auditLog.entity,
        entityId: auditLog.entityId,
        action: auditLog.action,
        changes: auditLog.changes,
        requestId: auditLog.requestId,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(where),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      at: r.at.toISOString(),
      action: r.action as AuditEntry['action'],
    })),
    total: count?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}
