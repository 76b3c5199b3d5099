import { and, asc, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type {
  CreateFollowUpBody,
  CreateOpportunityBody,
  FollowUp,
  MoveStageBody,
  Opportunity,
  OpportunityListQuery,
  OpportunityStage,
  Page,
  PutStagesBody,
  StageChange,
  UpdateOpportunityBody,
} from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { findVisibleCustomer } from '../customers/customers.repo.ts';
import { addFollowUpRow } from '../followups/followups.repo.ts';
import { users } from '../org/org.table.ts';
import { requireWorker } from '../pool/ownership.ts';
import {
  findVisibleOpportunity,
  getOpportunityView,
  listOpportunities,
  listStages,
  opportunityListSort,
} from './opportunities.repo.ts';
import {
  opportunities,
  opportunityStageHistory,
  opportunityStages,
  type OpportunityRow,
} from './opportunities.table.ts';

function snapshot(o: OpportunityRow) {
  return {
    name: o.name,
    amount: o.amount,
    expectedCloseDate: o.expectedCloseDate,
    stage: o.stageKey,
    status: o.status,
    lostReason: o.lostReason,
    ownerId: o.ownerId,
  };
}

async function view(db: Db, scope: DataScope, id: string): Promise<Opportunity> {
  const o = await getOpportunityView(db, scope, id);
  if (!o) throw notFound('Opportunity');
  return o;
}

async function stageOf(db: Db | Tx, tenantId: string, key: string): Promise<OpportunityStage> {
  const stage = (await listStages(db, tenantId)).find((s) => s.key === key);
  if (!stage) throw invalid(`Unknown stage "${key}"`, { path: 'stage' });
  return stage;
}

async function lock(tx: Tx, scope: DataScope, id: string): Promise<OpportunityRow> {
  const o = await findVisibleOpportunity(tx, scope, id, { lock: true });
  if (!o) throw notFound('Opportunity');
  return o;
}

async function update(
  tx: Tx,
  id: string,
  set: PgUpdateSetSource<typeof opportunities>,
): Promise<OpportunityRow> {
  const [row] = await tx
    .update(opportunities)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(opportunities.id, id))
    .returning();
  if (!row) throw notFound('Opportunity');
  return row;
}

export async function getStages(db: Db, caller: Caller): Promise<{ items: OpportunityStage[] }> {
  return { items: await listStages(db, caller.tenantId) };
}

/**
 * Replaces a tenant's stage list. Exactly one won and one lost stage, at least
 * one open stage; a stage still used by an opportunity cannot disappear.
 */
export async function putStages(
  db: Db,
  caller: Caller,
  body: PutStagesBody,
): Promise<{ items: OpportunityStage[] }> {
  const count = (o: string) => body.stages.filter((s) => s.outcome === o).length;
  if (count('won') !== 1 || count('lost') !== 1 || count('open') < 1) {
    throw invalid(
      'Stages need at least one open stage, exactly one won and exactly one lost stage',
    );
  }
  const keys = body.stages.map((s) => s.key);
  if (new Set(keys).size !== keys.length) throw invalid('Stage keys must be unique');
  await db.transaction(async (tx) => {
    const before = await listStages(tx, caller.tenantId);
    const used = await tx.execute<{ stage_key: string }>(sql`
      SELECT DISTINCT stage_key FROM opportunities WHERE tenant_id = ${caller.tenantId} AND deleted_at IS NULL`);
    const missing = used.rows.map((r) => r.stage_key).filter((k) => !keys.includes(k));
    if (missing.length > 0) {
      throw conflict(`Stages still in use cannot be removed: ${missing.join(', ')}`, {
        inUse: missing,
      });
    }
    await tx.delete(opportunityStages).where(eq(opportunityStages.tenantId, caller.tenantId));
    await tx
      .insert(opportunityStages)
      .values(body.stages.map((s, i) => ({ ...s, tenantId: caller.tenantId, position: i + 1 })));
    await audit(tx, caller, {
      entity: 'opportunity_stages',
      entityId: caller.tenantId,
      action: 'update',
      changes: { stages: { before, after: body.stages } },
    });
  });
  return getStages(db, caller);
}

