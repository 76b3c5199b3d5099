import { and, eq, isNull, sql } from 'drizzle-orm';
import type {
  ApiToken,
  CreateApiTokenBody,
  CreatedApiToken,
  LoginBody,
  LoginResponse,
  Me,
} from '@tide/contract';
import { audit } from '../../platform/audit.ts';
import {
  issueApiToken,
  listApiTokensOf,
  loadCaller,
  newToken,
  revokeApiTokenOf,
  revokeUserTokens,
  SESSION_DAYS,
} from '../../platform/auth.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import {
  assertStrongPassword,
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
import { loginSucceeded, takeLoginTurn, throttleKeys } from './throttle.ts';

const badCredentials = () => new AppError('UNAUTHENTICATED', 'Wrong tenant, username or password');

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
  const keys = throttleKeys(tenant?.id ?? null, body.username, ip);
  await takeLoginTurn(db, keys);
  const user = tenant ? await findUserByUsername(db, tenant.id, body.username) : undefined;
  // Service accounts have no password: they verify against the dummy like an unknown user.
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
  const success = ok && user?.active === true && user.kind === 'person';
  await db.insert(loginAttempts).values({
    tenantId: tenant?.id ?? null,
    username: body.username,
    ip,
    success,
  });
  if (!tenant || !user || !success) {
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
            reason: {
              before: null,
              after: user.kind === 'service' ? 'service' : user.active ? 'password' : 'inactive',
            },
          },
        },
      );
    }
    throw badCredentials();
  }
  await loginSucceeded(db, keys);
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

/**
 * Changes the caller's own password. Whoever may have learnt the old one loses every other
 * session and every personal API token; the session or token making the change goes on.
 */
export async function changeOwnPassword(
  db: Db,
  caller: Caller,
  currentToken: string,
  current: string,
  next: string,
): Promise<void> {
  const [u] = await db.select().from(users).where(eq(users.id, caller.userId));
  if (!u?.passwordHash)
    throw new AppError('BUSINESS_RULE', 'A service account has no password to change');
  if (!(await verifyPassword(u.passwordHash, current))) {
    throw new AppError('VALIDATION_FAILED', 'The current password is wrong', {
      path: 'currentPassword',
    });
  }
  assertStrongPassword(next, u, 'newPassword');
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, caller.userId));
    const revoked = await revokeUserTokens(tx, caller.tenantId, caller.userId, {
      except: sha256(currentToken),
    });
    await audit(tx, caller, {
      entity: 'user',
      entityId: caller.userId,
      action: 'change_password',
      changes: {
        password: { before: '***', after: '***' },
        tokensRevoked: { before: null, after: revoked },
      },
    });
  });
}

export function listApiTokens(db: Db, caller: Caller): Promise<{ items: ApiToken[] }> {
  return listApiTokensOf(db, caller.tenantId, caller.userId);
}

/** The secret is returned once; only its hash is stored. */
export function createApiToken(
  db: Db,
  caller: Caller,
  body: CreateApiTokenBody,
): Promise<CreatedApiToken> {
  return db.transaction((tx) => issueApiToken(tx, caller, caller.userId, body));
}

export async function revokeApiToken(db: Db, caller: Caller, id: string): Promise<void> {
  await db.transaction((tx) => revokeApiTokenOf(tx, caller, caller.userId, id));
}
