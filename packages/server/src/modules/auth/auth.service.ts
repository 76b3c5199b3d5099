import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type {
  ApiToken,
  CreateApiTokenBody,
  CreatedApiToken,
  LoginBody,
  LoginResponse,
  Me,
} from '@tide/contract';
import { audit } from '../../platform/audit.ts';
import { loadCaller, newToken, SESSION_DAYS } from '../../platform/auth.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import {
  dummyPasswordHash,
  hashPassword,
  randomSecret,
  sha256,
  verifyPassword,
} from '../../platform/passwords.ts';
import { authTokens, loginAttempts, tenants } from '../../platform/tables.ts';
import { users } from '../org/org.table.ts';
import { findDefaultTenant, findTenantBySlug } from '../tenants/tenants.service.ts';
import { findUserByUsername, getUserView } from '../users/users.repo.ts';

/** Failed attempts allowed in the window, per user and per client address. */
export const loginLimits = { windowMinutes: 15, perUser: 5, perIp: 30 } as const;

const badCredentials = () => new AppError('UNAUTHENTICATED', 'Wrong tenant, username or password');

async function checkRateLimit(
  db: Db,
  tenantId: string | null,
  username: string,
  ip: string,
): Promise<void> {
  const since = sql`now() - make_interval(mins => ${loginLimits.windowMinutes})`;
  const [row] = await db
    .select({
      user: sql<number>`count(*) FILTER (WHERE ${tenantId === null ? sql`${loginAttempts.tenantId} IS NULL` : sql`${loginAttempts.tenantId} = ${tenantId}`} AND lower(${loginAttempts.username}) = lower(${username}))::int`,
      ip: sql<number>`count(*) FILTER (WHERE ${loginAttempts.ip} = ${ip})::int`,
    })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.success, false), gt(loginAttempts.at, since)));
  const details = { windowMinutes: loginLimits.windowMinutes };
  if ((row?.user ?? 0) >= loginLimits.perUser) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many failed sign-ins for this user; try again in ${loginLimits.windowMinutes} minutes`,
      details,
    );
  }
  if ((row?.ip ?? 0) >= loginLimits.perIp) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many failed sign-ins from this address; try again in ${loginLimits.windowMinutes} minutes`,
      details,
    );
  }
}

export async function getMe(db: Db, caller: Caller): Promise<Me> {
  const [view, [tenant]] = await Promise.all([
    getUserView(db, caller.tenantId, caller.userId),
    db.select().from(tenants).where(eq(tenants.id, caller.tenantId)),
  ]);
  if (!view || !tenant) throw notFound('User');
  return {
    ...view,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    tenantName: tenant.name,
    permissions: [...caller.permissions].sort(),
  };
}

/**
 * Signs a user in and opens a session. Failures are recorded outside any
 * transaction so the rate limit counts them; the answer never tells whether
 * the tenant or the user exists.
 */
export async function login(
  db: Db,
  body: LoginBody,
  ip: string,
  requestId: string,
): Promise<LoginResponse> {
  const tenant = body.tenant
    ? await findTenantBySlug(db, body.tenant)
    : await findDefaultTenant(db);
  await checkRateLimit(db, tenant?.id ?? null, body.username, ip);
  const user = tenant ? await findUserByUsername(db, tenant.id, body.username) : undefined;
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
  await db.insert(loginAttempts).values({
    tenantId: tenant?.id ?? null,
    username: body.username,
    ip,
    success: ok && user?.active === true,
  });
  if (!tenant || !user || !ok || !user.active) {
    if (tenant && user) {
      await audit(
        db,
        { tenantId: tenant.id, userId: null, requestId },
        {
          entity: 'user',
          entityId: user.id,
          action: 'login_failed',
          changes: {
            ip: { before: null, after: ip },
            reason: { before: null, after: user.active ? 'password' : 'inactive' },
          },
        },
      );
    }
    throw badCredentials();
  }
  const { token, hash, prefix } = newToken('session');
  const csrfToken = randomSecret(24);
  await db.transaction(async (tx) => {
    await tx.insert(authTokens).values({
      tenantId: tenant.id,
      userId: user.id,
      kind: 'session',
      tokenHash: hash,
      prefix,
      csrfToken,
      lastUsedAt: sql`now()`,
      expiresAt: sql`now() + make_interval(days => ${SESSION_DAYS})`,
    });
    await audit(
      tx,
      { tenantId: tenant.id, userId: user.id, requestId },
      {
        entity: 'user',
        entityId: user.id,
        action: 'login',
        changes: { ip: { before: null, after: ip } },
      },
    );
  });
  const caller = await loadCaller(db, tenant.id, user.id, 'session', requestId);
  if (!caller) throw badCredentials();
  return { token, csrfToken, user: await getMe(db, caller) };
}

export async function logout(db: Db, caller: Caller, token: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(authTokens)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(authTokens.tokenHash, sha256(token)),
          eq(authTokens.kind, 'session'),
          isNull(authTokens.revokedAt),
        ),
      );
    await audit(tx, caller, { entity: 'user', entityId: caller.userId, action: 'logout' });
  });
}

export async function changeOwnPassword(
  db: Db,
  caller: Caller,
  current: string,
  next: string,
): Promise<void> {
  const [u] = await db.select().from(users).where(eq(users.id, caller.userId));
  if (!u || !(await verifyPassword(u.passwordHash, current))) {
    throw new AppError('VALIDATION_FAILED', 'The current password is wrong', {
      path: 'currentPassword',
    });
  }
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, caller.userId));
    await audit(tx, caller, {
      entity: 'user',
      entityId: caller.userId,
      action: 'update',
      changes: { password: { before: '***', after: '***' } },
    });
  });
}

type TokenRow = typeof authTokens.$inferSelect;
function toApiToken(t: TokenRow): ApiToken {
  return {
    id: t.id,
    name: t.name ?? '',
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
  };
}

export async function listApiTokens(db: Db, caller: Caller): Promise<{ items: ApiToken[] }> {
  const rows = await db
    .select()
    .from(authTokens)
    .where(
      and(
        eq(authTokens.tenantId, caller.tenantId),
        eq(authTokens.userId, caller.userId),
        eq(authTokens.kind, 'api'),
        isNull(authTokens.revokedAt),
      ),
    )
    .orderBy(desc(authTokens.createdAt));
  return { items: rows.map(toApiToken) };
}

/** The secret is returned once; only its hash is stored. */
export async function createApiToken(
  db: Db,
  caller: Caller,
  body: CreateApiTokenBody,
): Promise<CreatedApiToken> {
  const { token, hash, prefix } = newToken('api');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(authTokens)
      .values({
        tenantId: caller.tenantId,
        userId: caller.userId,
        kind: 'api',
        tokenHash: hash,
        prefix,
        name: body.name,
        expiresAt: body.expiresInDays
          ? sql`now() + make_interval(days => ${body.expiresInDays})`
          : null,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, caller, {
      entity: 'api_token',
      entityId: row.id,
      action: 'create',
      after: { name: body.name, prefix },
    });
    return { ...toApiToken(row), token };
  });
}

export async function revokeApiToken(db: Db, caller: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(authTokens)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(authTokens.id, id),
          eq(authTokens.tenantId, caller.tenantId),
          eq(authTokens.userId, caller.userId),
          eq(authTokens.kind, 'api'),
          isNull(authTokens.revokedAt),
        ),
      )
      .returning({ name: authTokens.name });
    if (!row) throw notFound('API token');
    await audit(tx, caller, {
      entity: 'api_token',
      entityId: id,
      action: 'delete',
      before: { name: row.name },
    });
  });
}
