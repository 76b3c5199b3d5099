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
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { callerOf, type App } from '../../platform/http.ts';
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
