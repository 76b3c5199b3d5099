import { sql } from 'drizzle-orm';
import { agenda, agendaQuery, type AgendaItem, type FollowUpType } from '@tide/contract';
import type { Deps } from '../../app.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { callerOf, type App } from '../../platform/http.ts';

interface PlanRow extends Record<string, unknown> {
  id: string;
  entity_type: 'lead' | 'customer' | 'opportunity';
  entity_id: string;
  author_id: string | null;
  author_name: string | null;
  type: FollowUpType;
  content: string;
  result: string | null;
  next_at: Date;
  created_at: Date;
  entity_name: string | null;
  overdue: boolean;
}

/**
 * The caller's follow-up plans that are due: a plan (a follow-up with a next
 * time) stays open until a later follow-up is logged on the same record, and
 * only plans on open records the caller owns are shown — a record handed over
 * takes its plans to the new owner.
 */
export async function getAgenda(db: Db, caller: Caller, until?: string): Promise<AgendaItem[]> {
  const limit = until
    ? sql`${until}::timestamptz`
    : sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') + interval '1 day') AT TIME ZONE 'Asia/Shanghai'`;
  const { rows } = await db.execute<PlanRow>(sql`
    SELECT f.id, f.entity_type, f.entity_id, f.author_id, u.display_name AS author_name, f.type, f.content, f.result,
           f.next_at, f.created_at, f.next_at < now() AS overdue,
           coalesce(l.company, l.contact_name, c.name, o.name) AS entity_name
      FROM follow_ups f
      LEFT JOIN leads l ON f.entity_type = 'lead' AND l.id = f.entity_id
      LEFT JOIN customers c ON f.entity_type = 'customer' AND c.id = f.entity_id
      LEFT JOIN opportunities o ON f.entity_type = 'opportunity' AND o.id = f.entity_id
      LEFT JOIN users u ON u.id = f.author_id
     WHERE f.tenant_id = ${caller.tenantId}
       AND f.next_at IS NOT NULL AND f.next_at < ${limit}
       AND (
         (f.entity_type = 'lead' AND l.owner_id = ${caller.userId} AND l.deleted_at IS NULL
            AND l.status IN ('pending', 'following', 'invalid'))
         OR (f.entity_type = 'customer' AND c.owner_id = ${caller.userId} AND c.deleted_at IS NULL)
         OR (f.entity_type = 'opportunity' AND o.owner_id = ${caller.userId} AND o.deleted_at IS NULL AND o.status = 'open'))
       AND NOT EXISTS (SELECT 1 FROM follow_ups later
                        WHERE later.tenant_id = f.tenant_id AND later.entity_type = f.entity_type
                          AND later.entity_id = f.entity_id AND later.created_at > f.created_at)
     ORDER BY f.next_at
     LIMIT 500`);
  return rows.map((r) => ({
    followUp: {
      id: r.id,
      entityType: r.entity_type,
      entityId: r.entity_id,
      authorId: r.author_id,
      authorName: r.author_name,
      type: r.type,
      content: r.content,
      result: r.result,
      nextAt: new Date(r.next_at).toISOString(),
      createdAt: new Date(r.created_at).toISOString(),
    },
    entityName: r.entity_name,
    overdue: r.overdue,
  }));
}

export function agendaRoutes(app: App, { db }: Deps): void {
  app.get('/agenda', {
    config: { auth: 'followup.create' },
    schema: {
      tags: ['follow-ups'],
      summary: "The caller's due and overdue follow-up plans",
      querystring: agendaQuery,
      response: { 200: agenda },
    },
    handler: async (req) => ({ items: await getAgenda(db.db, callerOf(req), req.query.until) }),
  });
}
