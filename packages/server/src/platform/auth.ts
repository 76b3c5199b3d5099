import { and, desc, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import type { ApiToken, CreateApiTokenBody, CreatedApiToken } from '@tide/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
// The request decorations this hook reads (cookies, caller, route auth) are declared there.
import type {} from '@fastify/cookie';
import type {} from './http.ts';
import { orgNodes, users } from '../modules/org/org.table.ts';
import { knownPermissions, permissionsOf, rolesOf } from '../modules/users/users.repo.ts';
import { servedPools } from './access.ts';
import { audit } from './audit.ts';
import type { Actor, Caller } from './context.ts';
import type { Db, DbOrTx } from './db.ts';
import { AppError, notFound } from './errors.ts';
import { randomSecret, sha256 } from './passwords.ts';
import { authTokens } from './tables.ts';

export const SESSION_COOKIE = 'tide_session';
export const CSRF_COOKIE = 'tide_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_DAYS = 7;

export type TokenKind = 'session' | 'api';

/** Session secrets and API tokens look different so a leaked one is recognisable. */
export function newToken(kind: TokenKind): { token: string; hash: string; prefix: string } {
  const token = `${kind === 'api' ? 'tide_pat_' : 'tide_s_'}${randomSecret(32)}`;
  return { token, hash: sha256(token), prefix: token.slice(0, kind === 'api' ? 13 : 11) };
}

/** Loads a user as a caller with roles, permissions and node path; null if inactive. */
export async function loadCaller(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  via: Caller['via'],
  requestId: string | null,
): Promise<Caller | null> {
  const [row] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      nodeId: users.nodeId,
      active: users.active,
      kind: users.kind,
      servicePermissions: users.permissions,
      nodePath: orgNodes.path,
      servedPoolIds: servedPools(tenantId, orgNodes.path),
    })
    .from(users)
    .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  if (!row?.active) return null;
  // A service account has no roles: its permissions are the ones it was given.
  const roles = row.kind === 'service' ? [] : await rolesOf(db, tenantId, userId);
  const permissions =
    row.kind === 'service'
      ? knownPermissions(row.servicePermissions)
      : await permissionsOf(db, tenantId, roles);
  return {
    tenantId,
    userId: row.id,
    username: row.username,
    displayName: row.displayName,
    nodeId: row.nodeId,
    nodePath: row.nodePath,
    servedPoolIds: row.servedPoolIds,
    roles,
    permissions,
    requestId,
    via,
    kind: row.kind,
  };
}

/**
 * Ends a user's sessions and API tokens, all or all but one (the one changing the
 * password goes on). Answers how many ended.
 */
export async function revokeUserTokens(
  tx: DbOrTx,
  tenantId: string,
  userId: string,
  options: { except?: string; kind?: TokenKind } = {},
): Promise<number> {
  const rows = await tx
    .update(authTokens)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(authTokens.tenantId, tenantId),
        eq(authTokens.userId, userId),
        isNull(authTokens.revokedAt),
        options.except ? ne(authTokens.tokenHash, options.except) : undefined,
        options.kind ? eq(authTokens.kind, options.kind) : undefined,
      ),
    )
    .returning({ id: authTokens.id });
  return rows.length;
}

