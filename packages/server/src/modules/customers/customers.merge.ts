import { and, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Customer, MergeCustomerBody } from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { auditMerge, lockMergePair, takenFields } from '../dedupe/merge.ts';
import { customerNormalised } from '../dedupe/normalised.ts';
import { requireWorker } from '../pool/ownership.ts';
import { findVisibleCustomer, getCustomerView } from './customers.repo.ts';
import { customers } from './customers.table.ts';

/**
 * Merges another customer into this one (the survivor) in one transaction:
 * contacts, opportunities (the open ones to the survivor's owner, closed ones
 * keep the owner who won or lost them), follow-ups, handovers and converted
 * leads of the other move over; the fields the user chose come from the other record; the
 * other stays, deleted, pointing at the survivor. Nothing is lost: its audit
 * history stays under its id and shows on the survivor's timeline.
 */
export async function mergeCustomers(
  db: Db,
  caller: Caller,
  survivorId: string,
  body: MergeCustomerBody,
): Promise<Customer> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const { survivor, other } = await lockMergePair(
      (id) => findVisibleCustomer(tx, scope, id, { lock: true }),
      survivorId,
      body.otherId,
      'customer',
    );
    requireWorker(caller, scope, 'customer', survivor.ownerId);
    requireWorker(caller, scope, 'customer', other.ownerId);

    const takes = new Set(body.takeFromOther);
    const taken: PgUpdateSetSource<typeof customers> = takenFields(other, body.takeFromOther);
    // Normalised columns follow the raw values taken over.
    const normalised = customerNormalised({
      ...(takes.has('name') ? { name: other.name } : {}),
      ...(takes.has('phone') ? { phone: other.phone } : {}),
      ...(takes.has('creditCode') ? { creditCode: other.creditCode } : {}),
      ...(takes.has('idNumber') ? { idNumber: other.idNumber } : {}),
      ...(takes.has('address') ? { address: other.address } : {}),
    });
    await tx
      .update(customers)
      .set({ ...taken, ...normalised, updatedAt: sql`now()` })
      .where(eq(customers.id, survivor.id));
    const moved = async (statement: ReturnType<typeof sql>) =>
      (await tx.execute(statement)).rowCount ?? 0;
    const counts = {
      contacts: await moved(
        sql`UPDATE contacts SET customer_id = ${survivor.id}, updated_at = now() WHERE customer_id = ${other.id}`,
      ),
      opportunities: await moved(
        sql`UPDATE opportunities SET customer_id = ${survivor.id}, updated_at = now(),
            owner_id = CASE WHEN status = 'open' THEN ${survivor.ownerId}::uuid ELSE owner_id END
          WHERE customer_id = ${other.id}`,
      ),
      followUps: await moved(
        sql`UPDATE follow_ups SET entity_id = ${survivor.id} WHERE entity_type = 'customer' AND entity_id = ${other.id}`,
      ),
      handovers: await moved(
        sql`UPDATE handovers SET entity_id = ${survivor.id} WHERE entity = 'customer' AND entity_id = ${other.id}`,
      ),
      leads: await moved(
        sql`UPDATE leads SET converted_customer_id = ${survivor.id} WHERE converted_customer_id = ${other.id}`,
      ),
      // Anything merged into the other before now points at the survivor.
      merged: await moved(
        sql`UPDATE customers SET merged_into = ${survivor.id} WHERE merged_into = ${other.id}`,
      ),
    };
    await tx
      .update(customers)
      .set({
        mergedInto: survivor.id,
        mergedAt: sql`now()`,
        deletedAt: sql`now()`,
        deletedBy: caller.userId,
        updatedAt: sql`now()`,
      })
      .where(and(eq(customers.id, other.id), eq(customers.tenantId, caller.tenantId)));
    await auditMerge(tx, caller, 'customer', survivor, other, body.takeFromOther, counts);
  });
  const view = await getCustomerView(db, scope, survivorId);
  if (!view) throw new AppError('NOT_FOUND', 'Customer not found');
  return view;
}

/** The survivor a merged-away customer points at, when the caller may see it. */
export async function mergedPointer(db: Db, caller: Caller, id: string): Promise<string | null> {
  const [row] = await db
    .select({ mergedInto: customers.mergedInto })
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.tenantId, caller.tenantId)));
  if (!row?.mergedInto) return null;
  const survivor = await findVisibleCustomer(db, await buildScope(db, caller), row.mergedInto);
  return survivor ? survivor.id : null;
}
