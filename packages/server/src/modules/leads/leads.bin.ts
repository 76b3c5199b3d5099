import { eq, sql } from 'drizzle-orm';
import type { Lead } from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { findVisibleLead } from './leads.repo.ts';
import { lockLead, snapshot, updateLeadRow, view } from './leads.service.ts';
import { leads } from './leads.table.ts';

/** The recycle bin of leads and the departure transfer: writes outside the life cycle. */

/** DELETE moves a lead to the recycle bin; only an admin's purge removes it (SPEC §1). */
export async function deleteLead(db: Db, caller: Caller, id: string): Promise<void> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    await updateLeadRow(tx, id, { deletedAt: sql`now()`, deletedBy: caller.userId });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'delete',
      before: { deletedAt: null },
      after: { deletedAt: 'recycle bin', status: lead.status },
    });
  });
}

export async function restoreDeletedLead(db: Db, caller: Caller, id: string): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await findVisibleLead(tx, scope, id, { deleted: true, lock: true });
    if (!lead) throw notFound('Deleted lead');
    await updateLeadRow(tx, id, { deletedAt: null, deletedBy: null });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'restore',
      before: { deletedAt: lead.deletedAt },
      after: { deletedAt: null },
    });
  });
  return view(db, scope, id);
}

export async function purgeLead(db: Db, caller: Caller, id: string): Promise<void> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await findVisibleLead(tx, scope, id, { deleted: true, lock: true });
    if (!lead) throw notFound('Deleted lead');
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'purge',
      before: snapshot(lead),
    });
    await tx.execute(
      sql`DELETE FROM follow_ups WHERE tenant_id = ${caller.tenantId} AND entity_type = 'lead' AND entity_id = ${id}`,
    );
    await tx.delete(leads).where(eq(leads.id, id));
  });
}

/**
 * A departing user's leads go to a colleague (same status) or back to the pool,
 * set-based, each change of hands written to the handover history.
 */
export async function transferLeadsOnDeparture(
  tx: Tx,
  actor: Actor,
  from: string,
  to: string,
): Promise<void> {
  const toPool = to === 'pool';
  const newOwner = toPool ? null : to;
  // One statement: the owners change and their handover rows are written together.
  const moved = await tx.execute<{ id: string }>(sql`
    WITH moved AS (
      UPDATE leads SET
        owner_id = ${newOwner}::uuid,
        status = CASE WHEN ${toPool} THEN 'unassigned' ELSE status END,
        pool_id = coalesce(pool_id, (SELECT id FROM pools WHERE tenant_id = ${actor.tenantId} AND is_default)),
        claimed_at = CASE WHEN ${toPool} THEN NULL ELSE now() END,
        updated_at = now()
      WHERE tenant_id = ${actor.tenantId} AND owner_id = ${from}
        AND status IN ('pending', 'following', 'invalid') AND deleted_at IS NULL
      RETURNING id, pool_id)
    INSERT INTO handovers (tenant_id, entity, entity_id, action, from_user_id, to_user_id, pool_id, reason, actor_id)
    SELECT ${actor.tenantId}, 'lead', id, 'transfer', ${from}::uuid, ${newOwner}::uuid, pool_id, 'owner deactivated', ${actor.userId}::uuid
      FROM moved
    RETURNING entity_id AS id`);
  if (moved.rows.length > 0) {
    await audit(tx, actor, {
      entity: 'user',
      entityId: from,
      action: 'transfer',
      changes: { leads: { before: moved.rows.length, after: toPool ? 'pool' : to } },
    });
  }
}
