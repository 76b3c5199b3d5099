import { and, eq, isNull, sql } from 'drizzle-orm';
import type {
  ConvertLeadBody,
  ConvertLeadResult,
  CreateCustomerBody,
  DuplicateMatch,
} from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { getContactView, getCustomerView } from '../customers/customers.repo.ts';
import {
  claimCustomerIn,
  customerMatchInput,
  insertCustomer,
} from '../customers/customers.service.ts';
import { contacts, customers } from '../customers/customers.table.ts';
import { customerNormalised, phoneE164 } from '../dedupe/normalised.ts';
import { getRules, matchUnderRule } from '../dedupe/rules.ts';
import { getOpportunityView } from '../opportunities/opportunities.repo.ts';
import { users } from '../org/org.table.ts';
import { insertOpportunity } from '../opportunities/opportunities.service.ts';
import { notify } from '../pool/notifications.ts';
import { defaultPoolId, requireWorker } from '../pool/ownership.ts';
import { getSettings } from '../tenants/settings.ts';
import { getLeadView } from './leads.repo.ts';
import { checkTransition, lockLead, snapshot, updateLeadRow } from './leads.service.ts';
import type { LeadRow } from './leads.table.ts';

/** How a conversion came to its customer. */
type Outcome =
  /** A customer the lead's rep already owns. */
  | { kind: 'own'; id: string }
  /** A public customer, claimed for the lead's rep through the pool's claim. */
  | { kind: 'claimed'; id: string }
  /** A colleague's customer: it keeps its owner, who is told (SPEC §2). */
  | { kind: 'colleague'; id: string; ownerId: string }
  /** A new customer; `passedOver` is the match created beside, if any. */
  | { kind: 'new'; passedOver: DuplicateMatch | null };

const isManager = (scope: DataScope) =>
  scope.reach.customer === 'subtree' || scope.reach.customer === 'tenant';

/**
 * Where a converted lead goes when the tenant checks duplicates on create. The best
 * identity-key or same-name match (`exact` or `likely`) is linked: a public one only
 * through the pool's own claim, so a rep the claim would refuse (pool, territory,
 * protection, collusion, capacity, daily limit) is refused here with the claim's answer;
 * a colleague's one keeps its owner. A new customer beside such a match is for managers
 * only, or a refused rep would simply create the duplicate; beside a merely `possible`
 * match anybody may create one.
 */
