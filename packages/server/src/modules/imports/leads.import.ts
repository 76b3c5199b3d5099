import crypto from 'node:crypto';
import type pg from 'pg';
import type { LeadImportField } from '@tide/contract';
import { AppError } from '../../platform/errors.ts';
import { leadNormalised } from '../dedupe/normalised.ts';
import {
  auditImported,
  handoversOfImported,
  hiddenFromImporter,
  hiddenMatch,
  linkImported,
  rejected,
  type ChunkContext,
  type ChunkRow,
  type RowOutcome,
} from './chunk.ts';

type LeadValues = ChunkRow['values'];

interface Prepared extends ChunkRow {
  phoneE164: string | null;
  companyCore: string | null;
  companyFolded: string | null;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  /** The in-file and database duplicate key: the phone, else the company core. */
  key: string | null;
}

/** Cleans one row: a wrong phone or an empty row is rejected with the reason. */
export function prepareLeadRow(row: ChunkRow): Prepared | RowOutcome {
  const v = row.values;
  if (!v.company && !v.contactName && !v.phone)
    return rejected(row.no, 'no company, contact or phone');
  try {
    const n = leadNormalised({
      company: v.company ?? null,
      phone: v.phone ?? null,
      address: v.address ?? null,
    });
    const phoneE164 = n.phoneE164 ?? null;
    const companyCore = n.companyCore ?? null;
    return {
      ...row,
      phoneE164,
      companyCore,
      companyFolded: n.companyFolded ?? null,
      provinceCode: n.provinceCode ?? null,
      cityCode: n.cityCode ?? null,
      districtCode: n.districtCode ?? null,
      key: phoneE164 ? `p:${phoneE164}` : companyCore ? `c:${companyCore}` : null,
    };
  } catch (err) {
    if (err instanceof AppError) return rejected(row.no, `invalid phone "${v.phone ?? ''}"`);
    throw err;
  }
}

interface ExistingLead {
  id: string;
  ours: boolean;
  hidden: boolean;
  company: string | null;
  companyCore: string | null;
}

/**
 * Two records sharing a phone are one company only when their names agree too (or one
 * has no name): a switchboard often answers for several companies of one building or group.
 */
function namesAgree(
  p: { companyCore: string | null },
  other: { companyCore: string | null },
): boolean {
  return !p.companyCore || !other.companyCore || p.companyCore === other.companyCore;
}

const isOutcome = (p: Prepared | RowOutcome): p is RowOutcome => 'outcome' in p;

/**
 * Imports one chunk of lead rows inside the caller's transaction, set-based:
 * phones of existing customers are filtered out, rows that repeat an earlier
 * row of the file are merged into its lead, rows matching a lead already in the
 * database are skipped, update it or are linked to it (a follow-up on it), per
 * the import's setting; the rest are inserted with their handovers and audit
 * entries. Answers every row's outcome.
 */
