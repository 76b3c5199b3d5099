import { and, eq } from 'drizzle-orm';
import type { BatchResult } from '@tide/contract';
import type { DataScope, RecordKind } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx, Tx } from '../../platform/db.ts';
import { AppError, forbidden, invalid } from '../../platform/errors.ts';
import { orgNodes, users } from '../org/org.table.ts';
import { pools } from './pool.table.ts';

/**
 * Rules shared by every owned record that can sit in a public pool (leads,
 * customers): who works it, whom it may be handed to, where it goes back to.
 */

/** Only the owner works a record; a manager or admin who can see it may act for them. */
export function requireWorker(
  caller: Caller,
  scope: DataScope,
  kind: RecordKind,
  ownerId: string | null,
): void {
  if (ownerId === caller.userId) return;
  if (scope.reach[kind] === 'subtree' || scope.reach[kind] === 'tenant') return;
  throw forbidden(`Only the owner of this ${kind} or their manager may do this`);
}

export async function defaultPoolId(db: DbOrTx, tenantId: string): Promise<string> {
  const [p] = await db
    .select({ id: pools.id })
    .from(pools)
    .where(and(eq(pools.tenantId, tenantId), eq(pools.isDefault, true)));
  if (!p) throw new Error('The tenant has no default pool');
  return p.id;
}

/**
 * Someone a caller may hand a record to: an active user of the tenant, and for
 * a manager one inside their own subtree (closed upward and sideways).
 */
export async function checkAssignee(
  db: DbOrTx,
  scope: DataScope,
  kind: RecordKind,
  ownerId: string,
): Promise<{ id: string; displayName: string }> {
  const [u] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      active: users.active,
      path: orgNodes.path,
    })
    .from(users)
    .innerJoin(orgNodes, eq(orgNodes.id, users.nodeId))
    .where(and(eq(users.tenantId, scope.tenantId), eq(users.id, ownerId)));
  if (!u?.active) {
    throw invalid('The new owner must be an active user of this tenant', { path: 'ownerId' });
  }
  if (scope.reach[kind] !== 'tenant' && !u.path.startsWith(scope.nodePath)) {
    throw forbidden(
      `${u.displayName} is outside your team; you may assign only to people in your subtree`,
    );
  }
  return u;
}

/** Runs one action per id, each in its own transaction, collecting per-id results (SPEC §14). */
export async function batch(
  db: Db,
  ids: readonly string[],
  one: (tx: Tx, id: string) => Promise<void>,
): Promise<BatchResult> {
  const results: BatchResult['results'] = [];
  for (const id of new Set(ids)) {
    try {
      await db.transaction((tx) => one(tx, id));
      results.push({ id, ok: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({
        id,
        ok: false,
        error: {
          code: err.code,
          message: err.message,
          ...(err.details === undefined ? {} : { details: err.details }),
        },
      });
    }
  }
  return { results };
}

/** The answer to a claim that lost: who has it (colleagues' names are not secret, SPEC §1). */
export function alreadyClaimed(ownerId: string, ownerName: string | null): AppError {
  return new AppError('ALREADY_CLAIMED', `Already claimed by ${ownerName ?? 'someone else'}`, {
    ownerId,
    ownerName,
  });
}
