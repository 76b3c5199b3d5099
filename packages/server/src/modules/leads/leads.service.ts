import { and, eq, isNull, sql } from 'drizzle-orm';
import { alias, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type {
  BatchResult,
  CreateFollowUpBody,
  CreateLeadBody,
  FollowUp,
  Lead,
  LeadListQuery,
  LeadStatus,
  Page,
  UpdateLeadBody,
} from '@tide/contract';
import { buildScope, requirePermission, type DataScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import { runPrepared, type Db, type Tx } from '../../platform/db.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { leadNormalised } from '../dedupe/normalised.ts';
import { enforceDuplicateRule, withMatches, type MatchInput } from '../dedupe/rules.ts';
import { addFollowUpRow } from '../followups/followups.repo.ts';
import { recordHandover } from '../handovers/handovers.repo.ts';
import {
  alreadyClaimed,
  batch,
  checkAssignee,
  defaultPoolId,
  requireWorker,
} from '../pool/ownership.ts';
import { users } from '../org/org.table.ts';
import { checkClaim, checkLockedClaim, type ClaimTarget } from '../pool/claim-check.ts';
import { claimerLock, writeClaim } from '../pool/claim.ts';
import { autoAssign } from '../pool/intake.ts';
import {
  findVisibleLead,
  getLeadView,
  leadListSort,
  leadsVisibleTo,
  listLeads,
} from './leads.repo.ts';
import { leads, type LeadRow } from './leads.table.ts';

/** Actions of the lead life cycle and the statuses each may start from (SPEC §2). */
export const leadTransitions = {
  claim: ['unassigned'],
  assign: ['unassigned', 'pending', 'following', 'invalid'],
  followUp: ['pending', 'following', 'invalid'],
  return: ['pending', 'following', 'invalid'],
  invalidate: ['pending', 'following'],
  convert: ['pending', 'following', 'invalid'],
  void: ['unassigned', 'pending', 'following', 'invalid'],
  restore: ['voided'],
  edit: ['unassigned', 'pending', 'following', 'invalid'],
} as const satisfies Record<string, readonly LeadStatus[]>;
export type LeadAction = keyof typeof leadTransitions;

function illegal(action: LeadAction, status: LeadStatus): AppError {
  return new AppError('ILLEGAL_TRANSITION', `Cannot ${action} a lead that is ${status}`, {
    action,
    status,
    allowedFrom: leadTransitions[action],
  });
}

export function checkTransition(action: LeadAction, lead: LeadRow): void {
  if (!(leadTransitions[action] as readonly LeadStatus[]).includes(lead.status))
    throw illegal(action, lead.status);
}

export function snapshot(l: LeadRow) {
  return {
    company: l.company,
    contactName: l.contactName,
    phone: l.phone,
    email: l.email,
    address: l.address,
    source: l.source,
    status: l.status,
    ownerId: l.ownerId,
    poolId: l.poolId,
  };
}

export async function view(db: Db | Tx, scope: DataScope, id: string): Promise<Lead> {
  const l = await getLeadView(db, scope, id);
  if (!l) throw notFound('Lead');
  return l;
}

export async function listLeadPage(
  db: Db,
  caller: Caller,
  q: LeadListQuery,
  opts: { deleted?: boolean } = {},
): Promise<Page<Lead>> {
  const scope = await buildScope(db, caller);
  const result = await listLeads(db, scope, q, leadListSort(q.sort, opts.deleted), opts);
  return { ...result, page: q.page, pageSize: q.pageSize };
}

export async function getLead(db: Db, caller: Caller, id: string): Promise<Lead> {
  return view(db, await buildScope(db, caller), id);
}

export async function createLead(db: Db, caller: Caller, body: CreateLeadBody): Promise<Lead> {
  const scope = await buildScope(db, caller);
  const toPool = body.ownerId === null;
  const ownerId = body.ownerId === undefined ? caller.userId : body.ownerId;
  if (ownerId && ownerId !== caller.userId) {
    requirePermission(caller, 'lead.assign');
    await checkAssignee(db, scope, 'lead', ownerId);
  }
  const normalised = leadNormalised(body);
  const poolId = await defaultPoolId(db, caller.tenantId);
  const { id, duplicates } = await db.transaction(async (tx) => {
    const duplicates = await enforceDuplicateRule(
      tx,
      scope,
      'lead',
      'create',
      leadMatchInput(body),
    );
    const [row] = await tx
      .insert(leads)
      .values({
        ...normalised,
        tenantId: caller.tenantId,
        company: body.company ?? null,
        contactName: body.contactName ?? null,
        phone: body.phone ?? null,
        email: body.email ?? null,
        address: body.address ?? null,
        source: body.source ?? null,
        status: toPool ? 'unassigned' : 'pending',
        ownerId: toPool ? null : ownerId,
        poolId,
        claimedAt: toPool ? null : sql`now()`,
        createdBy: caller.userId,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, caller, {
      entity: 'lead',
      entityId: row.id,
      action: 'create',
      after: snapshot(row),
    });
    await recordHandover(tx, caller, {
      entity: 'lead',
      entityId: row.id,
      action: 'create',
      fromUserId: null,
      toUserId: row.ownerId,
      poolId: toPool ? poolId : null,
    });
    return { id: row.id, duplicates };
  });
  // A lead entering the pool is shared out by the pool's assignment rules, if any apply.
  if (toPool) await autoAssign(db, caller.tenantId, [id]);
  return withMatches(await view(db, scope, id), duplicates);
}

/** What a lead is matched on by its duplicate rule: its company, else its contact's name. */
export function leadMatchInput(l: {
  company?: string | null;
  contactName?: string | null;
  phone?: string | null;
  address?: string | null;
}): MatchInput {
  const name = l.company ?? l.contactName;
  return {
    ...(name ? { name } : {}),
    ...(l.phone ? { phone: l.phone } : {}),
    ...(l.address ? { address: l.address } : {}),
  };
}

/** Locks a visible, not deleted lead for the rest of the transaction. */
export async function lockLead(tx: Tx, scope: DataScope, id: string): Promise<LeadRow> {
  const lead = await findVisibleLead(tx, scope, id, { lock: true });
  if (!lead) throw notFound('Lead');
  return lead;
}

export async function updateLeadRow(
  tx: Tx,
  id: string,
  set: PgUpdateSetSource<typeof leads>,
): Promise<LeadRow> {
  const [row] = await tx
    .update(leads)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(leads.id, id))
    .returning();
  if (!row) throw notFound('Lead');
  return row;
}

export async function updateLead(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateLeadBody,
): Promise<Lead> {
  const normalised = leadNormalised(body);
  const scope = await buildScope(db, caller);
  const duplicates = await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    requireWorker(caller, scope, 'lead', lead.ownerId);
    checkTransition('edit', lead);
    const after = await updateLeadRow(tx, id, { ...body, ...normalised });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'update',
      before: snapshot(lead),
      after: snapshot(after),
    });
    const touched = (['company', 'contactName', 'phone', 'address'] as const).some(
      (k) => body[k] !== undefined,
    );
    return touched
      ? enforceDuplicateRule(tx, scope, 'lead', 'update', leadMatchInput(after), id)
      : undefined;
  });
  return withMatches(await view(db, scope, id), duplicates);
}