export async function importLeadChunk(
  client: pg.ClientBase,
  ctx: ChunkContext,
  rows: readonly ChunkRow[],
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  const prepared: Prepared[] = [];
  for (const r of rows) {
    const p = prepareLeadRow(r);
    if (isOutcome(p)) outcomes.push(p);
    else prepared.push(p);
  }

  // Numbers that already belong to customers (the customer's own or a contact's).
  const phones = [...new Set(prepared.flatMap((p) => (p.phoneE164 ? [p.phoneE164] : [])))];
  const customerPhones = new Map<string, { name: string; companyCore: string | null }[]>();
  if (phones.length) {
    const { rows: found } = await client.query<{
      phone: string;
      name: string;
      core: string | null;
    }>(
      `SELECT c.phone_e164 AS phone, c.name, c.name_core AS core FROM customers c
        WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND c.phone_e164 = ANY($2::text[])
       UNION ALL
       SELECT ct.phone_e164, c.name, c.name_core FROM contacts ct JOIN customers c ON c.id = ct.customer_id
        WHERE ct.tenant_id = $1 AND ct.deleted_at IS NULL AND c.deleted_at IS NULL
          AND ct.phone_e164 = ANY($2::text[])`,
      [ctx.tenantId, phones],
    );
    for (const f of found) {
      const customer = { name: f.name, companyCore: f.core };
      const list = customerPhones.get(f.phone);
      if (list) list.push(customer);
      else customerPhones.set(f.phone, [customer]);
    }
  }

  // Leads already in the database with the same key; `ours` when this import created them.
  const cores = [
    ...new Set(prepared.flatMap((p) => (!p.phoneE164 && p.companyCore ? [p.companyCore] : []))),
  ];
  const existing = new Map<string, ExistingLead[]>();
  let hiddenOwners = new Map<string, string | null>();
  if (phones.length || cores.length) {
    const { rows: found } = await client.query<{
      id: string;
      phone_e164: string | null;
      company: string | null;
      company_core: string | null;
      ours: boolean;
    }>(
      `SELECT l.id, l.phone_e164, l.company, l.company_core,
              ours.flag IS NOT NULL AS ours
         FROM leads l
              LEFT JOIN LATERAL (SELECT true AS flag FROM import_rows r
                                  WHERE r.import_id = $4 AND r.record_id = l.id
                                    AND r.outcome = 'created' LIMIT 1) ours ON true
        WHERE l.tenant_id = $1 AND l.deleted_at IS NULL AND l.status NOT IN ('voided', 'converted')
          AND (l.phone_e164 = ANY($2::text[]) OR (l.phone_e164 IS NULL AND l.company_core = ANY($3::text[])))
        ORDER BY l.created_at`,
      [ctx.tenantId, phones, cores, ctx.importId],
    );
    hiddenOwners = await hiddenFromImporter(
      client,
      ctx,
      'lead',
      found.flatMap((f) => (f.ours ? [] : [f.id])),
    );
    for (const f of found) {
      const key = f.phone_e164 ? `p:${f.phone_e164}` : `c:${f.company_core ?? ''}`;
      const lead = {
        id: f.id,
        ours: f.ours,
        hidden: hiddenOwners.has(f.id),
        company: f.company,
        companyCore: f.company_core,
      };
      const list = existing.get(key);
      if (list) list.push(lead);
      else existing.set(key, [lead]);
    }
  }
  // Prefer the lead this import made, so repeats of the file merge into it; then one
  // the importer may see over one they may not.
  const preference = (l: ExistingLead) => (l.ours ? 2 : l.hidden ? 0 : 1);
  const match = (p: Prepared): { known?: ExistingLead; sharing?: ExistingLead } => {
    const list = p.key ? existing.get(p.key) : undefined;
    if (!list) return {};
    let known: ExistingLead | undefined;
    for (const l of list)
      if (namesAgree(p, l) && (!known || preference(l) > preference(known))) known = l;
    return known ? { known } : { sharing: list.find((l) => !l.hidden) ?? list[0] };
  };

  const inserts: (Prepared & { id: string })[] = [];
  const firstOfKey = new Map<string, (Prepared & { id: string })[]>();
  const merges: { id: string; values: LeadValues }[] = [];
  const updates: { id: string; values: LeadValues }[] = [];
  const links: { id: string; row: Prepared }[] = [];
  for (const p of prepared) {
    const ofPhone = p.phoneE164 ? customerPhones.get(p.phoneE164) : undefined;
    const customer = ofPhone?.find((c) => namesAgree(p, c));
    if (customer !== undefined) {
      outcomes.push({
        no: p.no,
        outcome: 'rejected',
        reason: `the phone belongs to the customer ${customer.name}`,
        recordId: null,
      });
      continue;
    }
    const sameKey = p.key ? firstOfKey.get(p.key) : undefined;
    const inChunk = sameKey?.find((r) => namesAgree(p, r));
    if (inChunk) {
      for (const f of Object.keys(p.values) as LeadImportField[])
        inChunk.values[f] ??= p.values[f] ?? null;
      outcomes.push({
        no: p.no,
        outcome: 'merged',
        reason: `repeats row ${String(inChunk.no)} of the file`,
        recordId: inChunk.id,
      });
      continue;
    }
    const { known, sharing } = match(p);
    if (known?.ours) {
      merges.push({ id: known.id, values: p.values });
      outcomes.push({
        no: p.no,
        outcome: 'merged',
        reason: 'repeats an earlier row of the file',
        recordId: known.id,
      });
      continue;
    }
    if (known?.hidden) {
      outcomes.push(hiddenMatch(p.no, hiddenOwners.get(known.id) ?? null));
      continue;
    }
    if (known) {
      if (ctx.onDuplicate === 'skip') {
        outcomes.push({
          no: p.no,
          outcome: 'skipped',
          reason: 'a lead with this phone or company exists',
          recordId: known.id,
        });
      } else if (ctx.onDuplicate === 'update') {
        updates.push({ id: known.id, values: p.values });
        outcomes.push({
          no: p.no,
          outcome: 'updated',
          reason: 'a lead with this phone or company exists',
          recordId: known.id,
        });
      } else {
        links.push({ id: known.id, row: p });
        outcomes.push({
          no: p.no,
          outcome: 'linked',
          reason: 'recorded as a follow-up of the existing lead',
          recordId: known.id,
        });
      }
      continue;
    }
    const row = { ...p, values: { ...p.values }, id: crypto.randomUUID() };
    inserts.push(row);
    if (p.key) firstOfKey.set(p.key, [...(sameKey ?? []), row]);
    // A shared switchboard: another company answers on this number, so both are kept and
    // the report says so, naming the other only when the importer may see it.
    const other = sameKey?.[0]?.values.company ?? (sharing?.hidden ? null : sharing?.company);
    outcomes.push({
      no: p.no,
      outcome: 'created',
      reason:
        p.phoneE164 && (sameKey || sharing || ofPhone)
          ? `shares the phone ${p.phoneE164} with ${other ?? 'another record'}`
          : null,
      recordId: row.id,
    });
  }

  const col = (f: LeadImportField) => (r: { values: LeadValues }) => r.values[f] ?? null;
  if (inserts.length) {
    const ids = inserts.map((r) => r.id);
    await client.query(
      `INSERT INTO leads (id, tenant_id, company, contact_name, phone, email, address, source,
                          phone_e164, company_folded, company_core, province_code, city_code,
                          district_code, status, pool_id, created_by)
       SELECT u.id, $1, u.company, u.contact, u.phone, u.email, u.address, coalesce(u.source, $4),
              u.e164, u.folded, u.core, u.province, u.city, u.district, 'unassigned', $2, $3
         FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                     $17::text[])
              AS u (id, company, contact, phone, email, address, source, e164, folded, core,
                    province, city, district)`,
      [
        ctx.tenantId,
        ctx.poolId,
        ctx.actorId,
        ctx.origin ?? 'import',
        ids,
        inserts.map(col('company')),
        inserts.map(col('contactName')),
        inserts.map(col('phone')),
        inserts.map(col('email')),
        inserts.map(col('address')),
        inserts.map(col('source')),
        inserts.map((r) => r.phoneE164),
        inserts.map((r) => r.companyFolded),
        inserts.map((r) => r.companyCore),
        inserts.map((r) => r.provinceCode),
        inserts.map((r) => r.cityCode),
        inserts.map((r) => r.districtCode),
      ],
    );
    await handoversOfImported(client, ctx, 'lead', ids);
    await auditImported(client, ctx, 'lead', 'create', ids);
  }
  // Repeats fill what the first row left empty; updates overwrite with what the row has.
  for (const [list, keep] of [
    [merges, true],
    [updates, false],
  ] as const) {
    if (!list.length) continue;
    const pick = (a: string, b: string) => (keep ? `coalesce(${a}, ${b})` : `coalesce(${b}, ${a})`);
    await client.query(
      `UPDATE leads l SET company = ${pick('l.company', 'u.company')},
              contact_name = ${pick('l.contact_name', 'u.contact')},
              email = ${pick('l.email', 'u.email')}, address = ${pick('l.address', 'u.address')},
              updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
              AS u (id, company, contact, email, address)
        WHERE l.id = u.id`,
      [
        list.map((m) => m.id),
        list.map(col('company')),
        list.map(col('contactName')),
        list.map(col('email')),
        list.map(col('address')),
      ],
    );
    if (!keep)
      await auditImported(
        client,
        ctx,
        'lead',
        'update',
        list.map((m) => m.id),
      );
  }
  await linkImported(client, ctx, 'lead', links);
  return outcomes.sort((a, b) => a.no - b.no);
}
