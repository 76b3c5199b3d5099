import type { CreateFollowUpBody, FollowUp } from '@tide/contract';
import type { Caller } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { followUps } from './followups.table.ts';

export async function addFollowUpRow(
  tx: DbOrTx,
  caller: Caller,
  entityType: FollowUp['entityType'],
  entityId: string,
  body: CreateFollowUpBody,
): Promise<FollowUp> {
  const [row] = await tx
    .insert(followUps)
    .values({
      tenantId: caller.tenantId,
      entityType,
      entityId,
      authorId: caller.userId,
      type: body.type,
      content: body.content,
      result: body.result ?? null,
      nextAt: body.nextAt ? new Date(body.nextAt) : null,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return {
    id: row.id,
    entityType: row.entityType,
    entityId: row.entityId,
    authorId: row.authorId,
    authorName: caller.displayName,
    type: row.type,
    content: row.content,
    result: row.result,
    nextAt: row.nextAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
