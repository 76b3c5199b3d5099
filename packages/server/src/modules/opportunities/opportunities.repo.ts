import { and, asc, eq, getTableColumns, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import {
  opportunitySortFields,
  type Opportunity,
  type OpportunityListQuery,
  type OpportunityStage,
} from '@tide/contract';
import { visibleTo, type DataScope } from '../../platform/access.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { countRows, escapeLike, parseSort, type Sort } from '../../platform/paging.ts';
import {
  after,
  batchOf,
  keysetValue,
  orderBy,
  type Batch,
  type Keyset,
  type ListOrder,
} from '../exports/keyset.ts';
import { customers } from '../customers/customers.table.ts';
import { users } from '../org/org.table.ts';
import { opportunities, opportunityStages, type OpportunityRow } from './opportunities.table.ts';

/** The default stages of SPEC §3; a tenant edits its own copy. */
export const defaultStages: readonly Omit<OpportunityStage, 'position'>[] = [
  { key: 'initial', name: '初步沟通', probability: 10, outcome: 'open' },
  { key: 'intent', name: '确定意向', probability: 30, outcome: 'open' },
  { key: 'proposal', name: '方案报价', probability: 60, outcome: 'open' },
  { key: 'negotiation', name: '商务洽谈', probability: 80, outcome: 'open' },
  { key: 'won', name: '赢单', probability: 100, outcome: 'won' },
  { key: 'lost', name: '输单', probability: 0, outcome: 'lost' },
];

export async function insertDefaultStages(db: DbOrTx, tenantId: string): Promise<void> {
  await db
    .insert(opportunityStages)
    .values(defaultStages.map((s, i) => ({ ...s, tenantId, position: i + 1 })))
    .onConflictDoNothing();
}

export async function listStages(db: DbOrTx, tenantId: string): Promise<OpportunityStage[]> {
  const rows = await db
    .select()
    .from(opportunityStages)
    .where(eq(opportunityStages.tenantId, tenantId))
    .orderBy(asc(opportunityStages.position));
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    probability: r.probability,
    position: r.position,
    outcome: r.outcome,
  }));
}

export function opportunitiesVisibleTo(scope: DataScope): SQL {
  return visibleTo(scope, 'opportunity', {
    tenantId: opportunities.tenantId,
    ownerId: opportunities.ownerId,
  });
}

const columns = {
  ...getTableColumns(opportunities),
  customerName: customers.name,
  ownerName: users.displayName,
  stageName: opportunityStages.name,
};

function toOpportunity(
  r: OpportunityRow & { customerName: string; ownerName: string | null; stageName: string | null },
): Opportunity {
  return {
    id: r.id,
    customerId: r.customerId,
    customerName: r.customerName,
    name: r.name,
    amount: r.amount,
    expectedCloseDate: r.expectedCloseDate,
    stage: r.stageKey,
    stageName: r.stageName ?? r.stageKey,
    probability: r.probability,
    status: r.status,
    lostReason: r.lostReason,
    closedAt: r.closedAt?.toISOString() ?? null,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const stageOf = and(
  eq(opportunityStages.tenantId, opportunities.tenantId),
  eq(opportunityStages.key, opportunities.stageKey),
);

function base(db: DbOrTx) {
  return db
    .select(columns)
    .from(opportunities)
    .innerJoin(customers, eq(customers.id, opportunities.customerId))
    .leftJoin(users, eq(users.id, opportunities.ownerId))
    .leftJoin(opportunityStages, stageOf);
}

export async function getOpportunityView(
  db: DbOrTx,
  scope: DataScope,
  id: string,
): Promise<Opportunity | undefined> {
  const [row] = await base(db).where(
    and(eq(opportunities.id, id), isNull(opportunities.deletedAt), opportunitiesVisibleTo(scope)),
  );
  return row ? toOpportunity(row) : undefined;
}

export async function findVisibleOpportunity(
  db: DbOrTx,
  scope: DataScope,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<OpportunityRow | undefined> {
  const q = db
    .select()
    .from(opportunities)
    .where(
      and(eq(opportunities.id, id), isNull(opportunities.deletedAt), opportunitiesVisibleTo(scope)),
    );
  const [row] = opts.lock ? await q.for('update') : await q;
  return row;
}

const sortColumns = {
  createdAt: opportunities.createdAt,
  updatedAt: opportunities.updatedAt,
  name: opportunities.name,
  amount: opportunities.amount,
  expectedCloseDate: opportunities.expectedCloseDate,
  probability: opportunities.probability,
} satisfies Record<(typeof opportunitySortFields)[number], unknown>;

export type OpportunitySort = Sort<(typeof opportunitySortFields)[number]>;

/** The list's `sort` with its default, last changed first. */
export function opportunityListSort(sort: string | undefined): OpportunitySort {
  return parseSort(sort, opportunitySortFields, '-updatedAt');
}

function opportunityOrder(sort: OpportunitySort): ListOrder {
  return {
    column: sortColumns[sort.field],
    descending: sort.descending,
    id: opportunities.id,
    idDescending: sort.descending,
  };
}

/** The list's filters without paging; an export takes the same. */
export type OpportunityFilters = Omit<OpportunityListQuery, 'page' | 'pageSize' | 'sort'>;

/** The list's WHERE: the caller's scope, live opportunities and the filters. */
export function opportunityListWhere(scope: DataScope, q: OpportunityFilters): SQL | undefined {
  return and(
    opportunitiesVisibleTo(scope),
    isNull(opportunities.deletedAt),
    q.stage?.length ? inArray(opportunities.stageKey, q.stage) : undefined,
    q.status?.length ? inArray(opportunities.status, q.status) : undefined,
    q.ownerId?.length ? inArray(opportunities.ownerId, q.ownerId) : undefined,
    q.customerId ? eq(opportunities.customerId, q.customerId) : undefined,
    q.q ? ilike(opportunities.name, `%${escapeLike(q.q)}%`) : undefined,
  );
}

/** The list's total, an estimate above 10,000 rows. */
export function countOpportunities(
  db: DbOrTx,
  where: SQL | undefined,
): Promise<{ total: number; totalIsEstimate?: true }> {
  return countRows(
    db,
    db
      .select({ one: sql`1` })
      .from(opportunities)
      .where(where),
  );
}

export async function listOpportunities(
  db: DbOrTx,
  scope: DataScope,
  q: OpportunityListQuery,
  sort: OpportunitySort,
): Promise<{ items: Opportunity[]; total: number; totalIsEstimate?: true }> {
  const where = opportunityListWhere(scope, q);
  const [items, count] = await Promise.all([
    base(db)
      .where(where)
      .orderBy(...orderBy(opportunityOrder(sort)))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countOpportunities(db, where),
  ]);
  return { items: items.map(toOpportunity), ...count };
}

/** The next `limit` rows of the list after `last`, in the list's order: how exports read it. */
export async function opportunityBatch(
  db: DbOrTx,
  where: SQL | undefined,
  sort: OpportunitySort,
  last: Keyset | null,
  limit: number,
): Promise<Batch<Opportunity>> {
  const order = opportunityOrder(sort);
  const rows = await db
    .select({ ...columns, sortKey: keysetValue(order) })
    .from(opportunities)
    .innerJoin(customers, eq(customers.id, opportunities.customerId))
    .leftJoin(users, eq(users.id, opportunities.ownerId))
    .leftJoin(opportunityStages, stageOf)
    .where(and(where, after(order, last)))
    .orderBy(...orderBy(order))
    .limit(limit);
  return batchOf(rows, toOpportunity);
}