/** A lead waiting for (or failing) its verification call is not distributed (SPEC §2). */
function checkVerified(lead: Pick<LeadRow, 'verification'>): void {
  if (lead.verification && lead.verification !== 'verified')
    throw new AppError(
      'BUSINESS_RULE',
      lead.verification === 'pending'
        ? 'This lead is waiting for its verification call'
        : 'This lead failed its verification call',
      { rule: 'verification', verification: lead.verification },
    );
}

/** What the pool rules need of a lead. */
export function claimTarget(
  lead: Pick<LeadRow, 'id' | 'poolId' | 'provinceCode' | 'cityCode' | 'districtCode'>,
): ClaimTarget {
  return {
    entity: 'lead',
    id: lead.id,
    poolId: lead.poolId,
    provinceCode: lead.provinceCode,
    cityCode: lead.cityCode,
    districtCode: lead.districtCode,
  };
}

/** Why a lead that is not open to the caller cannot be claimed. */
function notClaimable(
  lead: Pick<LeadRow, 'status' | 'ownerId' | 'deletedAt'> | undefined,
  holderName: string | null,
): AppError {
  if (!lead || lead.deletedAt) return notFound('Lead');
  if (lead.ownerId) return alreadyClaimed(lead.ownerId, holderName);
  if (lead.status !== 'unassigned') return illegal('claim', lead.status);
  return notFound('Lead'); // in a pool the caller does not see
}