export async function listOpportunityPage(
  db: Db,
  caller: Caller,
  q: OpportunityListQuery,
): Promise<Page<Opportunity>> {
  const scope = await buildScope(db, caller);
  const sort = opportunityListSort(q.sort);
  return { ...(await listOpportunities(db, scope, q, sort)), page: q.page, pageSize: q.pageSize };
}

export async function getOpportunity(db: Db, caller: Caller, id: string): Promise<Opportunity> {
  return view(db, await buildScope(db, caller), id);
}

/** Inserts an opportunity for a customer the caller works; used by creation and lead conversion. */
export async function insertOpportunity(
  tx: Tx,
  caller: Caller,
  body: CreateOpportunityBody,
  ownerId: string | null,
): Promise<string> {
  const stages = await listStages(tx, caller.tenantId);
  const stage = body.stage
    ? stages.find((s) => s.key === body.stage)
    : stages.find((s) => s.outcome === 'open');
  if (!stage) throw invalid(`Unknown stage "${body.stage ?? ''}"`, { path: 'stage' });
  if (stage.outcome !== 'open')
    throw invalid('A new opportunity starts in an open stage', { path: 'stage' });
  const [row] = await tx
    .insert(opportunities)
    .values({
      tenantId: caller.tenantId,
      customerId: body.customerId,
      name: body.name,
      amount: body.amount ?? null,
      expectedCloseDate: body.expectedCloseDate ?? null,
      stageKey: stage.key,
      probability: stage.probability,
      status: 'open',
      ownerId,
      createdBy: caller.userId,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await tx.insert(opportunityStageHistory).values({
    tenantId: caller.tenantId,
    opportunityId: row.id,
    fromStage: null,
    toStage: stage.key,
    actorId: caller.userId,
  });
  await audit(tx, caller, {
    entity: 'opportunity',
    entityId: row.id,
    action: 'create',
    after: snapshot(row),
  });
  return row.id;
}

export async function createOpportunity(
  db: Db,
  caller: Caller,
  body: CreateOpportunityBody,
): Promise<Opportunity> {
  const scope = await buildScope(db, caller);
  const id = await db.transaction(async (tx) => {
    const customer = await findVisibleCustomer(tx, scope, body.customerId, { lock: true });
    // An unseen customer reads as a missing one (SPEC §1): ids leak nothing.
    if (!customer) throw new AppError('NOT_FOUND', 'Customer not found', { path: 'customerId' });
    if (!customer.ownerId)
      throw new AppError('BUSINESS_RULE', 'Claim the customer before adding opportunities');
    requireWorker(caller, scope, 'customer', customer.ownerId);
    // The opportunity belongs to whoever owns the customer.
    return insertOpportunity(tx, caller, body, customer.ownerId);
  });
  return view(db, scope, id);
}

export async function updateOpportunity(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateOpportunityBody,
): Promise<Opportunity> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const o = await lock(tx, scope, id);
    requireWorker(caller, scope, 'opportunity', o.ownerId);
    const after = await update(tx, id, body);
    await audit(tx, caller, {
      entity: 'opportunity',
      entityId: id,
      action: 'update',
      before: snapshot(o),
      after: snapshot(after),
    });
  });
  return view(db, scope, id);
}