async function resolveCustomer(
  tx: Tx,
  caller: Caller,
  scope: DataScope,
  lead: LeadRow,
  body: ConvertLeadBody,
  customerBody: CreateCustomerBody,
  worker: string,
): Promise<Outcome> {
  // The customer rule decides which keys count, as for any new customer.
  const rule = (await getRules(tx, caller.tenantId)).customer;
  const matches = await matchUnderRule(
    tx,
    scope,
    'customer',
    rule,
    customerMatchInput({ ...customerBody, phone: lead.phone, address: lead.address }),
  );
  const best = matches.find((m) => m.level === 'exact' || m.level === 'likely');
  if (!best) return { kind: 'new', passedOver: matches[0] ?? null };
  if (body.createNew) {
    if (isManager(scope)) return { kind: 'new', passedOver: best };
    throw new AppError(
      'DUPLICATE',
      `This lead matches the customer ${best.name} (${best.level}); only a manager may create a new customer beside it`,
      { matches: [best], createNewAllowed: false },
    );
  }
  const [c] = await tx
    .select({ id: customers.id, name: customers.name, ownerId: customers.ownerId })
    .from(customers)
    .where(and(eq(customers.id, best.id), isNull(customers.deletedAt)));
  if (!c) return { kind: 'new', passedOver: null };
  if (c.ownerId === worker) return { kind: 'own', id: c.id };
  if (c.ownerId) {
    // Kept from being deleted or merged away until the conversion commits.
    await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.id, c.id))
      .for('share');
    return { kind: 'colleague', id: c.id, ownerId: c.ownerId };
  }
  try {
    await claimCustomerIn(tx, caller, scope, c.id, worker);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const context = {
      customerName: c.name,
      reasons: best.reasons,
      createNewAllowed: isManager(scope),
    };
    // The claim answers 404 for a pool that does not serve the rep: here that would read
    // as if the lead were gone.
    if (err.code === 'NOT_FOUND')
      throw new AppError(
        'BUSINESS_RULE',
        `The matching customer ${c.name} is in a public pool that does not serve you`,
        { rule: 'pool', ...context },
      );
    const details = typeof err.details === 'object' && err.details !== null ? err.details : {};
    throw new AppError(err.code, err.message, { ...details, ...context });
  }
  return { kind: 'claimed', id: c.id };
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
    // The rep working the lead: the caller, or the rep a manager converts for.
    const worker = lead.ownerId ?? caller.userId;
    const outcome: Outcome = settings.duplicateCheckOnCreate
      ? await resolveCustomer(tx, caller, scope, lead, body, customerBody, worker)
      : { kind: 'new', passedOver: null };
    const customerId =
      outcome.kind === 'new'
        ? (
            await insertCustomer(
              tx,
              caller,
              customerBody,
              customerNormalised(customerBody),
              worker,
              lead.poolId ?? (await defaultPoolId(tx, caller.tenantId)),
            )
          ).id
        : outcome.id;
    const [customer] = await tx
      .select({ name: customers.name, ownerId: customers.ownerId, ownerName: users.displayName })
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(eq(customers.id, customerId));
    if (!customer) throw notFound('Customer');
    const linked = outcome.kind !== 'new';

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
    // The opportunity is the converting rep's, also on a colleague's customer (SPEC §2).
    const opportunityId = body.opportunity
      ? await insertOpportunity(tx, caller, { ...body.opportunity, customerId }, worker)
      : undefined;
    if (outcome.kind === 'colleague' && outcome.ownerId !== caller.userId) {
      const [rep] = await tx
        .select({ name: users.displayName })
        .from(users)
        .where(eq(users.id, worker));
      await notify(tx, caller.tenantId, outcome.ownerId, {
        kind: 'customer_linked',
        entity: 'customer',
        entityId: customerId,
        data: {
          name: customer.name,
          leadName: lead.company ?? lead.contactName,
          repName: rep?.name ?? null,
          opportunityName: body.opportunity?.name ?? null,
        },
      });
    }

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
        linkedExisting: { before: null, after: linked },
        customerLink: { before: null, after: outcome.kind },
        ...(outcome.kind === 'colleague'
          ? { customerOwnerId: { before: null, after: outcome.ownerId } }
          : {}),
        ...(outcome.kind === 'new' && outcome.passedOver
          ? {
              createdBeside: {
                before: null,
                after: {
                  customerId: outcome.passedOver.id,
                  name: outcome.passedOver.name,
                  level: outcome.passedOver.level,
                  reasons: outcome.passedOver.reasons,
                  requested: body.createNew === true,
                },
              },
            }
          : {}),
      },
    });
    return {
      customerId,
      customerName: customer.name,
      customerOwnerName: customer.ownerName,
      contactId,
      opportunityId,
      linkedExisting: linked,
    };
  });
  const [lead, customer, contact, opportunity] = await Promise.all([
    getLeadView(db, scope, id),
    getCustomerView(db, scope, result.customerId),
    result.contactId ? getContactView(db, scope, result.contactId) : undefined,
    result.opportunityId ? getOpportunityView(db, scope, result.opportunityId) : undefined,
  ]);
  if (!lead) throw notFound('Converted lead');
  return {
    lead,
    ...(customer ? { customer } : {}),
    customerId: result.customerId,
    customerName: result.customerName,
    customerOwnerName: result.customerOwnerName,
    ...(contact ? { contact } : {}),
    ...(opportunity ? { opportunity } : {}),
    linkedExisting: result.linkedExisting,
  };
}
