import { and, eq, inArray, sql } from 'drizzle-orm';
import type {
  Permission,
  CreateUserBody,
  DeactivateUserBody,
  Page,
  UpdateUserBody,
  User,
  UserListQuery,
} from '@tide/contract';
import { userSortFields } from '@tide/contract';
import { audit } from '../../platform/audit.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db.ts';
import { AppError, conflict, invalid, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { parseSort } from '../../platform/paging.ts';
import { assertStrongPassword, hashPassword } from '../../platform/passwords.ts';
import { revokeUserTokens } from '../../platform/auth.ts';
import { findNode } from '../org/org.repo.ts';
import { roles, users } from '../org/org.table.ts';
import {
  findUser,
  findUserByUsername,
  getUserView,
  listUsers,
  rolesOf,
  setUserRoles,
  userSortable,
} from './users.repo.ts';
import { flagOverCapacity } from '../pool/notifications.ts';

/**
 * Moves what a departing user owns. Record modules register one each, so a
 * deactivation transfers every kind of record inside its one transaction.
 */
/** `to` is a user id or `'pool'`. */
export type OwnershipTransfer = (tx: Tx, actor: Actor, from: string, to: string) => Promise<void>;
const ownershipTransfers = new Map<string, OwnershipTransfer>();
export function registerOwnershipTransfer(kind: string, transfer: OwnershipTransfer): void {
  ownershipTransfers.set(kind, transfer);
}

async function checkRoles(db: Db | Tx, tenantId: string, names: readonly string[]): Promise<void> {
  const found = await db
    .select({ name: roles.name })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), inArray(roles.name, [...names])));
  const missing = names.filter((n) => !found.some((f) => f.name === n));
  if (missing.length > 0)
    throw invalid(`Unknown role: ${missing.join(', ')}`, { path: 'roles', missing });
}

/** A caller gives only permissions they hold, so no one can mint an account stronger than themselves. */
export function assertMayGive(caller: Actor, given: readonly Permission[]): void {
  if (!('permissions' in caller)) return; // the system (CLI) gives anything
  const missing = given.filter((p) => !(caller as Caller).permissions.has(p));
  if (missing.length > 0)
    throw new AppError(
      'FORBIDDEN',
      `You cannot give permissions you do not hold: ${missing.join(', ')}`,
      {
        path: 'permissions',
        missing,
      },
    );
}

export async function checkNode(db: Db | Tx, tenantId: string, nodeId: string): Promise<void> {
  if (!(await findNode(db, tenantId, nodeId)))
    throw invalid('The org node does not exist', { path: 'nodeId' });
}

async function snapshot(tx: Tx, tenantId: string, id: string) {
  const u = await findUser(tx, tenantId, id);
  if (!u) return null;
  return {
    username: u.username,
    displayName: u.displayName,
    nodeId: u.nodeId,
    email: u.email,
    phone: u.phone,
    active: u.active,
    kind: u.kind,
    ...(u.kind === 'service' ? { permissions: u.permissions } : {}),
    roles: await rolesOf(tx, tenantId, id),
  };
}

async function view(db: Db, tenantId: string, id: string): Promise<User> {
  const u = await getUserView(db, tenantId, id);
  if (!u) throw notFound('User');
  return u;
}

export async function listUserPage(db: Db, caller: Caller, q: UserListQuery): Promise<Page<User>> {
  const sort = parseSort(q.sort, userSortFields, 'displayName');
  const { items, total } = await listUsers(db, caller.tenantId, q, {
    field: sort.field satisfies keyof typeof userSortable,
    descending: sort.descending,
  });
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export function getUser(db: Db, caller: Caller, id: string): Promise<User> {
  return view(db, caller.tenantId, id);
}

type NewUser = Omit<typeof users.$inferInsert, 'tenantId' | 'id'>;

/** Inserts a person or a service account with its roles, audited; a taken username is 409. */
export async function addUser(
  db: Db,
  caller: Actor,
  values: NewUser,
  roleNames: readonly string[],
): Promise<User> {
  const taken = () => conflict(`The username "${values.username}" is taken`, { path: 'username' });
  if (await findUserByUsername(db, caller.tenantId, values.username)) throw taken();
  const id = await db
    .transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ ...values, tenantId: caller.tenantId })
        .returning({ id: users.id });
      if (!row) throw new Error('insert returned nothing');
      await setUserRoles(tx, caller.tenantId, row.id, roleNames);
      await audit(tx, caller, {
        entity: 'user',
        entityId: row.id,
        action: 'create',
        after: await snapshot(tx, caller.tenantId, row.id),
      });
      return row.id;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err, 'users_username')) throw taken();
      throw err;
    });
  return view(db, caller.tenantId, id);
}

export async function createUser(db: Db, caller: Actor, body: CreateUserBody): Promise<User> {
  await checkNode(db, caller.tenantId, body.nodeId);
  await checkRoles(db, caller.tenantId, body.roles);
  assertStrongPassword(body.password, body);
  return addUser(
    db,
    caller,
    {
      username: body.username,
      displayName: body.displayName,
      passwordHash: await hashPassword(body.password),
      nodeId: body.nodeId,
      email: body.email ?? null,
      phone: body.phone ?? null,
    },
    body.roles,
  );
}

