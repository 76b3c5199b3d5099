import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
// The request decorations this hook reads (cookies, caller, route auth) are declared there.
import type {} from '@fastify/cookie';
import type {} from './http.ts';
import { orgNodes, users } from '../modules/org/org.table.ts';
import { permissionsOf, rolesOf } from '../modules/users/users.repo.ts';
import { servedPools } from './access.ts';
import type { Caller } from './context.ts';
import type { Db, DbOrTx } from './db.ts';
import { AppError } from './errors.ts';
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
      nodePath: orgNodes.path,
      servedPoolIds: servedPools(tenantId, orgNodes.path),
    })
    .from(users)
    .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  if (!row?.active) return null;
  const roles = await rolesOf(db, tenantId, userId);
  return {
    tenantId,
    userId: row.id,
    username: row.username,
    displayName: row.displayName,
    nodeId: row.nodeId,
    nodePath: row.nodePath,
    servedPoolIds: row.servedPoolIds,
    roles,
    permissions: await permissionsOf(db, tenantId, roles),
    requestId,
    via,
  };
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
