import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import {
  idParams,
  notification,
  notificationQuery,
  okResponse,
  pageOf,
  unreadCount,
  type Notification,
  type NotificationKind,
  type Page,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { capacityOf } from './claim-check.ts';
import { notifications } from './pool.table.ts';

/** The message center (站内信): each user reads and marks only their own notifications. */

function toNotification(r: typeof notifications.$inferSelect): Notification {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    entity: r.entity,
    entityId: r.entityId,
    data: r.data,
    read: r.readAt !== null,
    createdAt: r.createdAt.toISOString(),
  };
}

const mine = (caller: Caller) =>
  and(eq(notifications.tenantId, caller.tenantId), eq(notifications.userId, caller.userId));

export async function listNotifications(
  db: Db,
  caller: Caller,
  q: { page: number; pageSize: number; unread?: boolean | undefined },
): Promise<Page<Notification>> {
  const where =
    q.unread === undefined
      ? mine(caller)
      : and(
          mine(caller),
          q.unread ? isNull(notifications.readAt) : sql`${notifications.readAt} IS NOT NULL`,
        );
  const rows = await db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(notifications).where(where);
  return {
    items: rows.map(toNotification),
    total: total?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function countUnread(db: Db, caller: Caller): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(mine(caller), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Tells one user something in the message center, written by the caller's transaction. */
export async function notify(
  tx: DbOrTx,
  tenantId: string,
  userId: string,
  n: { kind: NotificationKind; entity: string; entityId: string; data: Record<string, unknown> },
): Promise<void> {
  await tx.insert(notifications).values({
    tenantId,
    userId,
    kind: n.kind,
    entity: n.entity,
    entityId: n.entityId,
    data: n.data,
  });
}

/**
 * After a departure transfer, which may exceed the recipient's capacity (SPEC §5): tells the
 * manager of the recipient's nearest managed node, and the one who transferred.
 */
export async function flagOverCapacity(tx: DbOrTx, actor: Actor, userId: string): Promise<void> {
  for (const entity of ['lead', 'customer'] as const) {
    const c = await capacityOf(tx, actor.tenantId, userId, entity);
    if (c.max === null || c.used <= c.max) continue;
    await tx.execute(sql`
      WITH me AS (
        SELECT u.id, u.display_name, un.path FROM users u JOIN org_nodes un ON un.id = u.node_id
         WHERE u.id = ${userId}
      ), managers AS (
        SELECT n.manager_id AS id, n.depth FROM org_nodes n, me
         WHERE n.tenant_id = ${actor.tenantId} AND me.path LIKE n.path || '%'
           AND n.manager_id IS NOT NULL AND n.manager_id <> me.id
        UNION
        SELECT ru.id, rn.depth FROM users ru
          JOIN user_roles ur ON ur.user_id = ru.id AND ur.role_name = 'manager'
          JOIN org_nodes rn ON rn.id = ru.node_id, me
         WHERE ru.tenant_id = ${actor.tenantId} AND me.path LIKE rn.path || '%' AND ru.id <> me.id
      ), told AS (
        SELECT id FROM managers WHERE depth = (SELECT max(depth) FROM managers)
        UNION SELECT ${actor.userId}::uuid WHERE ${actor.userId}::uuid IS NOT NULL
      )
      INSERT INTO notifications (tenant_id, user_id, kind, entity, data)
      SELECT ${actor.tenantId}, m.id, 'capacity_exceeded', ${entity},
             jsonb_build_object('userId', me.id, 'userName', me.display_name, 'used', ${c.used}::int,
                                'max', ${c.max}::int, 'entity', ${entity}::text)
        FROM told JOIN users m ON m.id = told.id AND m.active, me`);
  }
}

export function notificationsRoutes(app: App, { db }: Deps): void {
  const d = db.db;
  const tags = ['notifications'];
  app.get('/notifications', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'My notifications, newest first',
      querystring: notificationQuery,
      response: { 200: pageOf(notification) },
    },
    handler: (req) => listNotifications(d, callerOf(req), req.query),
  });
  app.get('/notifications/unread-count', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'How many of my notifications are unread',
      response: { 200: unreadCount },
    },
    handler: async (req) => ({ unread: await countUnread(d, callerOf(req)) }),
  });
  app.post('/notifications/:id/read', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'Mark one notification read',
      params: idParams,
      response: { 200: notification },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      const [row] = await d
        .update(notifications)
        .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
        .where(and(mine(caller), eq(notifications.id, req.params.id)))
        .returning();
      if (!row) throw notFound('Notification');
      return toNotification(row);
    },
  });
  app.post('/notifications/read-all', {
    config: { auth: 'authenticated' },
    schema: { tags, summary: 'Mark all my notifications read', response: { 200: okResponse } },
    handler: async (req) => {
      await d
        .update(notifications)
        .set({ readAt: sql`now()` })
        .where(and(mine(callerOf(req)), isNull(notifications.readAt)));
      return { ok: true as const };
    },
  });
}
