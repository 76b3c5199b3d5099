import { and, eq, isNull, sql } from 'drizzle-orm';
import { alias, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type {
  Contact,
  ContactListQuery,
  CreateContactBody,
  CreateCustomerBody,
  CreateFollowUpBody,
  Customer,
  CustomerListQuery,
  FollowUp,
  Page,
  UpdateContactBody,
  UpdateCustomerBody,
} from '@tide/contract';
import { buildScope, requirePermission, type DataScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import { runPrepared, type Db, type Tx } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { customerNormalised, phoneE164 } from '../dedupe/normalised.ts';
import { enforceDuplicateRule, withMatches, type MatchInput } from '../dedupe/rules.ts';
import { addFollowUpRow } from '../followups/followups.repo.ts';
import { adoptOpenOpportunities } from '../opportunities/opportunities.service.ts';
import { checkLockedClaim } from '../pool/claim-check.ts';
import { claimerLock, writeClaim } from '../pool/claim.ts';
import { recordHandover } from '../handovers/handovers.repo.ts';
import { users } from '../org/org.table.ts';
import { alreadyClaimed, checkAssignee, defaultPoolId, requireWorker } from '../pool/ownership.ts';
import {
  contactListSort,
  customerListSort,
  customersVisibleTo,
  findVisibleCustomer,
  getContactView,
  getCustomerView,
  listContacts,
  listCustomers,
} from './customers.repo.ts';
import { contacts, customers, type CustomerRow } from './customers.table.ts';

function snapshot(c: CustomerRow) {
  return {
    name: c.name,
    kind: c.kind,
    creditCode: c.creditCode,
    idNumber: c.idNumber,
    licenceNumber: c.licenceNumber,
    orgCode: c.orgCode,
    taxNumber: c.taxNumber,
    lifecycleStage: c.lifecycleStage,
    valueTier: c.valueTier,
    phone: c.phone,
    industry: c.industry,
    size: c.size,
    address: c.address,
    tags: c.tags,
    source: c.source,
    ownerId: c.ownerId,
    poolId: c.poolId,
  };
}

async function view(db: Db, scope: DataScope, id: string): Promise<Customer> {
  const c = await getCustomerView(db, scope, id);
  if (!c) throw notFound('Customer');
  return c;
}

async function lockCustomer(tx: Tx, scope: DataScope, id: string): Promise<CustomerRow> {
  const c = await findVisibleCustomer(tx, scope, id, { lock: true });
  if (!c) throw notFound('Customer');
  return c;
}

async function update(
  tx: Tx,
  id: string,
  set: PgUpdateSetSource<typeof customers>,
): Promise<CustomerRow> {
  const [row] = await tx
    .update(customers)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(customers.id, id))
    .returning();
  if (!row) throw notFound('Customer');
  return row;
}

export async function listCustomerPage(
  db: Db,
  caller: Caller,
  q: CustomerListQuery,
): Promise<Page<Customer>> {
  const scope = await buildScope(db, caller);
  const sort = customerListSort(q.sort);
  return { ...(await listCustomers(db, scope, q, sort)), page: q.page, pageSize: q.pageSize };
}

export async function getCustomer(db: Db, caller: Caller, id: string): Promise<Customer> {
  return view(db, await buildScope(db, caller), id);
}

export async function createCustomer(
  db: Db,
  caller: Caller,
  body: CreateCustomerBody,
): Promise<Customer> {
  const scope = await buildScope(db, caller);
  const toPool = body.ownerId === null;
  const ownerId = body.ownerId === undefined ? caller.userId : body.ownerId;
  if (ownerId && ownerId !== caller.userId) {
    requirePermission(caller, 'customer.transfer');
    await checkAssignee(db, scope, 'customer', ownerId);
  }
  const normalised = customerNormalised(body);
  const poolId = await defaultPoolId(db, caller.tenantId);
  const { id, duplicates } = await db.transaction(async (tx) => {
    const duplicates = await enforceDuplicateRule(
      tx,
      scope,
      'customer',
      'create',
      customerMatchInput(body),
    );
    const row = await insertCustomer(tx, caller, body, normalised, toPool ? null : ownerId, poolId);
    return { id: row.id, duplicates };
  });
  return withMatches(await view(db, scope, id), duplicates);
}

/** What a customer is matched on by its duplicate rule. */
export function customerMatchInput(c: {
  name?: string | null;
  phone?: string | null;
  creditCode?: string | null;
  idNumber?: string | null;
  licenceNumber?: string | null;
  taxNumber?: string | null;
  orgCode?: string | null;
  address?: string | null;
}): MatchInput {
  const registration = c.licenceNumber ?? c.taxNumber ?? c.orgCode;
  return {
    ...(c.name ? { name: c.name } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.creditCode ? { creditCode: c.creditCode } : {}),
    ...(c.idNumber ? { idNumber: c.idNumber } : {}),
    ...(registration ? { registration } : {}),
    ...(c.address ? { address: c.address } : {}),
  };
}

const identifying = [
  'name',
  'phone',
  'creditCode',
  'idNumber',
  'licenceNumber',
  'orgCode',
  'taxNumber',
  'address',
] as const;

/**
 * Inserts a customer with its normalised columns, audit entry and handover
 * row; shared by creation and lead conversion.
 */
export async function insertCustomer(
  tx: Tx,
  caller: Caller,
  body: CreateCustomerBody,
  normalised: ReturnType<typeof customerNormalised>,
  ownerId: string | null,
  poolId: string,
): Promise<CustomerRow> {
  const [row] = await tx
    .insert(customers)
    .values({
      ...normalised,
      tenantId: caller.tenantId,
      kind: body.kind,
      name: body.name,
      phone: body.phone ?? null,
      industry: body.industry ?? null,
      size: body.size ?? null,
      address: body.address ?? null,
      lat: body.lat ?? null,
      lng: body.lng ?? null,
      lifecycleStage: body.lifecycleStage ?? null,
      valueTier: body.valueTier ?? null,
      tags: body.tags ?? [],
      source: body.source ?? null,
      ownerId,
      poolId,
      claimedAt: ownerId ? sql`now()` : null,
      createdBy: caller.userId,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await audit(tx, caller, {
    entity: 'customer',
    entityId: row.id,
    action: 'create',
    after: snapshot(row),
  });
  await recordHandover(tx, caller, {
    entity: 'customer',
    entityId: row.id,
    action: 'create',
    fromUserId: null,
    toUserId: ownerId,
    poolId: ownerId ? null : poolId,
  });
  return row;
}

export async function updateCustomer(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateCustomerBody,
): Promise<Customer> {
  const normalised = customerNormalised(body);
  const scope = await buildScope(db, caller);
  const duplicates = await db.transaction(async (tx) => {
    const c = await lockCustomer(tx, scope, id);
    requireWorker(caller, scope, 'customer', c.ownerId);
    const after = await update(tx, id, { ...body, ...normalised });
    await audit(tx, caller, {
      entity: 'customer',
      entityId: id,
      action: 'update',
      before: snapshot(c),
      after: snapshot(after),
    });
    return identifying.some((k) => body[k] !== undefined)
      ? enforceDuplicateRule(tx, scope, 'customer', 'update', customerMatchInput(after), id)
      : undefined;
  });
  return withMatches(await view(db, scope, id), duplicates);
}

/** Why a customer that is not open to the caller cannot be claimed. */
function notClaimable(
  c: Pick<CustomerRow, 'ownerId' | 'deletedAt'> | undefined,
  holderName: string | null,
): AppError {
  if (c?.ownerId && !c.deletedAt) return alreadyClaimed(c.ownerId, holderName);
  return notFound('Customer');
}

/** Like a lead claim: the lock and the read, the pool rules, one conditional UPDATE. */
export async function claimCustomer(db: Db, caller: Caller, id: string): Promise<Customer> {
  const scope = await buildScope(db, caller);
  await db.transaction((tx) => claimCustomerIn(tx, caller, scope, id));
  return view(db, scope, id);
}

/**
 * The claim of a public customer inside the caller's transaction, for every path that
 * takes one out of a pool (a claim, a lead conversion linking it): the pool must serve the
 * caller, and territory, protection, collusion, capacity and the daily limit apply.
 * `toUserId` is the rep it goes to when not the caller (a manager converting a rep's
 * lead), checked and recorded as an assignment to them.
 */
export async function claimCustomerIn(
  tx: Tx,
  caller: Caller,
  scope: DataScope,
  id: string,
  toUserId: string = caller.userId,
): Promise<void> {
  const open = and(
    eq(customers.id, id),
    isNull(customers.ownerId),
    isNull(customers.deletedAt),
    customersVisibleTo(scope),
  );
  const claimer = claimerLock(tx, toUserId);
  const holder = alias(users, 'holder');
  const [read] = await runPrepared(
    tx
      .with(claimer)
      .select({
        customer: {
          id: customers.id,
          ownerId: customers.ownerId,
          deletedAt: customers.deletedAt,
          poolId: customers.poolId,
          provinceCode: customers.provinceCode,
          cityCode: customers.cityCode,
          districtCode: customers.districtCode,
        },
        holderName: holder.displayName,
        open: sql<boolean>`coalesce(${open}, false)`,
      })
      .from(claimer)
      .leftJoin(customers, and(eq(customers.id, id), eq(customers.tenantId, caller.tenantId)))
      .leftJoin(holder, eq(holder.id, customers.ownerId)),
  );
  const c = read?.customer ?? undefined;
  if (!c || !read?.open) throw notClaimable(c, read?.holderName ?? null);
  await checkLockedClaim(
    tx,
    caller.tenantId,
    toUserId,
    {
      entity: 'customer',
      id,
      poolId: c.poolId,
      provinceCode: c.provinceCode,
      cityCode: c.cityCode,
      districtCode: c.districtCode,
    },
    toUserId === caller.userId ? 'claim' : 'assign',
  );
  const won = await writeClaim(tx, caller, {
    entity: 'customer',
    table: customers,
    set: sql`owner_id = ${toUserId}, claimed_at = now(), updated_at = now()`,
    stillOpen: open ?? sql`false`,
    before: { ownerId: null },
    after: { ownerId: toUserId },
    toUserId,
  });
  if (won) {
    await adoptOpenOpportunities(tx, caller.tenantId, id, toUserId);
    return;
  }
  // Another claimer won between the read and the update: who holds it now.
  const [current] = await tx
    .select({
      ownerId: customers.ownerId,
      ownerName: users.displayName,
      deletedAt: customers.deletedAt,
    })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(and(eq(customers.id, id), eq(customers.tenantId, caller.tenantId)));
  throw notClaimable(current, current?.ownerName ?? null);
}

export async function returnCustomer(
  db: Db,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Customer> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const c = await lockCustomer(tx, scope, id);
    if (!c.ownerId)
      throw new AppError('ILLEGAL_TRANSITION', 'The customer is already in the public pool', {
        poolState: 'public',
      });
    requireWorker(caller, scope, 'customer', c.ownerId);
    const poolId = c.poolId ?? (await defaultPoolId(tx, caller.tenantId));
    const after = await update(tx, id, { ownerId: null, poolId, claimedAt: null });
    await audit(tx, caller, {
      entity: 'customer',
      entityId: id,
      action: 'return',
      before: snapshot(c),
      after: snapshot(after),
      changes: { reason: { before: null, after: reason } },
    });
    await recordHandover(tx, caller, {
      entity: 'customer',
      entityId: id,
      action: 'return',
      fromUserId: c.ownerId,
      toUserId: null,
      poolId,
      reason,
    });
  });
  return view(db, scope, id);
}

export async function addCustomerFollowUp(
  db: Db,
  caller: Caller,
  id: string,
  body: CreateFollowUpBody,
): Promise<FollowUp> {
  const scope = await buildScope(db, caller);
  return db.transaction(async (tx) => {
    const c = await lockCustomer(tx, scope, id);
    if (!c.ownerId)
      throw new AppError('ILLEGAL_TRANSITION', 'Claim the customer before following it up', {
        poolState: 'public',
      });
    requireWorker(caller, scope, 'customer', c.ownerId);
    const fu = await addFollowUpRow(tx, caller, 'customer', id, body);
    await update(tx, id, {
      lastFollowUpAt: sql`now()`,
      // A visit counts for the "no visit" pool rule.
      ...(body.type === 'visit' ? { lastVisitAt: sql`now()` } : {}),
    });
    return fu;
  });
}

export async function deleteCustomer(db: Db, caller: Caller, id: string): Promise<void> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    await lockCustomer(tx, scope, id);
    await update(tx, id, { deletedAt: sql`now()`, deletedBy: caller.userId });
    await audit(tx, caller, {
      entity: 'customer',
      entityId: id,
      action: 'delete',
      before: { deletedAt: null },
      after: { deletedAt: 'recycle bin' },
    });
  });
}

