import crypto from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../platform/errors.ts';
import { companyKeys, phoneE164 } from '../dedupe/normalised.ts';
import { normalizeCreditCode } from '../normalize/identity.ts';
import {
  auditImported,
  hiddenFromImporter,
  hiddenMatch,
  rejected,
  type ChunkContext,
  type ChunkRow,
  type RowOutcome,
} from './chunk.ts';

interface Prepared extends ChunkRow {
  phoneE164: string | null;
  email: string | null;
  /** How the row names its customer: a credit code, or a name core. */
  creditCode: string | null;
  core: string | null;
  place: string | null;
  key: string | null;
}

/** Cleans one row: a contact needs a name and a customer; a wrong phone is rejected. */
export function prepareContactRow(row: ChunkRow): Prepared | RowOutcome {
  const v = row.values;
  if (!v.name) return rejected(row.no, 'no name');
  if (!v.customer) return rejected(row.no, 'no customer');
  try {
    const phone = phoneE164(v.phone ?? null);
    const email = v.email ? v.email.toLowerCase() : null;
    const code = normalizeCreditCode(v.customer);
    const name = companyKeys(v.customer);
    return {
      ...row,
      phoneE164: phone,
      email,
      creditCode: code.ok ? code.value : null,
      core: code.ok ? null : name.core,
      place: code.ok ? null : name.place,
      key: phone ? `p:${phone}` : email ? `e:${email}` : null,
    };
  } catch (err) {
    if (err instanceof AppError) return rejected(row.no, `invalid phone "${v.phone ?? ''}"`);
    throw err;
  }
}

/**
 * Imports one chunk of contacts: each row is attached to the one customer
 * its customer column names (by credit code or name); a contact whose phone or
 * email exists is skipped, updated, or left linked to the existing contact.
 */
