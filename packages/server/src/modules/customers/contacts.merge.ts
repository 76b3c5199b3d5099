import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Contact, MergeContactBody } from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { auditMerge, lockMergePair, takenFields } from '../dedupe/merge.ts';
import { phoneE164 } from '../dedupe/normalised.ts';
import { requireWorker } from '../pool/ownership.ts';
import { contactsVisibleTo, findVisibleCustomer, getContactView } from './customers.repo.ts';
import { contacts, type ContactRow } from './customers.table.ts';

async function lockVisibleContact(
  tx: Tx,
  scope: DataScope,
  id: string,
): Promise<ContactRow | undefined> {
  const [row] = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt), contactsVisibleTo(scope)))
    .for('update');
  return row;
}

/**
 * Merges another contact into this one (the survivor) in one transaction: the
 * fields the user chose come from the other, which stays, deleted, pointing at
 * the survivor; its audit history stays under its id. The two may belong to
 * different customers (a person who moved): the caller must work on both.
 */
export async function mergeContacts(
  db: Db,
  caller: Caller,
  survivorId: string,
  body: MergeContactBody,
): Promise<Contact> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const { survivor, other } = await lockMergePair(
      (id) => lockVisibleContact(tx, scope, id),
      survivorId,
      body.otherId,
      'contact',
    );
    for (const c of [survivor, other]) {
      const customer = await findVisibleCustomer(tx, scope, c.customerId);
      if (!customer) throw notFound('Customer');
      requireWorker(caller, scope, 'customer', customer.ownerId);
    }
    const taken = takenFields(other, body.takeFromOther);
    await tx
      .update(contacts)
      .set({
        ...taken,
        ...(taken.phone === undefined ? {} : { phoneE164: phoneE164(taken.phone) }),
        updatedAt: sql`now()`,
      })
      .where(eq(contacts.id, survivor.id));
    const merged = await tx.execute(
      sql`UPDATE contacts SET merged_into = ${survivor.id} WHERE merged_into = ${other.id}`,
    );
    await tx
      .update(contacts)
      .set({
        mergedInto: survivor.id,
        mergedAt: sql`now()`,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(contacts.id, other.id), eq(contacts.tenantId, caller.tenantId)));
    await auditMerge(tx, caller, 'contact', survivor, other, body.takeFromOther, {
      merged: merged.rowCount ?? 0,
    });
  });
  const view = await getContactView(db, scope, survivorId);
  if (!view) throw notFound('Contact');
  return view;
}

/** The survivor a merged-away contact points at, when the caller may see it. */
export async function mergedContactPointer(
  db: DbOrTx,
  caller: Caller,
  id: string,
): Promise<string | null> {
  const [row] = await db
    .select({ mergedInto: contacts.mergedInto })
    .from(contacts)
    .where(and(eq(contacts.id, id), eq(contacts.tenantId, caller.tenantId)));
  if (!row?.mergedInto) return null;
  const survivor = await getContactView(db, await buildScope(db, caller), row.mergedInto);
  return survivor ? survivor.id : null;
}