/** A departing rep's customers go to a colleague or the public pool, with their handover rows, in one statement. */
export async function transferCustomersOnDeparture(
  tx: Tx,
  actor: Actor,
  from: string,
  to: string,
): Promise<void> {
  const newOwner = to === 'pool' ? null : to;
  const moved = await tx.execute<{ id: string }>(sql`
    WITH moved AS (
      UPDATE customers SET
        owner_id = ${newOwner}::uuid,
        pool_id = coalesce(pool_id, (SELECT id FROM pools WHERE tenant_id = ${actor.tenantId} AND is_default)),
        claimed_at = CASE WHEN ${newOwner}::uuid IS NULL THEN NULL ELSE now() END,
        updated_at = now()
      WHERE tenant_id = ${actor.tenantId} AND owner_id = ${from} AND deleted_at IS NULL
      RETURNING id, pool_id)
    INSERT INTO handovers (tenant_id, entity, entity_id, action, from_user_id, to_user_id, pool_id, reason, actor_id)
    SELECT ${actor.tenantId}, 'customer', id, 'transfer', ${from}::uuid, ${newOwner}::uuid, pool_id, 'owner deactivated', ${actor.userId}::uuid
      FROM moved
    RETURNING entity_id AS id`);
  if (moved.rows.length > 0) {
    await audit(tx, actor, {
      entity: 'user',
      entityId: from,
      action: 'transfer',
      changes: { customers: { before: moved.rows.length, after: to } },
    });
  }
}

