import { and, eq, sql } from 'drizzle-orm';
import { builtinRoleNames, builtinRolePermissions } from '@tide/contract';
import { audit } from '../../platform/audit.ts';
import { systemActor } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { assertStrongPassword, generatePassword, hashPassword } from '../../platform/passwords.ts';
import { tenants } from '../../platform/tables.ts';
import { orgNodes, roles, userRoles, users } from '../org/org.table.ts';
import { pools } from '../pool/pool.table.ts';
import { insertDefaultStages } from '../opportunities/opportunities.repo.ts';

export type TenantRow = typeof tenants.$inferSelect;

export const DEFAULT_TENANT_SLUG = 'default';
const slugPattern = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** Role labels shown until an admin renames them. */
const roleLabels: Record<string, string> = {
  admin: 'CRM管理员',
  manager: '主管',
  sales: '销售',
  telesales: '电销',
  marketing: '运营',
  service: '客服',
  analyst: '分析师',
};

/** Built-in roles follow the code: added when missing, their permissions kept current. */
export async function syncBuiltinRoles(db: DbOrTx, tenantId: string): Promise<void> {
  for (const name of builtinRoleNames) {
    await db
      .insert(roles)
      .values({
        tenantId,
        name,
        label: roleLabels[name] ?? null,
        builtin: true,
        permissions: [...builtinRolePermissions[name]],
      })
      .onConflictDoUpdate({
        target: [roles.tenantId, roles.name],
        set: {
          builtin: true,
          permissions: [...builtinRolePermissions[name]],
          updatedAt: sql`now()`,
        },
      });
  }
}

export async function findTenantBySlug(db: DbOrTx, slug: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug.toLowerCase()));
  return row;
}

export async function findDefaultTenant(db: DbOrTx): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.isDefault, true));
  return row;
}

export interface CreatedTenant {
  tenant: TenantRow;
  rootNodeId: string;
  admin: { username: string; password: string; generated: boolean };
}

export interface CreateTenantInput {
  slug: string;
  name: string;
  rootName?: string;
  adminPassword?: string | undefined;
  isDefault?: boolean;
}

/**
 * A tenant is born complete: the root of its org tree, the default public sea
 * at the root, the built-in roles and an `admin` user. One transaction.
 */
export async function createTenant(db: Db, input: CreateTenantInput): Promise<CreatedTenant> {
  const slug = input.slug.toLowerCase();
  if (!slugPattern.test(slug)) {
    throw invalid(
      'A tenant slug is 2-40 lowercase letters, digits or hyphens, starting with a letter or digit',
    );
  }
  if (input.adminPassword !== undefined)
    assertStrongPassword(input.adminPassword, { username: 'admin' }, 'adminPassword');
  const password = input.adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    if (await findTenantBySlug(tx, slug)) throw conflict(`Tenant "${slug}" already exists`);
    const [tenant] = await tx
      .insert(tenants)
      .values({ slug, name: input.name, isDefault: input.isDefault ?? false })
      .returning();
    if (!tenant) throw new Error('tenant insert returned nothing');
    const actor = systemActor(tenant.id);
    const [root] = await tx
      .insert(orgNodes)
      .values({ tenantId: tenant.id, name: input.rootName ?? input.name, path: '/', depth: 0 })
      .returning({ id: orgNodes.id });
    if (!root) throw new Error('root node insert returned nothing');
    await tx
      .update(orgNodes)
      .set({ path: `/${root.id}/` })
      .where(eq(orgNodes.id, root.id));
    await tx
      .insert(pools)
      .values({ tenantId: tenant.id, name: '公海', nodeId: root.id, isDefault: true });
    await syncBuiltinRoles(tx, tenant.id);
    await insertDefaultStages(tx, tenant.id);
    const [admin] = await tx
      .insert(users)
      .values({
        tenantId: tenant.id,
        username: 'admin',
        displayName: '管理员',
        passwordHash,
        nodeId: root.id,
      })
      .returning({ id: users.id });
    if (!admin) throw new Error('admin insert returned nothing');
    await tx.insert(userRoles).values({ tenantId: tenant.id, userId: admin.id, roleName: 'admin' });
    await audit(tx, actor, {
      entity: 'tenant',
      entityId: tenant.id,
      action: 'create',
      after: { slug, name: input.name },
    });
    await audit(tx, actor, {
      entity: 'user',
      entityId: admin.id,
      action: 'create',
      after: { username: 'admin', roles: ['admin'] },
    });
    return {
      tenant,
      rootNodeId: root.id,
      admin: { username: 'admin', password, generated: input.adminPassword === undefined },
    };
  });
}

/** Same lock as for migrations is not needed: the unique default index settles a race. */
export async function ensureDefaultTenant(
  db: Db,
  adminPassword: string | undefined,
): Promise<CreatedTenant | null> {
  const existing = await findDefaultTenant(db);
  if (existing) {
    await syncAllBuiltinRoles(db);
    return null;
  }
  try {
    return await createTenant(db, {
      slug: DEFAULT_TENANT_SLUG,
      name: '默认企业',
      rootName: '总部',
      adminPassword,
      isDefault: true,
    });
  } catch (err) {
    // Another instance created it in the meantime.
    if (await findDefaultTenant(db)) return null;
    throw err;
  }
}

export async function syncAllBuiltinRoles(db: Db): Promise<void> {
  const all = await db.select({ id: tenants.id }).from(tenants);
  for (const t of all) await syncBuiltinRoles(db, t.id);
}

export async function countTenantUsers(db: DbOrTx, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.tenantId, tenantId)));
  return row?.n ?? 0;
}
