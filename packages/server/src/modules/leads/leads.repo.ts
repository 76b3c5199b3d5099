import {
  and,
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
import { leadSortFields, type Lead, type LeadListQuery } from '@tide/contract';
import { visibleTo, type DataScope } from '../../platform/access.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { countRows, escapeLike, parseSort, type Sort } from '../../platform/paging.ts';
import { untouchedByTerritory } from '../pool/territory.ts';
import {
  after,
  batchOf,
  keysetValue,
  orderBy,
  type Batch,
  type Keyset,
  type ListOrder,
} from '../exports/keyset.ts';
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
    verification: r.verification,
    verificationNote: r.verificationNote,
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

export type LeadSort = Sort<(typeof leadSortFields)[number]>;

/** The list's `sort` with its default: newest first, the recycle bin by last change. */
export function leadListSort(sort: string | undefined, deleted = false): LeadSort {
  return parseSort(sort, leadSortFields, deleted ? '-updatedAt' : '-createdAt');
}

function leadOrder(sort: LeadSort): ListOrder {
  return {
    column: sortColumns[sort.field],
    descending: sort.descending,
    id: leads.id,
    idDescending: sort.descending,
  };
}

/** The list's filters without paging; an export takes the same. */
export type LeadFilters = Omit<LeadListQuery, 'page' | 'pageSize' | 'sort'>;

/** The list's WHERE: the caller's scope, live leads or the bin, and the filters. */
export function leadListWhere(
  scope: DataScope,
  q: LeadFilters,
  opts: { deleted?: boolean } = {},
): SQL | undefined {
  const filters: (SQL | undefined)[] = [
    leadsVisibleTo(scope),
    inBin(opts.deleted),
    q.status?.length ? inArray(leads.status, q.status) : undefined,
    q.ownerId?.length ? inArray(leads.ownerId, q.ownerId) : undefined,
    q.source?.length ? inArray(leads.source, q.source) : undefined,
    q.poolId ? and(eq(leads.poolId, q.poolId), isNull(leads.ownerId)) : undefined,
    q.territory === 'none'
      ? untouchedByTerritory(leads.tenantId, leads.districtCode, leads.cityCode, leads.provinceCode)
      : undefined,
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
  return and(...filters);
}

/** The list's total, an estimate above 10,000 rows. */
export function countLeads(
  db: DbOrTx,
  where: SQL | undefined,
): Promise<{ total: number; totalIsEstimate?: true }> {
  return countRows(
    db,
    db
      .select({ one: sql`1` })
      .from(leads)
      .where(where),
  );
}

export async function listLeads(
  db: DbOrTx,
  scope: DataScope,
  q: LeadListQuery,
  sort: LeadSort,
  opts: { deleted?: boolean } = {},
): Promise<{ items: Lead[]; total: number; totalIsEstimate?: true }> {
  const where = leadListWhere(scope, q, opts);
  const [items, count] = await Promise.all([
    db
      .select(columns)
      .from(leads)
      .leftJoin(users, eq(users.id, leads.ownerId))
      .where(where)
      .orderBy(...orderBy(leadOrder(sort)))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countLeads(db, where),
  ]);
  return { items: items.map(toLead), ...count };
}

/** The next `limit` rows of the list after `last`, in the list's order: how exports read it. */
export async function leadBatch(
  db: DbOrTx,
  where: SQL | undefined,
  sort: LeadSort,
  last: Keyset | null,
  limit: number,
): Promise<Batch<Lead>> {
  const order = leadOrder(sort);
  const rows = await db
    .select({ ...columns, sortKey: keysetValue(order) })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .where(and(where, after(order, last)))
    .orderBy(...orderBy(order))
    .limit(limit);
  return batchOf(rows, toLead);
}