/** The secret a request authenticates with: its bearer token, else its session cookie. */
export function requestToken(req: FastifyRequest): string | null {
  return bearerOf(req) ?? req.cookies[SESSION_COOKIE] ?? null;
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

/** The live API tokens of one user (a person's own, or a service account's). */
export async function listApiTokensOf(
  db: DbOrTx,
  tenantId: string,
  userId: string,
): Promise<{ items: ApiToken[] }> {
  const rows = await db
    .select()
    .from(authTokens)
    .where(
      and(
        eq(authTokens.tenantId, tenantId),
        eq(authTokens.userId, userId),
        eq(authTokens.kind, 'api'),
        isNull(authTokens.revokedAt),
      ),
    )
    .orderBy(desc(authTokens.createdAt));
  return { items: rows.map(toApiToken) };
}

/** Issues an API token acting as `userId`; the secret is in this answer only. Audited. */
export async function issueApiToken(
  tx: DbOrTx,
  actor: Actor,
  userId: string,
  body: CreateApiTokenBody,
): Promise<CreatedApiToken> {
  const { token, hash, prefix } = newToken('api');
  const [row] = await tx
    .insert(authTokens)
    .values({
      tenantId: actor.tenantId,
      userId,
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
  await audit(tx, actor, {
    entity: 'api_token',
    entityId: row.id,
    action: 'create',
    after: { name: body.name, prefix, userId },
  });
  return { ...toApiToken(row), token };
}

/** Revokes one live API token of `userId`; 404 when there is none. Audited. */
export async function revokeApiTokenOf(
  tx: DbOrTx,
  actor: Actor,
  userId: string,
  id: string,
): Promise<void> {
  const [row] = await tx
    .update(authTokens)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(authTokens.id, id),
        eq(authTokens.tenantId, actor.tenantId),
        eq(authTokens.userId, userId),
        eq(authTokens.kind, 'api'),
        isNull(authTokens.revokedAt),
      ),
    )
    .returning({ name: authTokens.name });
  if (!row) throw notFound('API token');
  await audit(tx, actor, {
    entity: 'api_token',
    entityId: id,
    action: 'delete',
    before: { name: row.name, userId },
  });
}

interface ResolvedToken {
  caller: Caller;
  csrfToken: string | null;
}

/** Finds the live session or API token behind a secret. Deactivated users' tokens resolve to nothing. */
export async function resolveToken(
  db: Db,
  token: string,
  requestId: string | null,
): Promise<ResolvedToken | null> {
  const [row] = await db
    .select({
      id: authTokens.id,
      tenantId: authTokens.tenantId,
      userId: authTokens.userId,
      kind: authTokens.kind,
      csrfToken: authTokens.csrfToken,
      lastUsedAt: authTokens.lastUsedAt,
    })
    .from(authTokens)
    .where(
      and(
        eq(authTokens.tokenHash, sha256(token)),
        isNull(authTokens.revokedAt),
        or(isNull(authTokens.expiresAt), gt(authTokens.expiresAt, sql`now()`)),
      ),
    );
  if (!row) return null;
  const caller = await loadCaller(db, row.tenantId, row.userId, row.kind, requestId);
  if (!caller) return null;
  // Touch at most once a minute: a write per request would serialise reads on the embedded engine.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    const extend =
      row.kind === 'session'
        ? sql`, expires_at = now() + make_interval(days => ${SESSION_DAYS})`
        : sql``;
    await db.execute(
      sql`UPDATE auth_tokens SET last_used_at = now()${extend} WHERE id = ${row.id}`,
    );
  }
  return { caller, csrfToken: row.csrfToken };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1])
    throw new AppError('UNAUTHENTICATED', 'Malformed Authorization header; use "Bearer <token>"');
  return m[1];
}

/**
 * Authenticates every non-public route (bearer token or session cookie) and
 * checks its function permission. Cookie-authenticated writes must echo the
 * session's CSRF token in a header: a cross-site form can send the cookie but
 * cannot read it.
 */
export function authHook(db: Db) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.caller = null;
    const auth = req.routeOptions.config.auth;
    if (auth === undefined || auth === 'public') return;
    const bearer = bearerOf(req);
    const cookie = bearer ? null : (req.cookies[SESSION_COOKIE] ?? null);
    const token = bearer ?? cookie;
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    const resolved = await resolveToken(db, token, req.id);
    if (!resolved)
      throw new AppError(
        'UNAUTHENTICATED',
        'Your session has expired or the token is not valid; sign in again',
      );
    if (cookie && !safeMethods.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !resolved.csrfToken || sent !== resolved.csrfToken) {
        throw new AppError('CSRF_FAILED', `Missing or wrong ${CSRF_HEADER} header`);
      }
    }
    req.caller = resolved.caller;
    if (auth !== 'authenticated' && !resolved.caller.permissions.has(auth)) {
      throw new AppError('FORBIDDEN', `Missing permission ${auth}`, { permission: auth });
    }
  };
}