// Contacts: visible and editable with their customer.

async function contactView(db: Db, scope: DataScope, id: string): Promise<Contact> {
  const c = await getContactView(db, scope, id);
  if (!c) throw notFound('Contact');
  return c;
}

export async function listContactPage(
  db: Db,
  caller: Caller,
  q: ContactListQuery,
): Promise<Page<Contact>> {
  const scope = await buildScope(db, caller);
  const sort = contactListSort(q.sort);
  return { ...(await listContacts(db, scope, q, sort)), page: q.page, pageSize: q.pageSize };
}

export async function getContact(db: Db, caller: Caller, id: string): Promise<Contact> {
  return contactView(db, await buildScope(db, caller), id);
}

export async function createContact(
  db: Db,
  caller: Caller,
  body: CreateContactBody,
): Promise<Contact> {
  const scope = await buildScope(db, caller);
  const { id, duplicates } = await db.transaction(async (tx) => {
    const c = await findVisibleCustomer(tx, scope, body.customerId, { lock: true });
    // An unseen customer reads as a missing one (SPEC §1): ids leak nothing.
    if (!c) throw new AppError('NOT_FOUND', 'Customer not found', { path: 'customerId' });
    requireWorker(caller, scope, 'customer', c.ownerId);
    const duplicates = await enforceDuplicateRule(tx, scope, 'contact', 'create', {
      name: body.name,
      ...(body.phone ? { phone: body.phone } : {}),
      ...(body.email ? { email: body.email } : {}),
      customerId: body.customerId,
    });
    const [row] = await tx
      .insert(contacts)
      .values({ ...body, phoneE164: phoneE164(body.phone), tenantId: caller.tenantId })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, caller, {
      entity: 'contact',
      entityId: row.id,
      action: 'create',
      after: { ...body },
    });
    return { id: row.id, duplicates };
  });
  return withMatches(await contactView(db, scope, id), duplicates);
}

