import { sql } from 'drizzle-orm';
import type {
  ApiToken,
  CreateApiTokenBody,
  CreatedApiToken,
  CreateServiceAccountBody,
  User,
} from '@tide/contract';
import { issueApiToken, listApiTokensOf, revokeApiTokenOf } from '../../platform/auth.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { findUser } from './users.repo.ts';
import { addUser, assertMayGive, checkNode } from './users.service.ts';

/**
 * A service account is what an integration (an ERP sync, a call centre) signs in as: it
 * has no password, never signs in interactively, and its API tokens hold exactly the
 * permissions an admin gave it, so they outlive any person's password or departure.
 */
export async function createServiceAccount(
  db: Db,
  caller: Caller,
  body: CreateServiceAccountBody,
): Promise<User> {
  await checkNode(db, caller.tenantId, body.nodeId);
  assertMayGive(caller, body.permissions);
  return addUser(
    db,
    caller,
    {
      username: body.username,
      displayName: body.displayName,
      nodeId: body.nodeId,
      kind: 'service',
      permissions: [...new Set(body.permissions)].sort(),
      passwordHash: null,
    },
    [],
  );
}

/** The service account behind `id`; a person's tokens are theirs alone to manage. */
async function serviceAccount(db: DbOrTx, caller: Caller, id: string) {
  const u = await findUser(db, caller.tenantId, id);
  if (!u) throw notFound('User');
  if (u.kind !== 'service')
    throw new AppError(
      'BUSINESS_RULE',
      'Only service accounts get tokens from an admin; a person creates their own',
    );
  return u;
}

export async function listServiceTokens(
  db: Db,
  caller: Caller,
  id: string,
): Promise<{ items: ApiToken[] }> {
  await serviceAccount(db, caller, id);
  return listApiTokensOf(db, caller.tenantId, id);
}

export function issueServiceToken(
  db: Db,
  caller: Caller,
  id: string,
  body: CreateApiTokenBody,
): Promise<CreatedApiToken> {
  return db.transaction(async (tx) => {
    // Lock the account's row so a deactivation cannot slip between the check and the insert.
    await tx.execute(sql`SELECT 1 FROM users WHERE id = ${id} FOR UPDATE`);
    const u = await serviceAccount(tx, caller, id);
    if (!u.active) throw conflict('The service account is deactivated');
    return issueApiToken(tx, caller, id, body);
  });
}

export async function revokeServiceToken(
  db: Db,
  caller: Caller,
  id: string,
  tokenId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await serviceAccount(tx, caller, id);
    await revokeApiTokenOf(tx, caller, id, tokenId);
  });
}
