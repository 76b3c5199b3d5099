import { and, asc, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import {
  createAnyFollowUpBody,
  followUp,
  followUpListQuery,
  followUpSortFields,
  idParams,
  pageOf,
  type CreateAnyFollowUpBody,
  type FollowUp,
  type FollowUpListQuery,
  type Page,
  type UpdateFollowUpBody,
  updateFollowUpBody,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { buildScope, type DataScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { audit } from '../../platform/audit.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { countRows, parseSort } from '../../platform/paging.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { addCustomerFollowUp } from '../customers/customers.service.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';
import { addLeadFollowUp } from '../leads/leads.service.ts';
import { opportunitiesVisibleTo } from '../opportunities/opportunities.repo.ts';
import { addOpportunityFollowUp } from '../opportunities/opportunities.service.ts';
import { users } from '../org/org.table.ts';
import { followUps } from './followups.table.ts';

/** A follow-up is visible exactly when the record it is about is. */
function followUpsVisibleTo(scope: DataScope): SQL {
  return sql`(
    (${followUps.entityType} = 'lead' AND ${followUps.entityId} IN (SELECT leads.id FROM leads WHERE leads.deleted_at IS NULL AND ${leadsVisibleTo(scope)}))
    OR (${followUps.entityType} = 'customer' AND ${followUps.entityId} IN (SELECT customers.id FROM customers WHERE customers.deleted_at IS NULL AND ${customersVisibleTo(scope)}))
    OR (${followUps.entityType} = 'opportunity' AND ${followUps.entityId} IN (SELECT opportunities.id FROM opportunities WHERE opportunities.deleted_at IS NULL AND ${opportunitiesVisibleTo(scope)}))
  )`;
}

const columns = { ...getTableColumns(followUps), authorName: users.displayName };
type Row = typeof followUps.$inferSelect & { authorName: string | null };

function toFollowUp(r: Row): FollowUp {
  return {
    id: r.id,
    entityType: r.entityType,
    entityId: r.entityId,
    authorId: r.authorId,
    authorName: r.authorName,
    type: r.type,
    content: r.content,
    result: r.result,
    nextAt: r.nextAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

async function listFollowUps(
  db: Db,
  caller: Caller,
  q: FollowUpListQuery,
): Promise<Page<FollowUp>> {
  const scope = await buildScope(db, caller);
  const sort = parseSort(q.sort, followUpSortFields, '-createdAt');
  const where = and(
    eq(followUps.tenantId, caller.tenantId),
    followUpsVisibleTo(scope),
    q.entityType ? eq(followUps.entityType, q.entityType) : undefined,
    q.entityId ? eq(followUps.entityId, q.entityId) : undefined,
    q.authorId ? eq(followUps.authorId, q.authorId) : undefined,
    q.type?.length ? inArray(followUps.type, q.type) : undefined,
  );
  const col = sort.field === 'nextAt' ? followUps.nextAt : followUps.createdAt;
  const [rows, count] = await Promise.all([
    db
      .select(columns)
      .from(followUps)
      .leftJoin(users, eq(users.id, followUps.authorId))
      .where(where)
      .orderBy(sort.descending ? desc(col) : asc(col), asc(followUps.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countRows(
      db,
      db
        .select({ one: sql`1` })
        .from(followUps)
        .where(where),
    ),
  ]);
  return { items: rows.map(toFollowUp), ...count, page: q.page, pageSize: q.pageSize };
}

async function getFollowUp(db: Db, caller: Caller, id: string): Promise<FollowUp> {
  const scope = await buildScope(db, caller);
  const [row] = await db
    .select(columns)
    .from(followUps)
    .leftJoin(users, eq(users.id, followUps.authorId))
    .where(
      and(eq(followUps.id, id), eq(followUps.tenantId, caller.tenantId), followUpsVisibleTo(scope)),
    );
  if (!row) throw notFound('Follow-up');
  return toFollowUp(row);
}

/**
 * Corrects a follow-up: its author may, and so may a manager or admin who sees
 * the record; the change is audited with its before and after.
 */
async function updateFollowUp(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateFollowUpBody,
): Promise<FollowUp> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(followUps)
      .where(
        and(
          eq(followUps.id, id),
          eq(followUps.tenantId, caller.tenantId),
          followUpsVisibleTo(scope),
        ),
      )
      .for('update');
    if (!row) throw notFound('Follow-up');
    const kind = row.entityType;
    if (
      row.authorId !== caller.userId &&
      scope.reach[kind] !== 'subtree' &&
      scope.reach[kind] !== 'tenant'
    ) {
      throw forbidden('Only the author of a follow-up or their manager may change it');
    }
    const set = {
      ...(body.content === undefined ? {} : { content: body.content }),
      ...(body.result === undefined ? {} : { result: body.result }),
      ...(body.nextAt === undefined ? {} : { nextAt: body.nextAt ? new Date(body.nextAt) : null }),
    };
    const [after] = await tx.update(followUps).set(set).where(eq(followUps.id, id)).returning();
    await audit(tx, caller, {
      entity: 'follow_up',
      entityId: id,
      action: 'update',
      before: { content: row.content, result: row.result, nextAt: row.nextAt },
      after: { content: after?.content, result: after?.result, nextAt: after?.nextAt },
    });
  });
  return getFollowUp(db, caller, id);
}

/** The one entry point that routes a follow-up to its record's own rules. */
function addFollowUp(db: Db, caller: Caller, body: CreateAnyFollowUpBody): Promise<FollowUp> {
  const { entityType, entityId, ...rest } = body;
  switch (entityType) {
    case 'lead':
      return addLeadFollowUp(db, caller, entityId, rest);
    case 'customer':
      return addCustomerFollowUp(db, caller, entityId, rest);
    case 'opportunity':
      return addOpportunityFollowUp(db, caller, entityId, rest);
  }
}

export function followUpsRoutes(app: App, { db }: Deps): void {
  const tags = ['follow-ups'];
  app.get('/follow-ups', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'Follow-ups on records the caller may see',
      querystring: followUpListQuery,
      response: { 200: pageOf(followUp) },
    },
    handler: (req) => listFollowUps(db.db, callerOf(req), req.query),
  });
  app.get('/follow-ups/:id', {
    config: { auth: 'authenticated' },
    schema: { tags, summary: 'Get a follow-up', params: idParams, response: { 200: followUp } },
    handler: (req) => getFollowUp(db.db, callerOf(req), req.params.id),
  });
  app.patch('/follow-ups/:id', {
    config: { auth: 'followup.create' },
    schema: {
      tags,
      summary: 'Correct a follow-up (its author or their manager)',
      params: idParams,
      body: updateFollowUpBody,
      response: { 200: followUp },
    },
    handler: (req) => updateFollowUp(db.db, callerOf(req), req.params.id, req.body),
  });
  app.post('/follow-ups', {
    config: { auth: 'followup.create' },
    schema: {
      tags,
      summary: 'Log a follow-up on a lead, customer or opportunity',
      body: createAnyFollowUpBody,
      response: { 201: followUp },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await addFollowUp(db.db, callerOf(req), req.body)),
  });
}