/**
 * A claim: the claimer's lock and the lead in one statement, the pool rules
 * (territory, protection, collusion, capacity, daily limit) in the next, then one
 * conditional UPDATE that writes its audit entry and handover: of any number of
 * concurrent claimers, exactly one matches `owner_id IS NULL`; the others learn
 * who won.
 */
async function claimOne(tx: Tx, caller: Caller, scope: DataScope, id: string): Promise<void> {
  const open = and(
    eq(leads.id, id),
    isNull(leads.ownerId),
    eq(leads.status, 'unassigned'),
    isNull(leads.deletedAt),
    leadsVisibleTo(scope),
  );
  const claimer = claimerLock(tx, caller.userId);
  const holder = alias(users, 'holder');
  const [read] = await runPrepared(
    tx
      .with(claimer)
      .select({
        lead: {
          id: leads.id,
          status: leads.status,
          ownerId: leads.ownerId,
          deletedAt: leads.deletedAt,
          poolId: leads.poolId,
          provinceCode: leads.provinceCode,
          cityCode: leads.cityCode,
          districtCode: leads.districtCode,
          verification: leads.verification,
        },
        holderName: holder.displayName,
        open: sql<boolean>`coalesce(${open}, false)`,
      })
      .from(claimer)
      .leftJoin(leads, and(eq(leads.id, id), eq(leads.tenantId, caller.tenantId)))
      .leftJoin(holder, eq(holder.id, leads.ownerId)),
  );
  const lead = read?.lead ?? undefined;
  if (!lead || !read?.open) throw notClaimable(lead, read?.holderName ?? null);
  checkVerified(lead);
  await checkLockedClaim(tx, caller.tenantId, caller.userId, claimTarget(lead), 'claim');
  const won = await writeClaim(tx, caller, {
    entity: 'lead',
    table: leads,
    set: sql`owner_id = ${caller.userId}, status = 'pending', claimed_at = now(), updated_at = now()`,
    stillOpen: open ?? sql`false`,
    before: { status: 'unassigned', ownerId: null },
    after: { status: 'pending', ownerId: caller.userId },
  });
  if (won) return;
  // Another claimer won between the read and the update: who holds it now.
  const [current] = await tx
    .select({
      status: leads.status,
      ownerId: leads.ownerId,
      ownerName: users.displayName,
      deletedAt: leads.deletedAt,
    })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .where(and(eq(leads.id, id), eq(leads.tenantId, caller.tenantId)));
  throw notClaimable(current, current?.ownerName ?? null);
}

export async function claimLead(db: Db, caller: Caller, id: string): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction((tx) => claimOne(tx, caller, scope, id));
  return view(db, scope, id);
}

export async function batchClaimLeads(
  db: Db,
  caller: Caller,
  ids: readonly string[],
): Promise<BatchResult> {
  const scope = await buildScope(db, caller);
  return batch(db, ids, (tx, id) => claimOne(tx, caller, scope, id));
}

async function assignOne(
  tx: Tx,
  caller: Caller,
  scope: DataScope,
  id: string,
  ownerId: string,
): Promise<void> {
  const lead = await lockLead(tx, scope, id);
  checkTransition('assign', lead);
  await checkAssignee(tx, scope, 'lead', ownerId);
  if (lead.ownerId === ownerId)
    throw new AppError('CONFLICT', 'The lead already belongs to this user');
  checkVerified(lead);
  await checkClaim(tx, caller.tenantId, ownerId, claimTarget(lead), 'assign');
  const after = await updateLeadRow(tx, id, {
    ownerId,
    status: lead.status === 'unassigned' ? 'pending' : lead.status,
    claimedAt: sql`now()`,
  });
  await audit(tx, caller, {
    entity: 'lead',
    entityId: id,
    action: 'assign',
    before: snapshot(lead),
    after: snapshot(after),
  });
  await recordHandover(tx, caller, {
    entity: 'lead',
    entityId: id,
    action: 'assign',
    fromUserId: lead.ownerId,
    toUserId: ownerId,
    poolId: lead.ownerId ? null : lead.poolId,
  });
}

export async function assignLead(
  db: Db,
  caller: Caller,
  id: string,
  ownerId: string,
): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction((tx) => assignOne(tx, caller, scope, id, ownerId));
  return view(db, scope, id);
}

