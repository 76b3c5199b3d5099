import { escapeLike } from '../../platform/paging.ts';
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Permission, User, UserListQuery } from '@tide/contract';
import { permissions as allPermissions } from '@tide/contract';
import type { DbOrTx } from '../../platform/db.ts';
import { orgNodes, roles, userRoles, users } from '../org/org.table.ts';

export type UserRow = typeof users.$inferSelect;

const permissionKeys = new Set<string>(allPermissions);

/** The stored names that are still permissions of this version (a removed one grants nothing). */
export function knownPermissions(names: readonly string[]): Set<Permission> {
  return new Set(names.filter((p): p is Permission => permissionKeys.has(p)));
}

export async function rolesOf(db: DbOrTx, tenantId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ name: userRoles.roleName })
    .from(userRoles)
    .where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)))
    .orderBy(asc(userRoles.roleName));
  return rows.map((r) => r.name);
}

export async function permissionsOf(
  db: DbOrTx,
  tenantId: string,
  roleNames: readonly string[],
): Promise<Set<Permission>> {
  if (roleNames.length === 0) return new Set();
  const rows = await db
    .select({ permissions: roles.permissions })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), inArray(roles.name, [...roleNames])));
  return knownPermissions(rows.flatMap((r) => r.permissions));
}

export async function findUser(
  db: DbOrTx,
  tenantId: string,
  userId: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return row;
}

export async function findUserByUsername(
  db: DbOrTx,
  tenantId: string,
  username: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), sql`lower(${users.username}) = lower(${username})`));
  return row;
}

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  nodeId: users.nodeId,
  nodeName: orgNodes.name,
  kind: users.kind,
  permissions: users.permissions,
  active: users.active,
  email: users.email,
  phone: users.phone,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  roles: sql<
    string[]
  >`coalesce((SELECT array_agg(ur.role_name ORDER BY ur.role_name) FROM user_roles ur WHERE ur.user_id = users.id), '{}')`,
};

type UserSelect = { createdAt: Date; updatedAt: Date } & Omit<User, 'createdAt' | 'updatedAt'>;

function toUser(r: UserSelect): User {
  return { ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

export async function getUserView(
  db: DbOrTx,
  tenantId: string,
  userId: string,
): Promise<User | undefined> {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return row ? toUser(row) : undefined;
}

const sortable = {
  username: users.username,
  displayName: users.displayName,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
} as const;

export async function listUsers(
  db: DbOrTx,
  tenantId: string,
  q: UserListQuery,
  sort: { field: keyof typeof sortable; descending: boolean },
): Promise<{ items: User[]; total: number }> {
  const where: SQL[] = [eq(users.tenantId, tenantId)];
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    const match = or(ilike(users.username, like), ilike(users.displayName, like));
    if (match) where.push(match);
  }
  if (q.nodeId) {
    where.push(
      sql`${orgNodes.path} LIKE (SELECT path FROM org_nodes WHERE id = ${q.nodeId} AND tenant_id = ${tenantId}) || '%'`,
    );
  }
  if (q.role && q.role.length > 0) {
    where.push(
      sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = users.id AND ur.role_name IN (${sql.join(
        q.role.map((r) => sql`${r}`),
        sql`, `,
      )}))`,
    );
  }
  if (q.active !== undefined) where.push(eq(users.active, q.active));
  if (q.kind) where.push(eq(users.kind, q.kind));
  const order = sort.descending ? desc(sortable[sort.field]) : asc(sortable[sort.field]);
  const condition = and(...where);
  const [items, [count]] = await Promise.all([
    db
      .select(userColumns)
      .from(users)
      .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
      .where(condition)
      .orderBy(order, asc(users.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
      .where(condition),
  ]);
  return { items: items.map(toUser), total: count?.n ?? 0 };
}

export const userSortable = sortable;

export async function setUserRoles(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  roleNames: readonly string[],
): Promise<void> {
  await db
    .delete(userRoles)
    .where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)));
  if (roleNames.length > 0) {
    await db
      .insert(userRoles)
      .values([...new Set(roleNames)].map((roleName) => ({ tenantId, userId, roleName })));
  }
}
