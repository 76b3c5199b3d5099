import type { HandoverAction } from '@tide/contract';
import type { Actor } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { handovers } from './handovers.table.ts';

export interface HandoverInput {
  entity: 'lead' | 'customer';
  entityId: string;
  action: HandoverAction;
  fromUserId: string | null;
  toUserId: string | null;
  poolId?: string | null;
  reason?: string | null;
}

/** Written in the transaction that changes the owner, so history and state never disagree. */
export async function recordHandover(tx: DbOrTx, actor: Actor, h: HandoverInput): Promise<void> {
  await tx.insert(handovers).values({
    tenantId: actor.tenantId,
    entity: h.entity,
    entityId: h.entityId,
    action: h.action,
    fromUserId: h.fromUserId,
    toUserId: h.toUserId,
    poolId: h.poolId ?? null,
    reason: h.reason ?? null,
    actorId: actor.userId,
  });
}