/** Moves through the stages: into won or lost closes it (lost with a reason); an open stage reopens it. */
export async function moveStage(
  db: Db,
  caller: Caller,
  id: string,
  body: MoveStageBody,
): Promise<Opportunity> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const o = await lock(tx, scope, id);
    requireWorker(caller, scope, 'opportunity', o.ownerId);
    const stage = await stageOf(tx, caller.tenantId, body.stage);
    if (stage.key === o.stageKey)
      throw conflict(`The opportunity is already in stage ${stage.name}`);
    if (stage.outcome === 'lost' && !body.lostReason) {
      throw invalid('A lost opportunity needs a reason', { path: 'lostReason' });
    }
    const after = await update(tx, id, {
      stageKey: stage.key,
      probability: stage.probability,
      status: stage.outcome,
      lostReason: stage.outcome === 'lost' ? (body.lostReason ?? null) : null,
      closedAt: stage.outcome === 'open' ? null : sql`now()`,
    });
    await tx.insert(opportunityStageHistory).values({
      tenantId: caller.tenantId,
      opportunityId: id,
      fromStage: o.stageKey,
      toStage: stage.key,
      actorId: caller.userId,
    });
    await audit(tx, caller, {
      entity: 'opportunity',
      entityId: id,
      action: 'status',
      before: snapshot(o),
      after: snapshot(after),
    });
  });
  return view(db, scope, id);
}

export async function stageHistory(
  db: Db,
  caller: Caller,
  id: string,
): Promise<{ items: StageChange[] }> {
  const scope = await buildScope(db, caller);
  if (!(await findVisibleOpportunity(db, scope, id))) throw notFound('Opportunity');
  const rows = await db
    .select({ h: opportunityStageHistory, actorName: users.displayName })
    .from(opportunityStageHistory)
    .leftJoin(users, eq(users.id, opportunityStageHistory.actorId))
    .where(
      and(
        eq(opportunityStageHistory.tenantId, caller.tenantId),
        eq(opportunityStageHistory.opportunityId, id),
      ),
    )
    .orderBy(asc(opportunityStageHistory.at));
  return {
    items: rows.map(({ h, actorName }) => ({
      fromStage: h.fromStage,
      toStage: h.toStage,
      actorName,
      at: h.at.toISOString(),
    })),
  };
}

export async function addOpportunityFollowUp(
  db: Db,
  caller: Caller,
  id: string,
  body: CreateFollowUpBody,
): Promise<FollowUp> {
  const scope = await buildScope(db, caller);
  return db.transaction(async (tx) => {
    const o = await lock(tx, scope, id);
    requireWorker(caller, scope, 'opportunity', o.ownerId);
    const fu = await addFollowUpRow(tx, caller, 'opportunity', id, body);
    await update(tx, id, {});
    return fu;
  });
}

export async function deleteOpportunity(db: Db, caller: Caller, id: string): Promise<void> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const o = await lock(tx, scope, id);
    await update(tx, id, { deletedAt: sql`now()`, deletedBy: caller.userId });
    await audit(tx, caller, {
      entity: 'opportunity',
      entityId: id,
      action: 'delete',
      before: snapshot(o),
    });
  });
}

/**
 * Open opportunities follow their customer: to the colleague taking over, or
 * ownerless with a customer returned to the pool until someone claims it.
 */
export async function transferOpportunitiesOnDeparture(
  tx: Tx,
  actor: Actor,
  from: string,
  to: string,
): Promise<void> {
  const newOwner = to === 'pool' ? null : to;
  const moved = await tx.execute<{ id: string }>(sql`
    UPDATE opportunities SET owner_id = ${newOwner}::uuid, updated_at = now()
     WHERE tenant_id = ${actor.tenantId} AND owner_id = ${from} AND status = 'open' AND deleted_at IS NULL
    RETURNING id`);
  if (moved.rows.length > 0) {
    await audit(tx, actor, {
      entity: 'user',
      entityId: from,
      action: 'transfer',
      changes: { opportunities: { before: moved.rows.length, after: to } },
    });
  }
}

/** A customer claimed from the pool brings its ownerless open opportunities to the claimer. */
export async function adoptOpenOpportunities(
  tx: Tx,
  tenantId: string,
  customerId: string,
  ownerId: string,
): Promise<void> {
  await tx.execute(sql`
    UPDATE opportunities SET owner_id = ${ownerId}, updated_at = now()
     WHERE tenant_id = ${tenantId} AND customer_id = ${customerId} AND owner_id IS NULL AND status = 'open'`);
}