export async function updateContact(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateContactBody,
): Promise<Contact> {
  const scope = await buildScope(db, caller);
  const before = await contactView(db, scope, id);
  const duplicates = await db.transaction(async (tx) => {
    const c = await findVisibleCustomer(tx, scope, before.customerId, { lock: true });
    if (!c) throw notFound('Contact');
    requireWorker(caller, scope, 'customer', c.ownerId);
    await tx
      .update(contacts)
      .set({
        ...body,
        ...(body.phone === undefined ? {} : { phoneE164: phoneE164(body.phone) }),
        updatedAt: sql`now()`,
      })
      .where(eq(contacts.id, id));
    await audit(tx, caller, {
      entity: 'contact',
      entityId: id,
      action: 'update',
      before: { ...before },
      after: { ...before, ...body },
    });
    if (body.name === undefined && body.phone === undefined && body.email === undefined)
      return undefined;
    const after = { ...before, ...body };
    return enforceDuplicateRule(
      tx,
      scope,
      'contact',
      'update',
      {
        name: after.name,
        ...(after.phone ? { phone: after.phone } : {}),
        ...(after.email ? { email: after.email } : {}),
        customerId: after.customerId,
      },
      id,
    );
  });
  return withMatches(await contactView(db, scope, id), duplicates);
}
