import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { TimelineItem } from '@tide/contract';
import type { DbOrTx } from '../../platform/db.ts';
import { auditLog } from '../../platform/tables.ts';
import { followUps } from '../followups/followups.table.ts';
import { users } from '../org/org.table.ts';

/**
 * One record's history, newest first: its follow-ups and every audited change
 * (status, hands, fields). The caller must already be allowed to see the record.
 */
export async function recordTimeline(
  db: DbOrTx,
  tenantId: string,
  entity: 'lead' | 'customer' | 'opportunity',
  id: string | readonly string[],
): Promise<TimelineItem[]> {
  const ids = typeof id === 'string' ? [id] : [...id];
  const [entries, notes] = await Promise.all([
    db
      .select({
        at: auditLog.at,
        actorName: users.displayName,
        action: auditLog.action,
        changes: auditLog.changes,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(
        and(
          eq(auditLog.tenantId, tenantId),
          eq(auditLog.entity, entity),
          inArray(auditLog.entityId, ids),
        ),
      )
      .orderBy(desc(auditLog.at)),
    db
      .select({ f: followUps, authorName: users.displayName })
      .from(followUps)
      .leftJoin(users, eq(users.id, followUps.authorId))
      .where(
        and(
          eq(followUps.tenantId, tenantId),
          eq(followUps.entityType, entity),
          inArray(followUps.entityId, ids),
        ),
      )
      .orderBy(asc(followUps.createdAt)),
  ]);
  const items: TimelineItem[] = [
    ...entries.map((e) => ({
      at: e.at.toISOString(),
      kind: 'audit' as const,
      actorName: e.actorName,
      action: e.action,
      changes: e.changes,
    })),
    ...notes.map(({ f, authorName }) => ({
      at: f.createdAt.toISOString(),
      kind: 'followUp' as const,
      actorName: authorName,
      action: f.type,
      followUp: {
        id: f.id,
        entityType: f.entityType,
        entityId: f.entityId,
        authorId: f.authorId,
        authorName,
        type: f.type,
        content: f.content,
        result: f.result,
        nextAt: f.nextAt?.toISOString() ?? null,
        createdAt: f.createdAt.toISOString(),
      },
    })),
  ];
  return items.sort((a, b) => b.at.localeCompare(a.at));
}
