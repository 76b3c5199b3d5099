import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  ilike,
  inArray,
  isNotNull,
  isNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Lead, LeadListQuery, leadSortFields } from '@tide/contract';
import { visibleTo, type DataScope } from '../../platform/access.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { countRows, escapeLike, type Sort } from '../../platform/paging.ts';
import { users } from '../org/org.table.ts';
import { leads, type LeadRow } from './leads.table.ts';

const scoped = { tenantId: leads.tenantId, ownerId: leads.ownerId, poolId: leads.poolId };

/** "Leads this caller may see": the one predicate every read of leads goes through. */
export function leadsVisibleTo(scope: DataScope): SQL {
  return visibleTo(scope, 'lead', scoped);
}

const columns = { ...getTableColumns(leads), ownerName: users.displayName };

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toLead(r: LeadRow & { ownerName: string | null }): Lead {
  return {
    id: r.id,
    company: r.company,
    contactName: r.contactName,
    phone: r.phone,
    phoneE164: r.phoneE164,
    email: r.email,
    address: r.address,
    provinceCode: r.provinceCode,
    cityCode: r.cityCode,
    districtCode: r.districtCode,
    source: r.source,
    status: r.status,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    poolId: r.poolId,
    claimedAt: iso(r.claimedAt),
    lastFollowUpAt: iso(r.lastFollowUpAt),
    invalidReason: r.invalidReason,
    voidReason: r.voidReason,
    convertedCustomerId: r.convertedCustomerId,
    deletedAt: iso(r.deletedAt),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Live leads, or those in the recycle bin; a merged-away lead is in neither. */
function inBin(deleted = false): SQL | undefined {
  return deleted
    ? and(isNotNull(leads.deletedAt), isNull(leads.mergedInto))
    : isNull(leads.deletedAt);
}

/** A lead the caller may see, or nothing (answered as 404, so ids leak nothing). */
export async function findVisibleLead(
  db: DbOrTx,
  scope: DataScope,
  id: string,
  opts: { deleted?: boolean; lock?: boolean } = {},
): Promise<LeadRow | undefined> {
  const q = db
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), leadsVisibleTo(scope), inBin(opts.deleted)));
  const [row] = opts.lock ? await q.for('update') : await q;
  return row;
}

export async function getLeadView(
  db: DbOrTx,
  scope: DataScope,
  id: string,
  deleted = false,
): Promise<Lead | undefined> {
  const [row] = await db
    .select(columns)
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .where(and(eq(leads.id, id), leadsVisibleTo(scope), inBin(deleted)));
  return row ? toLead(row) : undefined;
}

const sortColumns = {
  createdAt: leads.createdAt,
  updatedAt: leads.updatedAt,
  company: leads.company,
  status: leads.status,
  lastFollowUpAt: leads.lastFollowUpAt,
  claimedAt: leads.claimedAt,
} satisfies Record<(typeof leadSortFields)[number], unknown>;

export async function listLeads(
  db: DbOrTx,
  scope: DataScope,
  q: LeadListQuery,
  sort: Sort<(typeof leadSortFields)[number]>,
  opts: { deleted?: boolean } = {},
): Promise<{ items: Lead[]; total: number; totalIsEstimate?: true }> {
  const filters: (SQL | undefined)[] = [
    leadsVisibleTo(scope),
    inBin(opts.deleted),
    q.status?.length ? inArray(leads.status, q.status) : undefined,
    q.ownerId?.length ? inArray(leads.ownerId, q.ownerId) : undefined,
    q.source?.length ? inArray(leads.source, q.source) : undefined,
    q.poolId ? and(eq(leads.poolId, q.poolId), isNull(leads.ownerId)) : undefined,
  ];
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    const digits = q.q.replace(/\D/g, '');
    filters.push(
      or(
        ilike(leads.company, like),
        ilike(leads.contactName, like),
        digits.length >= 4
          ? sql`regexp_replace(coalesce(${leads.phone}, ''), '\\D', '', 'g') LIKE ${`%${digits}%`}`
          : undefined,
      ),
    );
  }
  const where = and(...filters);
  const col = sortColumns[sort.field];
  const order = sort.descending ? sql`${col} DESC NULLS LAST` : sql`${col} ASC NULLS LAST`;
  const [items, count] = await Promise.all([
    db
      .select(columns)
      .from(leads)
      .leftJoin(users, eq(users.id, leads.ownerId))
      .where(where)
      .orderBy(order, sort.descending ? desc(leads.id) : asc(leads.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countRows(
      db,
      db
        .select({ one: sql`1` })
        .from(leads)
        .where(where),
    ),
  ]);
  return { items: items.map(toLead), ...count };
}
