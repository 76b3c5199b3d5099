import crypto from 'node:crypto';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type {
  AssignmentRule,
  AssignmentRuleBody,
  IntakeForm,
  IntakeFormBody,
  IntakeLeadBody,
  Lead,
  Page,
  VerifyBody,
} from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Actor, Caller } from '../../platform/context.ts';
import {
  inClientTransaction,
  rowsOf,
  type Database,
  type Db,
  type DbOrTx,
} from '../../platform/db.ts';
import { AppError, conflict, invalid, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { importLeadChunk, prepareLeadRow } from '../imports/leads.import.ts';
import { leadsVisibleTo, toLead } from '../leads/leads.repo.ts';
import { leads } from '../leads/leads.table.ts';
import { distributeAs } from './assign.ts';

/**
 * What happens to leads as they enter a pool (SPEC §2, §5): assignment rules share them
 * out by conditions, a pool may first hold them for a verification call, and website forms
 * feed them in through a public endpoint.
 */

const iso = (d: Date | string) => new Date(d).toISOString();

/* ---------- Assignment rules ---------- */

interface RuleRow {
  id: string;
  pool_id: string;
  name: string;
  priority: number;
  enabled: boolean;
  sources: string[];
  region_codes: string[];
  industries: string[];
  strategy: AssignmentRule['strategy'];
  user_ids: string[];
  node_id: string | null;
  cursor: number;
  created_at: Date | string;
}

const toRule = (r: RuleRow): AssignmentRule => ({
  id: r.id,
  poolId: r.pool_id,
  name: r.name,
  priority: r.priority,
  enabled: r.enabled,
  sources: r.sources,
  regionCodes: r.region_codes,
  industries: r.industries,
  strategy: r.strategy,
  userIds: r.user_ids,
  nodeId: r.node_id,
  createdAt: iso(r.created_at),
});

export async function listAssignmentRules(db: DbOrTx, tenantId: string): Promise<AssignmentRule[]> {
  const rows = rowsOf<RuleRow>(
    await db.execute(sql`SELECT * FROM assignment_rules WHERE tenant_id = ${tenantId}
                          ORDER BY pool_id, priority, created_at`),
  );
  return rows.map(toRule);
}

async function checkRuleTargets(tx: DbOrTx, tenantId: string, body: AssignmentRuleBody) {
  const [found] = rowsOf<{ pool: boolean; node: boolean; users: number }>(
    await tx.execute(sql`
      SELECT EXISTS (SELECT 1 FROM pools WHERE id = ${body.poolId} AND tenant_id = ${tenantId}) AS pool,
             (${body.nodeId ?? null}::uuid IS NULL OR EXISTS (
                SELECT 1 FROM org_nodes WHERE id = ${body.nodeId ?? null}::uuid AND tenant_id = ${tenantId})) AS node,
             (SELECT count(*)::int FROM users WHERE tenant_id = ${tenantId} AND active
                AND id = ANY(${sql.param(body.userIds ?? [])}::uuid[])) AS users`),
  );
  if (!found?.pool) throw invalid('The pool does not exist', { path: 'poolId' });
  if (!found.node) throw invalid('The org node does not exist', { path: 'nodeId' });
  if (found.users !== new Set(body.userIds ?? []).size)
    throw invalid('Some of the reps are not active users of this tenant', { path: 'userIds' });
}

export async function saveAssignmentRule(
  db: Db,
  caller: Caller,
  id: string | null,
  body: AssignmentRuleBody,
): Promise<AssignmentRule> {
  const saved = await db.transaction(async (tx) => {
    await checkRuleTargets(tx, caller.tenantId, body);
    const values = sql`${body.poolId}::uuid, ${body.name}::text, ${body.priority ?? 100}::int,
      ${body.enabled ?? true}::boolean, ${sql.param(body.sources ?? [])}::text[],
      ${sql.param(body.regionCodes ?? [])}::text[], ${sql.param(body.industries ?? [])}::text[],
      ${body.strategy}::text, ${sql.param(body.userIds ?? [])}::uuid[], ${body.nodeId ?? null}::uuid`;
    const rows = rowsOf<RuleRow>(
      await tx.execute(
        id
          ? sql`UPDATE assignment_rules SET (pool_id, name, priority, enabled, sources, region_codes,
                  industries, strategy, user_ids, node_id) = (${values}), updated_at = now()
                 WHERE id = ${id} AND tenant_id = ${caller.tenantId} RETURNING *`
          : sql`INSERT INTO assignment_rules (tenant_id, pool_id, name, priority, enabled, sources,
                  region_codes, industries, strategy, user_ids, node_id)
                VALUES (${caller.tenantId}, ${values}) RETURNING *`,
      ),
    );
    const row = rows[0];
    if (!row) throw notFound('Assignment rule');
    await audit(tx, caller, {
      entity: 'assignment_rule',
      entityId: row.id,
      action: id ? 'update' : 'create',
      after: { ...toRule(row) },
    });
    return row;
  });
  return toRule(saved);
}

export async function deleteAssignmentRule(db: Db, caller: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = rowsOf<RuleRow>(
      await tx.execute(sql`DELETE FROM assignment_rules WHERE id = ${id}
                             AND tenant_id = ${caller.tenantId} RETURNING *`),
    );
    const row = rows[0];
    if (!row) throw notFound('Assignment rule');
    await audit(tx, caller, {
      entity: 'assignment_rule',
      entityId: id,
      action: 'delete',
      before: { ...toRule(row) },
    });
  });
}

