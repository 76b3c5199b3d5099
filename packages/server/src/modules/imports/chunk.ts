import type pg from 'pg';
import type { ImportDuplicateHandling, ImportRowOutcome } from '@tide/contract';

/** One data row of the file: its number and its mapped values by field. */
export interface ChunkRow {
  no: number;
  values: Record<string, string | null>;
}

export interface RowOutcome {
  no: number;
  outcome: ImportRowOutcome;
  reason: string | null;
  recordId: string | null;
}

export interface ChunkContext {
  tenantId: string;
  importId: string;
  actorId: string | null;
  poolId: string;
  onDuplicate: ImportDuplicateHandling;
  fileName: string;
  /** An import (default), or a website form's submission named by `fileName`. */
  origin?: 'import' | 'intake';
}

export const rejected = (no: number, reason: string): RowOutcome => ({
  no,
  outcome: 'rejected',
  reason,
  recordId: null,
});

/** The audit entries of records an import created or updated, one set-based insert. */
export async function auditImported(
  client: pg.ClientBase,
  ctx: ChunkContext,
  entity: 'lead' | 'customer' | 'contact',
  action: 'create' | 'update',
  ids: readonly string[],
): Promise<void> {
  if (!ids.length) return;
  await client.query(
    `INSERT INTO audit_log (tenant_id, actor_id, entity, entity_id, action, changes)
     SELECT $1, $2, $3, id::text, $4,
            jsonb_build_object($7::text, jsonb_build_object('before', NULL, 'after', $5::text))
       FROM unnest($6::uuid[]) AS id`,
    [ctx.tenantId, ctx.actorId, entity, action, ctx.importId, ids, ctx.origin ?? 'import'],
  );
}

/** New leads and customers enter the pool: one handover row each. */
export async function handoversOfImported(
  client: pg.ClientBase,
  ctx: ChunkContext,
  entity: 'lead' | 'customer',
  ids: readonly string[],
): Promise<void> {
  if (!ids.length) return;
  await client.query(
    `INSERT INTO handovers (tenant_id, entity, entity_id, action, pool_id, reason, actor_id)
     SELECT $1, $2, id, 'create', $3, $6, $4 FROM unnest($5::uuid[]) AS id`,
    [ctx.tenantId, entity, ctx.poolId, ctx.actorId, ids, ctx.origin ?? 'import'],
  );
}

/** `link`: a row matching an existing record is kept as a follow-up on it. */
export async function linkImported(
  client: pg.ClientBase,
  ctx: ChunkContext,
  entity: 'lead' | 'customer',
  links: readonly { id: string; row: ChunkRow }[],
): Promise<void> {
  if (!links.length) return;
  await client.query(
    `INSERT INTO follow_ups (tenant_id, entity_type, entity_id, type, content, author_id)
     SELECT $1, $2, id, 'other', content, $3 FROM unnest($4::uuid[], $5::text[]) AS u (id, content)`,
    [
      ctx.tenantId,
      entity,
      ctx.actorId,
      links.map((l) => l.id),
      links.map(
        (l) =>
          `${
            ctx.origin === 'intake'
              ? `Submitted again through ${ctx.fileName}`
              : `Imported again from ${ctx.fileName}, row ${String(l.row.no)}`
          }: ${Object.values(l.row.values).filter(Boolean).join(', ')}`,
      ),
    ],
  );
}