export async function updateUser(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateUserBody,
): Promise<User> {
  if (body.nodeId) await checkNode(db, caller.tenantId, body.nodeId);
  if (body.roles) await checkRoles(db, caller.tenantId, body.roles);
  await db.transaction(async (tx) => {
    const before = await snapshot(tx, caller.tenantId, id);
    if (!before) throw notFound('User');
    if (before.kind === 'service' && body.roles)
      throw invalid('A service account has no roles; give it permissions', { path: 'roles' });
    if (before.kind === 'person' && body.permissions)
      throw invalid('People hold the permissions of their roles', { path: 'permissions' });
    if (body.permissions) assertMayGive(caller, body.permissions);
    if (
      body.roles &&
      id === caller.userId &&
      before.roles.includes('admin') &&
      !body.roles.includes('admin')
    ) {
      throw new AppError('BUSINESS_RULE', 'You cannot remove the admin role from yourself');
    }
    const set: Partial<typeof users.$inferInsert> = {};
    if (body.displayName !== undefined) set.displayName = body.displayName;
    if (body.nodeId !== undefined) set.nodeId = body.nodeId;
    if (body.email !== undefined) set.email = body.email;
    if (body.phone !== undefined) set.phone = body.phone;
    if (body.permissions !== undefined) set.permissions = [...new Set(body.permissions)].sort();
    await tx
      .update(users)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(users.tenantId, caller.tenantId), eq(users.id, id)));
    if (body.roles) await setUserRoles(tx, caller.tenantId, id, body.roles);
    await audit(tx, caller, {
      entity: 'user',
      entityId: id,
      action: 'update',
      before,
      after: await snapshot(tx, caller.tenantId, id),
    });
  });
  return view(db, caller.tenantId, id);
}

/**
 * An admin sets a new password: whoever knew the old one loses every session and personal
 * API token of the user. Service accounts have no password to reset.
 */
export async function resetPassword(
  db: Db,
  caller: Caller | Actor,
  id: string,
  password: string,
): Promise<void> {
  const target = await findUser(db, caller.tenantId, id);
  if (!target) throw notFound('User');
  if (target.kind === 'service')
    throw new AppError(
      'BUSINESS_RULE',
      'A service account has no password; it signs in with API tokens',
    );
  assertStrongPassword(password, target);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const u = await findUser(tx, caller.tenantId, id);
    if (!u) throw notFound('User');
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, id));
    const revoked = await revokeUserTokens(tx, caller.tenantId, id);
    await audit(tx, caller, {
      entity: 'user',
      entityId: id,
      action: 'reset_password',
      changes: {
        password: { before: '***', after: '***' },
        tokensRevoked: { before: null, after: revoked },
      },
    });
  });
}

/**
 * A departing user can no longer sign in, every token dies at once, and what
 * they own moves to a colleague or the public pool — one transaction, so no
 * record is ever left with an owner who cannot act on it.
 */
export async function deactivateUser(
  db: Db,
  caller: Caller,
  id: string,
  body: DeactivateUserBody,
): Promise<User> {
  if (id === caller.userId) throw new AppError('BUSINESS_RULE', 'You cannot deactivate yourself');
  await db.transaction(async (tx) => {
    const u = await findUser(tx, caller.tenantId, id);
    if (!u) throw notFound('User');
    if (!u.active) throw conflict('The user is already deactivated');
    if (body.transferTo !== 'pool') {
      if (body.transferTo === id)
        throw invalid('Records cannot be transferred to the departing user', {
          path: 'transferTo',
        });
      const to = await findUser(tx, caller.tenantId, body.transferTo);
      if (!to?.active)
        throw invalid('Transfer to an active user of this tenant, or to "pool"', {
          path: 'transferTo',
        });
    }
    await tx
      .update(users)
      .set({ active: false, deactivatedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(users.id, id));
    await revokeUserTokens(tx, caller.tenantId, id);
    for (const transfer of ownershipTransfers.values())
      await transfer(tx, caller, id, body.transferTo);
    // A departure may take the colleague over capacity: allowed, and flagged to the manager.
    if (body.transferTo !== 'pool') await flagOverCapacity(tx, caller, body.transferTo);
    await audit(tx, caller, {
      entity: 'user',
      entityId: id,
      action: 'deactivate',
      before: { active: true },
      after: { active: false },
      changes: { transferTo: { before: null, after: body.transferTo } },
    });
  });
  return view(db, caller.tenantId, id);
}

export async function activateUser(db: Db, caller: Caller, id: string): Promise<User> {
  await db.transaction(async (tx) => {
    const u = await findUser(tx, caller.tenantId, id);
    if (!u) throw notFound('User');
    if (u.active) throw conflict('The user is already active');
    await tx
      .update(users)
      .set({ active: true, deactivatedAt: null, updatedAt: sql`now()` })
      .where(eq(users.id, id));
    await audit(tx, caller, {
      entity: 'user',
      entityId: id,
      action: 'update',
      before: { active: false },
      after: { active: true },
    });
  });
  return view(db, caller.tenantId, id);
}