/**
 * Applies the assignment rules of their pools to leads that just entered one, in priority
 * order: each rule takes the leads matching its conditions (source, region, industry —
 * leads carry no industry, so a rule naming industries takes none) and shares them by its
 * strategy. Leads waiting for verification, and those no rule takes, stay in the pool.
 */
export async function autoAssign(
  db: Db,
  tenantId: string,
  leadIds: readonly string[],
): Promise<number> {
  if (leadIds.length === 0) return 0;
  const rules = rowsOf<RuleRow & { lead_ids: string[] }>(
    await db.execute(sql`
      SELECT r.*, array_agg(l.id ORDER BY l.created_at, l.id) AS lead_ids
        FROM assignment_rules r
        JOIN leads l ON l.pool_id = r.pool_id AND l.tenant_id = r.tenant_id
       WHERE r.tenant_id = ${tenantId} AND r.enabled
         AND l.id = ANY(${sql.param([...leadIds])}::uuid[])
         AND l.owner_id IS NULL AND l.status = 'unassigned' AND l.deleted_at IS NULL
         AND (l.verification IS NULL OR l.verification = 'verified')
         AND (cardinality(r.sources) = 0 OR l.source = ANY(r.sources))
         AND (cardinality(r.region_codes) = 0
              OR l.province_code = ANY(r.region_codes) OR l.city_code = ANY(r.region_codes)
              OR l.district_code = ANY(r.region_codes))
         AND cardinality(r.industries) = 0
       GROUP BY r.id ORDER BY r.priority, r.created_at`),
  );
  const system: Actor = { tenantId, userId: null, requestId: null };
  const taken = new Set<string>();
  let assigned = 0;
  for (const rule of rules) {
    const ids = rule.lead_ids.filter((id) => !taken.has(id));
    if (ids.length === 0) continue;
    try {
      const result = await distributeAs(
        db,
        system,
        null,
        {
          entity: 'lead',
          ids,
          strategy: rule.strategy,
          ...(rule.user_ids.length ? { userIds: rule.user_ids } : {}),
          ...(rule.node_id ? { nodeId: rule.node_id } : {}),
        },
        { cursor: rule.cursor },
      );
      assigned += result.assigned;
      for (const id of ids) if (!result.skipped.some((s) => s.id === id)) taken.add(id);
      if (rule.strategy === 'round_robin')
        await db.execute(
          sql`UPDATE assignment_rules SET cursor = ${result.cursor} WHERE id = ${rule.id}`,
        );
    } catch (err) {
      // A rule whose reps are gone leaves its leads in the pool for the next rule.
      if (!(err instanceof AppError)) throw err;
    }
  }
  return assigned;
}

