import { and, asc, eq, sql } from 'drizzle-orm';
import type { CreateRoleBody, Permission, Role, UpdateRoleBody } from '@tide/contract';
import { builtinRoleNames } from '@tide/contract';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { roles, userRoles } from '../org/org.table.ts';

type RoleRow = typeof roles.$inferSelect;

function toRole(r: RoleRow): Role {
  return {
    name: r.name,
    label: r.label,
    builtin: r.builtin,
    permissions: r.permissions as Permission[],
  };
}

async function findRole(db: DbOrTx, tenantId: string, name: string): Promise<RoleRow | undefined> {
  const [row] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.name, name)));
  return row;
}

export async function listRoles(db: Db, caller: Caller): Promise<{ items: Role[] }> {
  const rows = await db
    .select()
    .from(roles)
    .where(eq(roles.tenantId, caller.tenantId))
    .orderBy(sql`${roles.builtin} DESC`, asc(roles.name));
  return { items: rows.map(toRole) };
}

export async function createRole(db: Db, caller: Caller, body: CreateRoleBody): Promise<Role> {
  if ((builtinRoleNames as readonly string[]).includes(body.name)) {
    throw conflict(`"${body.name}" is a built-in role`);
  }
  return db.transaction(async (tx) => {
    if (await findRole(tx, caller.tenantId, body.name))
      throw conflict(`The role "${body.name}" exists`);
    const [row] = await tx
      .insert(roles)
      .values({
        tenantId: caller.tenantId,
        name: body.name,
        label: body.label ?? null,
        builtin: false,
        permissions: [...new Set(body.permissions)],
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, caller, {
      entity: 'role',
      entityId: row.name,
      action: 'create',
      after: toRole(row),
    });
    return toRole(row);
  });
}

export async function updateRole(
  db: Db,
  caller: Caller,
  name: string,
  body: UpdateRoleBody,
): Promise<Role> {
  return db.transaction(async (tx) => {
    const before = await findRole(tx, caller.tenantId, name);
    if (!before) throw notFound('Role');
    if (before.builtin && body.permissions)
      throw conflict('The permissions of a built-in role cannot be changed; compose a custom role');
    const set: Partial<typeof roles.$inferInsert> = {};
    if (body.label !== undefined) set.label = body.label;
    if (body.permissions) set.permissions = [...new Set(body.permissions)];
    const [row] = await tx
      .update(roles)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(roles.tenantId, caller.tenantId), eq(roles.name, name)))
      .returning();
    if (!row) throw notFound('Role');
    await audit(tx, caller, {
      entity: 'role',
      entityId: name,
      action: 'update',
      before: toRole(before),
      after: toRole(row),
    });
    return toRole(row);
  });
}

export async function deleteRole(db: Db, caller: Caller, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const role = await findRole(tx, caller.tenantId, name);
    if (!role) throw notFound('Role');
    if (role.builtin) throw conflict('A built-in role cannot be deleted');
    const [used] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(userRoles)
      .where(and(eq(userRoles.tenantId, caller.tenantId), eq(userRoles.roleName, name)));
    if (used && used.n > 0)
      throw conflict(`The role is held by ${used.n} user(s); take it from them first`, {
        users: used.n,
      });
    await tx.delete(roles).where(and(eq(roles.tenantId, caller.tenantId), eq(roles.name, name)));
    await audit(tx, caller, {
      entity: 'role',
      entityId: name,
      action: 'delete',
      before: toRole(role),
    });
  });
}
