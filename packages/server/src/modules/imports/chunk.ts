import { sql, type SQL } from 'drizzle-orm';
import type pg from 'pg';
import {
  importNotePrefix,
  type ImportDuplicateHandling,
  type ImportRowOutcome,
} from '@tide/contract';
import type { DataScope } from '../../platform/access.ts';
import { queryOn } from '../../platform/db.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';

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
  /**
   * The importer's data scope: a row matching a record outside it is skipped, naming
   * only the owner. Null when the system acts for the whole tenant (a website form).
   */
  scope: DataScope | null;
}

export const rejected = (no: number, reason: string): RowOutcome => ({
  no,
  outcome: 'rejected',
  reason,
  recordId: null,
});

/**
 * Of the records an import matched, those its importer may not see, each with its
 * owner's name (null in a pool not serving the importer): one indexed lookup by id
 * of the chunk's candidates through the same predicate as every other read. A
 * contact is visible exactly when its customer is.
 */
export async function hiddenFromImporter(
  client: pg.ClientBase,
  ctx: ChunkContext,
  kind: 'lead' | 'customer' | 'contact',
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const scope = ctx.scope;
  const hidden = new Map<string, string | null>();
  if (!scope || !ids.length || scope.reach[kind === 'lead' ? 'lead' : 'customer'] === 'tenant')
    return hidden;
  // One primary-key lookup per id, whatever the table's size: LIMIT keeps the planner
  // from flattening the lateral lookup into a join that scans the whole table.
  const lookup = (record: SQL) => sql`SELECT h.id, h.owner
      FROM unnest(${sql.param([...new Set(ids)])}::uuid[]) AS m (id)
      CROSS JOIN LATERAL (${record} LIMIT 1) h`;
  const query =
    kind === 'lead'
      ? lookup(sql`SELECT leads.id, u.display_name AS owner
                     FROM leads LEFT JOIN users u ON u.id = leads.owner_id
                    WHERE leads.id = m.id AND (${leadsVisibleTo(scope)}) IS NOT TRUE`)
      : kind === 'customer'
        ? lookup(sql`SELECT customers.id, u.display_name AS owner
                       FROM customers LEFT JOIN users u ON u.id = customers.owner_id
                      WHERE customers.id = m.id AND (${customersVisibleTo(scope)}) IS NOT TRUE`)
        : lookup(sql`SELECT ct.id, u.display_name AS owner
                       FROM contacts ct JOIN customers ON customers.id = ct.customer_id
                            LEFT JOIN users u ON u.id = customers.owner_id
                      WHERE ct.id = m.id AND (${customersVisibleTo(scope)}) IS NOT TRUE`);
  for (const r of await queryOn<{ id: string; owner: string | null }>(client, query))
    hidden.set(r.id, r.owner);
  return hidden;
}

/**
 * A row matching a record its importer may not see: skipped, and the report names
 * only who owns it (SPEC §1 lets a refusal name a colleague), never the record's id.
 * `customer`: the row is a contact naming that customer, not a record of its own.
 */
export function hiddenMatch(no: number, owner: string | null, customer?: string): RowOutcome {
  const what = customer === undefined ? 'already exists' : `the customer "${customer}" is`;
  return {
    no,
    outcome: 'skipped',
    reason: owner
      ? `${what}${customer === undefined ? ',' : ''} owned by ${owner}`
      : `${what} in a public pool that does not serve you`,
    recordId: null,
  };
}

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

/** The lines of a row's follow-up note: `备注：…` per note column with a value. */
export function noteOf(values: ChunkRow['values']): string | null {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(importNotePrefix) || !value) continue;
    const label = key.slice(importNotePrefix.length);
    lines.push(`${label}${/\p{Script=Han}/u.test(label) ? '：' : ': '}${value}`);
  }
  return lines.length ? lines.join('\n') : null;
}

/**
 * The note columns of each row that created, updated or merged into a record, as one
 * follow-up per row on that record, by the importer, in the chunk's transaction. A linked
 * row's follow-up already carries all its values; a skipped row changes nothing.
 */
export async function notesOfImported(
  client: pg.ClientBase,
  ctx: ChunkContext,
  entity: 'lead' | 'customer',
  rows: readonly ChunkRow[],
  outcomes: readonly RowOutcome[],
): Promise<void> {
  const notes = new Map<number, string>();
  for (const r of rows) {
    const note = noteOf(r.values);
    if (note) notes.set(r.no, note);
  }
  if (!notes.size) return;
  const written = outcomes.flatMap((o) => {
    const note = notes.get(o.no);
    return note && o.recordId && ['created', 'updated', 'merged'].includes(o.outcome)
      ? [{ id: o.recordId, note }]
      : [];
  });
  if (!written.length) return;
  await client.query(
    `INSERT INTO follow_ups (tenant_id, entity_type, entity_id, type, content, author_id)
     SELECT $1, $2, id, 'other', content, $3 FROM unnest($4::uuid[], $5::text[]) AS u (id, content)`,
    [ctx.tenantId, entity, ctx.actorId, written.map((w) => w.id), written.map((w) => w.note)],
  );
}