/* ---------- Verification queue ---------- */

/** Leads waiting for a verification call in the pools the caller serves, oldest first. */
export async function verificationQueue(
  db: Db,
  caller: Caller,
  q: { page: number; pageSize: number },
): Promise<Page<Lead>> {
  const scope = await buildScope(db, caller);
  const where = and(
    eq(leads.tenantId, caller.tenantId),
    eq(leads.verification, 'pending'),
    isNull(leads.deletedAt),
    leadsVisibleTo(scope),
  );
  const rows = await db
    .select()
    .from(leads)
    .where(where)
    .orderBy(asc(leads.createdAt), asc(leads.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(leads).where(where);
  return {
    items: rows.map((r) => toLead({ ...r, ownerName: null })),
    total: total?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * Records a verification call's result: a verified lead becomes open for distribution (and
 * the pool's assignment rules take it); a wrong number or no intention keeps it out.
 */
export async function verifyLead(
  db: Db,
  caller: Caller,
  id: string,
  body: VerifyBody,
): Promise<void> {
  const scope = await buildScope(db, caller);
  await db.transaction(async (tx) => {
    const rows = rowsOf<{ verification: string | null }>(
      await tx.execute(sql`SELECT verification FROM leads
                            WHERE ${leads.id} = ${id} AND ${leads.tenantId} = ${caller.tenantId}
                              AND ${leads.deletedAt} IS NULL AND ${leadsVisibleTo(scope)} FOR UPDATE`),
    );
    const row = rows[0];
    if (!row) throw notFound('Lead');
    if (row.verification !== 'pending')
      throw new AppError('ILLEGAL_TRANSITION', 'This lead is not waiting for verification', {
        verification: row.verification,
      });
    await tx.execute(sql`
      UPDATE leads SET verification = ${body.result}, verified_by = ${caller.userId},
             verified_at = now(), verification_note = ${body.note ?? null}, updated_at = now()
       WHERE id = ${id}`);
    await tx.execute(sql`
      INSERT INTO follow_ups (tenant_id, entity_type, entity_id, author_id, type, content, result)
      VALUES (${caller.tenantId}, 'lead', ${id}, ${caller.userId}, 'call',
              ${body.note ?? 'verification call'}, ${body.result})`);
    await audit(tx, caller, {
      entity: 'lead',
      entityId: id,
      action: 'status',
      before: { verification: 'pending' },
      after: { verification: body.result },
    });
  });
  if (body.result === 'verified') await autoAssign(db, caller.tenantId, [id]);
}

/* ---------- Web intake forms ---------- */

interface FormRow {
  id: string;
  tenant_id: string;
  name: string;
  form_key: string;
  pool_id: string;
  source: string;
  per_minute: number;
  enabled: boolean;
  created_at: Date | string;
}
const toForm = (r: FormRow): IntakeForm => ({
  id: r.id,
  name: r.name,
  formKey: r.form_key,
  poolId: r.pool_id,
  source: r.source,
  perMinute: r.per_minute,
  enabled: r.enabled,
  createdAt: iso(r.created_at),
});

export async function listIntakeForms(db: DbOrTx, tenantId: string): Promise<IntakeForm[]> {
  return rowsOf<FormRow>(
    await db.execute(sql`SELECT * FROM intake_forms WHERE tenant_id = ${tenantId} ORDER BY name`),
  ).map(toForm);
}

export async function saveIntakeForm(
  db: Db,
  caller: Caller,
  id: string | null,
  body: IntakeFormBody,
): Promise<IntakeForm> {
  const row = await db
    .transaction(async (tx) => {
      const pool = rowsOf<{ id: string }>(
        await tx.execute(
          sql`SELECT id FROM pools WHERE id = ${body.poolId} AND tenant_id = ${caller.tenantId}`,
        ),
      );
      if (!pool[0]) throw invalid('The pool does not exist', { path: 'poolId' });
      const rows = rowsOf<FormRow>(
        await tx.execute(
          id
            ? sql`UPDATE intake_forms SET name = ${body.name}, pool_id = ${body.poolId},
                    source = ${body.source}, per_minute = ${body.perMinute ?? 10},
                    enabled = ${body.enabled ?? true}, updated_at = now()
                   WHERE id = ${id} AND tenant_id = ${caller.tenantId} RETURNING *`
            : sql`INSERT INTO intake_forms (tenant_id, name, form_key, pool_id, source, per_minute, enabled)
                  VALUES (${caller.tenantId}, ${body.name}, ${crypto.randomBytes(18).toString('base64url')},
                          ${body.poolId}, ${body.source}, ${body.perMinute ?? 10}, ${body.enabled ?? true})
                  RETURNING *`,
        ),
      );
      const saved = rows[0];
      if (!saved) throw notFound('Intake form');
      await audit(tx, caller, {
        entity: 'intake_form',
        entityId: saved.id,
        action: id ? 'update' : 'create',
        after: {
          name: saved.name,
          poolId: saved.pool_id,
          source: saved.source,
          enabled: saved.enabled,
        },
      });
      return saved;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err, 'intake_forms_tenant_id_name_key'))
        throw conflict('A form with this name exists already', { path: 'name' });
      throw err;
    });
  return toForm(row);
}

/**
 * A website form's submission (SPEC §2): the form key names the form (and so the tenant
 * and pool); submissions are limited per form and address per minute, counted in
 * PostgreSQL; a filled honeypot is accepted and dropped; the lead is cleaned and matched
 * like an imported row (an existing lead gets the submission as a follow-up), enters the
 * form's pool and follows its rules.
 */
export async function intakeLead(
  database: Database,
  body: IntakeLeadBody,
  address: string,
): Promise<void> {
  const db = database.db;
  const forms = rowsOf<FormRow>(
    await db.execute(sql`SELECT * FROM intake_forms WHERE form_key = ${body.formKey} AND enabled`),
  );
  const form = forms[0];
  if (!form) throw notFound('Form');
  const [hits] = rowsOf<{ n: number }>(
    await db.execute(sql`
      WITH hit AS (INSERT INTO intake_hits (form_id, address) VALUES (${form.id}, ${address}))
      SELECT count(*)::int AS n FROM intake_hits
       WHERE form_id = ${form.id} AND address = ${address} AND at > now() - interval '1 minute'`),
  );
  if ((hits?.n ?? 0) >= form.per_minute)
    throw new AppError('RATE_LIMITED', 'Too many submissions; try again in a minute', {
      retryAfterSeconds: 60,
    });
  if (body.website) return; // the honeypot: people never see it, so never fill it
  const values: Record<string, string | null> = {
    company: body.company ?? null,
    contactName: body.contactName ?? null,
    phone: body.phone ?? null,
    email: body.email ?? null,
    address: body.address ?? null,
    source: form.source,
  };
  const row = { no: 1, values };
  const checked = prepareLeadRow(row);
  if ('outcome' in checked)
    throw invalid(checked.reason ?? 'The submission was refused', { path: 'phone' });
  const created = await inClientTransaction(database, async (client) => {
    const outcomes = await importLeadChunk(
      client,
      {
        tenantId: form.tenant_id,
        importId: form.id,
        actorId: null,
        poolId: form.pool_id,
        onDuplicate: 'link',
        fileName: form.name,
        origin: 'intake',
        // A website visitor sees nothing; the form files for the tenant, as it always has.
        scope: null,
      },
      [row],
    );
    const outcome = outcomes[0];
    if (outcome?.outcome === 'rejected')
      throw invalid(outcome.reason ?? 'The submission was refused', { path: 'phone' });
    if (body.message && outcome?.recordId)
      await client.query(
        `INSERT INTO follow_ups (tenant_id, entity_type, entity_id, type, content)
         VALUES ($1, 'lead', $2, 'other', $3)`,
        [form.tenant_id, outcome.recordId, body.message],
      );
    return outcome?.outcome === 'created' && outcome.recordId ? [outcome.recordId] : [];
  });
  await autoAssign(db, form.tenant_id, created);
}
