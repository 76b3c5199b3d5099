import { eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PoolEntity } from '@tide/contract';
import { diff } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import { executePrepared, type Tx } from '../../platform/db.ts';
import { users } from '../org/org.table.ts';

/**
 * The claimer's user row, locked, as a CTE to read the claimed record beside it: the
 * lock and the read take one round trip. Select `FROM claimer LEFT JOIN record` so the
 * lock is taken whether or not the record is there. Concurrent claims by one rep queue
 * on this lock, so the capacity and daily counts they read next stay true until commit.
 */
export function claimerLock(tx: Tx, userId: string) {
  return tx
    .$with('claimer')
    .as(tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update'));
}

export interface ClaimWrite {
  entity: PoolEntity;
  table: PgTable;
  /** The columns the claim sets, as an SQL SET list. */
  set: SQL;
  /** The record still open for this claimer: unowned, not deleted, visible to them. */
  stillOpen: SQL;
  /** The record's fields before and after, for the audit entry. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /**
   * The rep the record goes to when not the caller: a manager converting a rep's lead
   * hands the matching public customer to the rep, recorded as an assignment.
   */
  toUserId?: string;
}

/**
 * A claim is one conditional UPDATE: of any number of concurrent claimers, exactly one
 * matches `stillOpen`. The same statement writes the winner's audit entry and claim
 * handover. False when another claimer won.
 */
export async function writeClaim(tx: Tx, caller: Caller, w: ClaimWrite): Promise<boolean> {
  const to = w.toUserId ?? caller.userId;
  const action = to === caller.userId ? 'claim' : 'assign';
  const [won] = await executePrepared<{ id: string }>(
    tx,
    sql`
      WITH won AS (
        UPDATE ${w.table} SET ${w.set} WHERE ${w.stillOpen}
        RETURNING id, pool_id
      ),
      handed AS (
        INSERT INTO handovers (tenant_id, entity, entity_id, action, from_user_id, to_user_id,
                               pool_id, actor_id)
        SELECT ${caller.tenantId}::uuid, ${w.entity}::text, id, ${action}::text, NULL,
               ${to}::uuid, pool_id, ${caller.userId}::uuid
          FROM won
      ),
      audited AS (
        INSERT INTO audit_log (tenant_id, actor_id, entity, entity_id, action, changes, request_id)
        SELECT ${caller.tenantId}::uuid, ${caller.userId}::uuid, ${w.entity}::text, id::text,
               ${action}::text, ${JSON.stringify(diff(w.before, w.after))}::jsonb, ${caller.requestId}::text
          FROM won
      )
      SELECT id FROM won`,
  );
  return won !== undefined;
}