export async function batchAssignLeads(
  db: Db,
  caller: Caller,
  ids: readonly string[],
  ownerId: string,
): Promise<BatchResult> {
  const scope = await buildScope(db, caller);
  await checkAssignee(db, scope, 'lead', ownerId);
  return batch(db, ids, (tx, id) => assignOne(tx, caller, scope, id, ownerId));
}

export async function returnLead(
  db: Db,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    requireWorker(caller, scope, 'lead', lead.ownerId);
    checkTransition('return', lead);
    const poolId = lead.poolId ?? (await defaultPoolId(tx, caller.tenantId));
    const after = await updateLeadRow(tx, id, {
      ownerId: null,
      status: 'unassigned',
      poolId,
      claimedAt: null,
    });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'return',
      before: snapshot(lead),
      after: snapshot(after),
      changes: { reason: { before: null, after: reason } },
    });
    await recordHandover(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'return',
      fromUserId: lead.ownerId,
      toUserId: null,
      poolId,
      reason,
    });
  });
  return view(db, scope, id);
}

export async function invalidateLead(
  db: Db,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    requireWorker(caller, scope, 'lead', lead.ownerId);
    checkTransition('invalidate', lead);
    const after = await updateLeadRow(tx, id, { status: 'invalid', invalidReason: reason });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'status',
      before: snapshot(lead),
      after: snapshot(after),
      changes: { reason: { before: null, after: reason } },
    });
  });
  return view(db, scope, id);
}

export async function voidLead(db: Db, caller: Caller, id: string, reason: string): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    if (lead.status !== 'unassigned') requireWorker(caller, scope, 'lead', lead.ownerId);
    else if (scope.reach.lead === 'own')
      throw forbidden('Only a manager may void a lead in the pool');
    checkTransition('void', lead);
    const after = await updateLeadRow(tx, id, {
      status: 'voided',
      statusBeforeVoid: lead.status,
      voidReason: reason,
    });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'status',
      before: snapshot(lead),
      after: snapshot(after),
      changes: { reason: { before: null, after: reason } },
    });
  });
  return view(db, scope, id);
}

/** Back to the status it had before voiding, with its owner if still active, else into the pool. */
export async function restoreVoidedLead(db: Db, caller: Caller, id: string): Promise<Lead> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    checkTransition('restore', lead);
    let ownerActive = false;
    if (lead.ownerId) {
      const [o] = await tx
        .select({ active: users.active })
        .from(users)
        .where(eq(users.id, lead.ownerId));
      ownerActive = o?.active === true;
    }
    const previous = lead.statusBeforeVoid ?? 'unassigned';
    const toPool = previous === 'unassigned' || !ownerActive;
    const poolId = lead.poolId ?? (await defaultPoolId(tx, caller.tenantId));
    const after = await updateLeadRow(tx, id, {
      status: toPool ? 'unassigned' : previous,
      ownerId: toPool ? null : lead.ownerId,
      poolId,
      statusBeforeVoid: null,
      voidReason: null,
    });
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'restore',
      before: snapshot(lead),
      after: snapshot(after),
    });
    if (toPool && lead.ownerId) {
      await recordHandover(tx, caller, {
        entity: 'lead',
        entityId: id,
        action: 'restore',
        fromUserId: lead.ownerId,
        toUserId: null,
        poolId,
        reason: 'owner inactive',
      });
    }
  });
  return view(db, scope, id);
}

/** A follow-up moves a pending or invalid lead to following (SPEC §2). */
export async function addLeadFollowUp(
  db: Db,
  caller: Caller,
  id: string,
  body: CreateFollowUpBody,
): Promise<FollowUp> {
  const scope = await buildScope(db, caller);
  return db.transaction(async (tx) => {
    const lead = await lockLead(tx, scope, id);
    requireWorker(caller, scope, 'lead', lead.ownerId);
    checkTransition('followUp', lead);
    const fu = await addFollowUpRow(tx, caller, 'lead', id, body);
    const after = await updateLeadRow(tx, id, {
      status: 'following',
      lastFollowUpAt: sql`now()`,
      // A visit counts for the "no visit" pool rule.
      ...(body.type === 'visit' ? { lastVisitAt: sql`now()` } : {}),
    });
    if (after.status !== lead.status) {
      await audit(tx, caller, {
        entity: 'lead',
        entityId: id,
        action: 'status',
        before: { status: lead.status },
        after: { status: after.status },
      });
    }
    return fu;
  });
}
