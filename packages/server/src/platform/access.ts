import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Permission } from '@tide/contract';
import type { Caller } from './context.ts';
import { rowsOf, type DbOrTx } from './db.ts';
import { forbidden } from './errors.ts';

/** The kinds of owned business records data permissions apply to. */
export type RecordKind =
  'lead' | 'customer' | 'contact' | 'opportunity' | 'followUp' | 'event' | 'ticket';

export function requirePermission(caller: Caller, permission: Permission): void {
  if (!caller.permissions.has(permission)) {
    throw forbidden(`Missing permission ${permission}`);
  }
}

/** How far a caller sees records of one kind. */
type Reach = 'none' | 'own' | 'subtree' | 'tenant';

const reachOrder: Record<Reach, number> = { none: 0, own: 1, subtree: 2, tenant: 3 };

/**
 * What each built-in role reads (SPEC §1, "open downward, closed upward"): a rep
 * their own records, a manager the subtree of their node, marketing and
 * analysts customers, contacts and events of their subtree (reading, never
 * owning), service every customer of the tenant, an admin everything.
 * Custom roles reach by their permissions like a rep.
 */
const roleReach: Record<string, Partial<Record<RecordKind, Reach>>> = {
  admin: {
    lead: 'tenant',
    customer: 'tenant',
    contact: 'tenant',
    opportunity: 'tenant',
    followUp: 'tenant',
    event: 'tenant',
    ticket: 'tenant',
  },
  manager: {
    lead: 'subtree',
    customer: 'subtree',
    contact: 'subtree',
    opportunity: 'subtree',
    followUp: 'subtree',
    event: 'subtree',
    ticket: 'subtree',
  },
  sales: {
    lead: 'own',
    customer: 'own',
    contact: 'own',
    opportunity: 'own',
    followUp: 'own',
    event: 'own',
  },
  telesales: {
    lead: 'own',
    customer: 'own',
    contact: 'own',
    opportunity: 'own',
    followUp: 'own',
    event: 'own',
  },
  marketing: { customer: 'subtree', contact: 'subtree', event: 'subtree' },
  analyst: { customer: 'subtree', contact: 'subtree', event: 'subtree' },
  service: { customer: 'tenant', contact: 'tenant', ticket: 'own' },
};

/** The kinds a custom role reaches as their owner, by the view permission it holds. */
const viewPermission: Partial<Record<RecordKind, Permission>> = {
  lead: 'lead.view',
  customer: 'customer.view',
  contact: 'contact.view',
  opportunity: 'opportunity.view',
};

/**
 * What a service account reads: the subtree of its node, for each kind whose permission it
 * was given. An integration placed at the root reads the tenant; one placed at a branch
 * reads that branch, as a manager there would.
 */
const servicePermission: Record<RecordKind, Permission> = {
  lead: 'lead.view',
  customer: 'customer.view',
  contact: 'contact.view',
  opportunity: 'opportunity.view',
  followUp: 'customer.view',
  event: 'customer.view',
  ticket: 'ticket.manage',
};

/** Kinds that can sit unowned in a public pool. */
const poolKinds = new Set<RecordKind>(['lead', 'customer']);

/**
 * The caller's data scope: everything needed to build "records this caller may
 * see" as SQL. Built once per request; an opaque brand keeps repo functions
 * from being called with anything else.
 */
export interface DataScope {
  readonly tenantId: string;
  readonly userId: string;
  readonly nodePath: string;
  readonly reach: Readonly<Record<RecordKind, Reach>>;
  /** Pools serving the caller: those bound to the caller's node or an ancestor. */
  readonly poolIds: readonly string[];
  readonly __scope: true;
}

const kinds: readonly RecordKind[] = [
  'lead',
  'customer',
  'contact',
  'opportunity',
  'followUp',
  'event',
  'ticket',
];

export function reachOf(
  caller: Pick<Caller, 'roles' | 'permissions' | 'kind'>,
): Record<RecordKind, Reach> {
  const reach = Object.fromEntries(kinds.map((k) => [k, 'none'])) as Record<RecordKind, Reach>;
  if (caller.kind === 'service') {
    for (const kind of kinds)
      if (caller.permissions.has(servicePermission[kind])) reach[kind] = 'subtree';
    return reach;
  }
  for (const role of caller.roles) {
    const table = roleReach[role];
    for (const kind of kinds) {
      const r = table
        ? (table[kind] ?? 'none')
        : viewPermission[kind] && caller.permissions.has(viewPermission[kind])
          ? 'own'
          : 'none';
      if (reachOrder[r] > reachOrder[reach[kind]]) reach[kind] = r;
    }
  }
  return reach;
}

/** The ids of the pools bound to a node containing `nodePath` (its own and its ancestors'). */
export function servedPools(tenantId: string, nodePath: SQL | AnyPgColumn | string) {
  return sql<string[]>`coalesce((SELECT json_agg(p.id) FROM pools p
      JOIN org_nodes pn ON pn.id = p.node_id
     WHERE p.tenant_id = ${tenantId} AND ${nodePath} LIKE pn.path || '%'), '[]')`;
}

export async function buildScope(db: DbOrTx, caller: Caller): Promise<DataScope> {
  const poolIds =
    caller.servedPoolIds ??
    rowsOf<{ ids: string[] }>(
      await db.execute(sql`SELECT ${servedPools(caller.tenantId, caller.nodePath)} AS ids`),
    )[0]?.ids ??
    [];
  return {
    tenantId: caller.tenantId,
    userId: caller.userId,
    nodePath: caller.nodePath,
    reach: reachOf(caller),
    poolIds,
    __scope: true,
  };
}

/** Columns of a record table the scope predicate reads. */
export interface ScopedColumns {
  tenantId: AnyPgColumn;
  ownerId: AnyPgColumn;
  /** Present on tables whose records can sit unowned in a public pool. */
  poolId?: AnyPgColumn;
}

/** The user `userId` belongs to the subtree of the caller's node (the caller included). */
export function inSubtree(
  scope: Pick<DataScope, 'tenantId' | 'nodePath'>,
  userId: SQL | AnyPgColumn,
): SQL {
  return sql`${userId} IN (SELECT su.id FROM users su JOIN org_nodes sn ON sn.id = su.node_id
    WHERE su.tenant_id = ${scope.tenantId} AND sn.path LIKE ${scope.nodePath} || '%')`;
}

/**
 * The one predicate for "records of this kind the caller may see". Every list,
 * get, search, export and drill-down of owned records filters with it.
 */
export function visibleTo(scope: DataScope, kind: RecordKind, cols: ScopedColumns): SQL {
  const tenant = sql`${cols.tenantId} = ${scope.tenantId}`;
  const reach = scope.reach[kind];
  if (reach === 'tenant') return tenant;
  const branches: SQL[] = [];
  if (reach === 'own') branches.push(sql`${cols.ownerId} = ${scope.userId}`);
  if (reach === 'subtree') {
    branches.push(inSubtree(scope, cols.ownerId));
  }
  if (reach !== 'none' && cols.poolId && poolKinds.has(kind) && scope.poolIds.length > 0) {
    branches.push(
      sql`(${cols.ownerId} IS NULL AND ${cols.poolId} IN (${sql.join(
        scope.poolIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}))`,
    );
  }
  if (branches.length === 0) return sql`false`;
  return sql`(${tenant} AND (${sql.join(branches, sql` OR `)}))`;
}
