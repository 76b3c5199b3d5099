import type { AuditAction } from '@tide/contract';
import { auditLog } from './tables.ts';
import type { Actor } from './context.ts';
import type { DbOrTx } from './db.ts';

export type Changes = Record<string, { before: unknown; after: unknown }>;

type Snapshot = Record<string, unknown> | null | undefined;

/** Fields never written to the audit log, even as changed. */
const secretFields = new Set(['passwordHash', 'tokenHash', 'csrfToken']);

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

/** Field-level difference of two snapshots of a record (created: before null; deleted: after null). */
export function diff(before: Snapshot, after: Snapshot): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (key === 'updatedAt' || key === 'createdAt' || key === 'tenantId') continue;
    const b = normalise(before?.[key]);
    const a = normalise(after?.[key]);
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes[key] = secretFields.has(key)
      ? { before: '***', after: '***' }
      : { before: b, after: a };
  }
  return changes;
}

export interface AuditInput {
  entity: string;
  entityId: string;
  action: AuditAction;
  before?: Snapshot;
  after?: Snapshot;
  /** Extra facts not captured by a snapshot (a reason, a target). */
  changes?: Changes;
}

/**
 * The one way writes are recorded. Call it with the transaction that made the
 * change so the record and its audit entry commit or roll back together.
 */
export async function audit(tx: DbOrTx, actor: Actor, input: AuditInput): Promise<void> {
  const changes = { ...diff(input.before, input.after), ...input.changes };
  await tx.insert(auditLog).values({
    tenantId: actor.tenantId,
    actorId: actor.userId,
    entity: input.entity,
    entityId: input.entityId,
    action: input.action,
    changes,
    requestId: actor.requestId,
  });
}