export async function importContactChunk(
  client: pg.ClientBase,
  ctx: ChunkContext,
  rows: readonly ChunkRow[],
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  const prepared: Prepared[] = [];
  for (const r of rows) {
    const p = prepareContactRow(r);
    if ('outcome' in p) outcomes.push(p);
    else prepared.push(p);
  }
  const list = (f: (p: Prepared) => string | null) => [
    ...new Set(prepared.flatMap((p) => f(p) ?? [])),
  ];
  const { rows: customers } = await client.query<{
    id: string;
    credit_code: string | null;
    core: string | null;
    place: string | null;
  }>(
    `SELECT id, credit_code, name_core AS core, name_place AS place FROM customers
      WHERE tenant_id = $1 AND deleted_at IS NULL
        AND (credit_code = ANY($2::text[]) OR name_core = ANY($3::text[]))`,
    [ctx.tenantId, list((p) => p.creditCode), list((p) => p.core)],
  );
  const { rows: existing } = await client.query<{
    id: string;
    phone_e164: string | null;
    email: string | null;
    ours: boolean;
  }>(
    `SELECT ct.id, ct.phone_e164, lower(ct.email) AS email,
            ours.flag IS NOT NULL AS ours
       FROM contacts ct
              LEFT JOIN LATERAL (SELECT true AS flag FROM import_rows r
                                  WHERE r.import_id = $4 AND r.record_id = ct.id
                                    AND r.outcome = 'created' LIMIT 1) ours ON true
      WHERE ct.tenant_id = $1 AND ct.deleted_at IS NULL
        AND (ct.phone_e164 = ANY($2::text[]) OR lower(ct.email) = ANY($3::text[]))`,
    [ctx.tenantId, list((p) => p.phoneE164), list((p) => p.email), ctx.importId],
  );
  const hiddenCustomers = await hiddenFromImporter(
    client,
    ctx,
    'customer',
    customers.map((c) => c.id),
  );
  const hiddenContacts = await hiddenFromImporter(
    client,
    ctx,
    'contact',
    existing.flatMap((c) => (c.ours ? [] : [c.id])),
  );
  // Per key, the contact this import made, else one the importer may see, else a hidden one.
  const preference = (c: { id: string; ours: boolean }) =>
    c.ours ? 2 : hiddenContacts.has(c.id) ? 0 : 1;
  const byKey = new Map<string, { id: string; ours: boolean }>();
  for (const c of existing)
    for (const k of [c.phone_e164 && `p:${c.phone_e164}`, c.email && `e:${c.email}`]) {
      const known = k ? byKey.get(k) : undefined;
      if (k && (!known || preference(c) > preference(known)))
        byKey.set(k, { id: c.id, ours: c.ours });
    }

  const inserts: (Prepared & { id: string; customerId: string })[] = [];
  const firstOfKey = new Map<string, Prepared & { id: string }>();
  const updates: { id: string; row: Prepared }[] = [];
  for (const p of prepared) {
    // A place in the name (厦门…) tells apart customers of one brand in several cities.
    const named = customers.filter((c) =>
      p.creditCode
        ? c.credit_code === p.creditCode
        : c.core === p.core && (!p.place || !c.place || c.place === p.place),
    );
    // Customers the importer may not see are not theirs to add contacts to.
    const matches = named.filter((c) => !hiddenCustomers.has(c.id));
    const customer = matches[0];
    const unseen = named[0];
    if (!customer && unseen) {
      outcomes.push(
        hiddenMatch(p.no, hiddenCustomers.get(unseen.id) ?? null, p.values.customer ?? ''),
      );
      continue;
    }
    if (!customer) {
      outcomes.push(rejected(p.no, `no customer "${p.values.customer ?? ''}"`));
      continue;
    }
    if (matches.length > 1) {
      outcomes.push(
        rejected(
          p.no,
          `${String(matches.length)} customers are named "${p.values.customer ?? ''}"; give the credit code`,
        ),
      );
      continue;
    }
    const inChunk = p.key ? firstOfKey.get(p.key) : undefined;
    const known = p.key ? byKey.get(p.key) : undefined;
    if (inChunk || known?.ours) {
      const recordId = inChunk?.id ?? known?.id ?? null;
      outcomes.push({
        no: p.no,
        outcome: 'merged',
        reason: 'repeats an earlier row of the file',
        recordId,
      });
      continue;
    }
    if (known && hiddenContacts.has(known.id)) {
      outcomes.push(hiddenMatch(p.no, hiddenContacts.get(known.id) ?? null));
      continue;
    }
    if (known) {
      const outcome =
        ctx.onDuplicate === 'skip'
          ? 'skipped'
          : ctx.onDuplicate === 'update'
            ? 'updated'
            : 'linked';
      if (outcome === 'updated') updates.push({ id: known.id, row: p });
      outcomes.push({
        no: p.no,
        outcome,
        reason: 'a contact with this phone or email exists',
        recordId: known.id,
      });
      continue;
    }
    const row = { ...p, id: crypto.randomUUID(), customerId: customer.id };
    inserts.push(row);
    if (p.key) firstOfKey.set(p.key, row);
    outcomes.push({ no: p.no, outcome: 'created', reason: null, recordId: row.id });
  }
  if (inserts.length) {
    const text = (f: (r: (typeof inserts)[number]) => string | null | undefined) =>
      inserts.map((r) => f(r) ?? null);
    await client.query(
      `INSERT INTO contacts (id, tenant_id, customer_id, name, title, phone, phone_e164, email, wechat)
       SELECT u.id, $1, u.customer, u.name, u.title, u.phone, u.e164, u.email, u.wechat
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[])
              AS u (id, customer, name, title, phone, e164, email, wechat)`,
      [
        ctx.tenantId,
        inserts.map((r) => r.id),
        inserts.map((r) => r.customerId),
        text((r) => r.values.name),
        text((r) => r.values.title),
        text((r) => r.values.phone),
        text((r) => r.phoneE164),
        text((r) => r.values.email),
        text((r) => r.values.wechat),
      ],
    );
    await auditImported(
      client,
      ctx,
      'contact',
      'create',
      inserts.map((r) => r.id),
    );
  }
  if (updates.length) {
    await client.query(
      `UPDATE contacts c SET title = coalesce(u.title, c.title), wechat = coalesce(u.wechat, c.wechat),
              name = coalesce(u.name, c.name), updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u (id, name, title, wechat)
        WHERE c.id = u.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => u.row.values.name ?? null),
        updates.map((u) => u.row.values.title ?? null),
        updates.map((u) => u.row.values.wechat ?? null),
      ],
    );
    await auditImported(
      client,
      ctx,
      'contact',
      'update',
      updates.map((u) => u.id),
    );
  }
  return outcomes.sort((a, b) => a.no - b.no);
}
