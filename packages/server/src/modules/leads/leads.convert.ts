import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ConvertLeadBody, ConvertLeadResult, CreateCustomerBody } from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { getContactView, getCustomerView } from '../customers/customers.repo.ts';
import { customerMatchInput, insertCustomer } from '../customers/customers.service.ts';
import { contacts, customers } from '../customers/customers.table.ts';
import { customerNormalised, phoneE164 } from '../dedupe/normalised.ts';
import { getRules, matchUnderRule } from '../dedupe/rules.ts';
import { recordHandover } from '../handovers/handovers.repo.ts';
import { getOpportunityView } from '../opportunities/opportunities.repo.ts';
import {
  adoptOpenOpportunities,
  insertOpportunity,
} from '../opportunities/opportunities.service.ts';
import { defaultPoolId, requireWorker } from '../pool/ownership.ts';
import { getSettings } from '../tenants/settings.ts';
import { getLeadView } from './leads.repo.ts';
import { checkTransition, lockLead, snapshot, updateLeadRow } from './leads.service.ts';
import type { LeadRow } from './leads.table.ts';

/**
 * The customer a converted lead links to instead of a new one, when the
 * tenant checks duplicates on create: the best identity-key or same-name
 * match. A public one is claimed for the lead's owner; one owned by somebody
 * the caller does not manage is refused, naming its owner.
 */
async function existingCustomer(
  tx: Tx,
  caller: Caller,
  scope: DataScope,
  lead: LeadRow,
  body: CreateCustomerBody,
): Promise<string | null> {
  // The customer rule decides which keys count, as for any new customer.
  const rule = (await getRules(tx, caller.tenantId)).customer;
  const matches = await matchUnderRule(
    tx,
    scope,
    'customer',
    rule,
    customerMatchInput({ ...body, phone: lead.phone, address: lead.address }),
  );
  const best = matches.find((m) => m.level === 'exact' || m.level === 'likely');
  if (!best) return null;
  const [c] = await tx.select().from(customers).where(eq(customers.id, best.id)).for('update');
  if (!c) return null;
  if (!c.ownerId) {
    const owner = lead.ownerId ?? caller.userId;
    const [won] = await tx
      .update(customers)
      .set({ ownerId: owner, claimedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(customers.id, c.id), isNull(customers.ownerId)))
      .returning();
    if (!won)
      throw new AppError(
        'CONFLICT',
        `The matching customer ${c.name} was just claimed by someone else`,
      );
    await adoptOpenOpportunities(tx, caller.tenantId, c.id, owner);
    await recordHandover(tx, caller, {
      entity: 'customer',
      entityId: c.id,
      action: 'claim',
      fromUserId: null,
      toUserId: owner,
      poolId: c.poolId,
      reason: 'lead conversion',
    });
    await audit(tx, caller, {
      entity: 'customer',
      entityId: c.id,
      action: 'claim',
      before: { ownerId: null },
      after: { ownerId: owner },
    });
    return c.id;
  }
  if (
    !best.visible ||
    (c.ownerId !== lead.ownerId && c.ownerId !== caller.userId && scope.reach.customer === 'own')
  ) {
    throw new AppError(
      'CONFLICT',
      `This lead matches the customer ${c.name}, which belongs to ${best.ownerName ?? 'another rep'}`,
      {
        customerName: c.name,
        ownerId: c.ownerId,
        ownerName: best.ownerName,
        reasons: best.reasons,
      },
    );
  }
  return c.id;
}

/**
 * Converts a lead (SPEC §2) in one transaction: a customer (new, or the
 * existing one the duplicate check finds), optionally a contact and an
 * opportunity; the lead becomes `converted` and points at the customer.
 */
export async function convertLead(
  db: Db,
  caller: Caller,
  id: string,
  body: ConvertLeadBody,
): Promise<ConvertLeadResult> {
  const scope = await buildScope(db, caller);
  const settings = await getSettings(db, caller.tenantId);
  const result = await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    requireWorker(caller, scope, 'lead', lead.ownerId);
    checkTransition('convert', lead);
    const name = body.customer?.name ?? lead.company ?? lead.contactName;
    if (!name)
      throw new AppError(
        'VALIDATION_FAILED',
        'The lead has no company or contact name; give the customer a name',
        { path: 'customer.name' },
      );
    const customerBody: CreateCustomerBody = {
      name,
      kind: body.customer?.kind ?? (lead.company ? 'company' : 'person'),
      creditCode: body.customer?.creditCode ?? null,
      industry: body.customer?.industry ?? null,
      size: body.customer?.size ?? null,
      phone: lead.phone,
      address: lead.address,
      source: lead.source,
    };
    const normalised = customerNormalised(customerBody);
    const linked = settings.duplicateCheckOnCreate
      ? await existingCustomer(tx, caller, scope, lead, customerBody)
      : null;
    const customerId =
      linked ??
      (
        await insertCustomer(
          tx,
          caller,
          customerBody,
          normalised,
          lead.ownerId ?? caller.userId,
          lead.poolId ?? (await defaultPoolId(tx, caller.tenantId)),
        )
      ).id;
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId));
    if (!customer) throw notFound('Customer');

    let contactId: string | undefined;
    const wantsContact = body.createContact ?? Boolean(lead.contactName);
    if (wantsContact) {
      if (!lead.contactName)
        throw new AppError(
          'VALIDATION_FAILED',
          'The lead has no contact name to create a contact from',
          { path: 'createContact' },
        );
      const phone = phoneE164(lead.phone);
      const [known] = phone
        ? await tx
            .select({ id: contacts.id })
            .from(contacts)
            .where(
              and(
                eq(contacts.customerId, customerId),
                eq(contacts.phoneE164, phone),
                isNull(contacts.deletedAt),
              ),
            )
        : [];
      if (known) contactId = known.id;
      else {
        const [row] = await tx
          .insert(contacts)
          .values({
            tenantId: caller.tenantId,
            customerId,
            name: lead.contactName,
            phone: lead.phone,
            phoneE164: phone,
            email: lead.email,
          })
          .returning({ id: contacts.id });
        contactId = row?.id;
        if (contactId)
          await audit(tx, caller, {
            entity: 'contact',
            entityId: contactId,
            action: 'create',
            after: { customerId, name: lead.contactName, phone: lead.phone },
          });
      }
    }
    const opportunityId = body.opportunity
      ? await insertOpportunity(tx, caller, { ...body.opportunity, customerId }, customer.ownerId)
      : undefined;

    const after = await updateLeadRow(tx, id, {
      status: 'converted',
      convertedCustomerId: customerId,
      convertedAt: sql`now()`,
    });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'status',
      before: snapshot(lead),
      after: snapshot(after),
      changes: {
        convertedCustomerId: { before: null, after: customerId },
        linkedExisting: { before: null, after: linked !== null },
      },
    });
    return { customerId, contactId, opportunityId, linkedExisting: linked !== null };
  });
  const [lead, customer, contact, opportunity] = await Promise.all([
    getLeadView(db, scope, id),
    getCustomerView(db, scope, result.customerId),
    result.contactId ? getContactView(db, scope, result.contactId) : undefined,
    result.opportunityId ? getOpportunityView(db, scope, result.opportunityId) : undefined,
  ]);
  if (!lead || !customer) throw notFound('Converted lead');
  return {
    lead,
    customer,
    ...(contact ? { contact } : {}),
    ...(opportunity ? { opportunity } : {}),
    linkedExisting: result.linkedExisting,
  };
}
