import { and, eq, sql } from 'drizzle-orm';
import type { Lead, MergeLeadBody } from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditMerge, lockMergePair, takenFields } from '../dedupe/merge.ts';
import { leadNormalised } from '../dedupe/normalised.ts';
import { requireWorker } from '../pool/ownership.ts';
import { findVisibleLead, getLeadView } from './leads.repo.ts';
import { leads } from './leads.table.ts';

/**
 * Merges another lead into this one (the survivor) in one transaction: the
 * other's follow-ups and handovers move over, the fields the user chose come
 * from it, and it stays, deleted, pointing at the survivor; its audit history
 * stays under its id and shows on the survivor's timeline. A converted lead is
 * the history of a customer: merge the customers instead.
 */
export async function mergeLeads(
  db: Db,
  caller: Caller,
  survivorId: string,
  body: MergeLeadBody,
): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const { survivor, other } = await lockMergePair(
      (id) => findVisibleLead(tx, scope, id, { lock: true }),
      survivorId,
      body.otherId,
      'lead',
    );
    requireWorker(caller, scope, 'lead', survivor.ownerId);
    requireWorker(caller, scope, 'lead', other.ownerId);
    for (const l of [survivor, other])
      if (l.status === 'converted')
        throw new AppError(
          'BUSINESS_RULE',
          `The lead ${l.company ?? l.contactName ?? l.id} is converted; merge its customer instead`,
          { id: l.id, status: l.status },
        );
    const taken = takenFields(other, body.takeFromOther);
    await tx
      .update(leads)
      .set({ ...taken, ...leadNormalised(taken), updatedAt: sql`now()` })
      .where(eq(leads.id, survivor.id));
    const moved = async (statement: ReturnType<typeof sql>) =>
      (await tx.execute(statement)).rowCount ?? 0;
    const counts = {
      followUps: await moved(
        sql`UPDATE follow_ups SET entity_id = ${survivor.id} WHERE entity_type = 'lead' AND entity_id = ${other.id}`,
      ),
      handovers: await moved(
        sql`UPDATE handovers SET entity_id = ${survivor.id} WHERE entity = 'lead' AND entity_id = ${other.id}`,
      ),
      merged: await moved(
        sql`UPDATE leads SET merged_into = ${survivor.id} WHERE merged_into = ${other.id}`,
      ),
    };
    // The survivor keeps the latest follow-up of the two.
    await tx.execute(
      sql`UPDATE leads SET last_follow_up_at = greatest(last_follow_up_at, ${other.lastFollowUpAt})
           WHERE id = ${survivor.id}`,
    );
    await tx
      .update(leads)
      .set({
        mergedInto: survivor.id,
        mergedAt: sql`now()`,
        deletedAt: sql`now()`,
        deletedBy: caller.userId,
        updatedAt: sql`now()`,
      })
      .where(and(eq(leads.id, other.id), eq(leads.tenantId, caller.tenantId)));
    await auditMerge(tx, caller, 'lead', survivor, other, body.takeFromOther, counts);
  });
  const view = await getLeadView(db, scope, survivorId);
  if (!view) throw notFound('Lead');
  return view;
}

/** The survivor a merged-away lead points at, when the caller may see it. */
export async function mergedLeadPointer(
  db: DbOrTx,
  caller: Caller,
  id: string,
): Promise<string | null> {
  const [row] = await db
    .select({ mergedInto: leads.mergedInto })
    .from(leads)
    .where(and(eq(leads.id, id), eq(leads.tenantId, caller.tenantId)));
  if (!row?.mergedInto) return null;
  const survivor = await findVisibleLead(db, await buildScope(db, caller), row.mergedInto);
  return survivor ? survivor.id : null;
}

/** Ids of the leads merged into this one, whose history shows on its timeline. */
export async function mergedLeadIds(db: DbOrTx, id: string): Promise<string[]> {
  const rows = await db.select({ id: leads.id }).from(leads).where(eq(leads.mergedInto, id));
  return rows.map((r) => r.id);
}
