import { sql } from 'drizzle-orm';
import type { DuplicateMatch, MatchLevel } from '@tide/contract';
import type { DataScope } from '../../platform/access.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';
import {
  addressKeys,
  companyKeys,
  creditCode,
  idNumber,
  nameKeys,
  phoneE164,
  pinyinKey,
  registrationNumber,
} from './normalised.ts';

/** What a record is checked against, normalised once. */
export interface Probe {
  phoneE164: string | null;
  creditCode: string | null;
  idNumber: string | null;
  /** A licence, organisation-code or tax number, compared with all three. */
  registration: string | null;
  core: string | null;
  pinyin: string | null;
  keys: string[] | null;
  place: string | null;
  branch: string | null;
  districtCode: string | null;
  addressDetail: string | null;
}

export interface ProbeInput {
  name?: string | null;
  phone?: string | null;
  creditCode?: string | null;
  idNumber?: string | null;
  registration?: string | null;
  address?: string | null;
}

export function probeOf(body: ProbeInput): Probe {
  const name = companyKeys(body.name);
  const address = addressKeys(body.address);
  return {
    phoneE164: phoneE164(body.phone),
    creditCode: creditCode(body.creditCode),
    idNumber: idNumber(body.idNumber),
    registration: registrationNumber(body.registration),
    core: name.core,
    pinyin: pinyinKey(name.core),
    keys: nameKeys(name.core),
    place: name.place,
    branch: name.branch,
    districtCode: address.districtCode,
    addressDetail: address.districtCode ? address.detail : null,
  };
}

/** The normalised keys of a stored record that scoring compares. */
export interface CandidateKeys {
  /** `person` for individual customers: a name alone does not identify a person. */
  kind: 'company' | 'person' | null;
  phone_e164: string | null;
  credit_code: string | null;
  id_number?: string | null;
  /** True when one of the record's registration numbers equals the probe's. */
  same_registration?: boolean | null;
  name_pinyin: string | null;
  /** pg_trgm similarity of the name cores, 0..1. */
  name_similarity: number | null;
  /** pg_trgm similarity of the address details when both are in the same district, 0..1. */
  address_similarity?: number | null;
  core: string | null;
  place: string | null;
  branch: string | null;
  district_code: string | null;
}

interface Candidate extends CandidateKeys, Record<string, unknown> {
  id: string;
  type: 'customer' | 'lead';
  name: string;
  owner_name: string | null;
  visible: boolean;
}

export interface Score {
  score: number;
  level: MatchLevel;
  reasons: string[];
}

/** Trigram similarity of name cores from which a different spelling is shown as possible. */
export const FUZZY_NAME = 0.35;
/** Trigram similarity of two address details in one district that counts as the same place. */
export const SAME_ADDRESS = 0.6;

/** `same district, address 88% similar` when the addresses agree, else null. */
function addressEvidence(probe: Probe, c: CandidateKeys): { sim: number; reason: string } | null {
  if (!probe.districtCode || c.district_code !== probe.districtCode) return null;
  const sim = c.address_similarity ?? 0;
  if (sim < SAME_ADDRESS) return null;
  return { sim, reason: `same district, address ${Math.round(sim * 100)}% similar` };
}

/**
 * Names that differ: a homophone (同音字) or a close spelling is only `possible`
 * — a one-character change in a short brand is usually another company, so a
 * human decides. People's names are not compared fuzzily. The same address in
 * the same district raises the score but not the level.
 */
function fuzzy(probe: Probe, c: CandidateKeys): Score | null {
  if (c.kind === 'person') return null;
  // Where both names carry a place, the same city ranks first and another city last.
  const place = probe.place && c.place ? (probe.place === c.place ? 0.1 : -0.2) : 0;
  const address = addressEvidence(probe, c);
  const withAddress = (s: Score): Score =>
    address
      ? { ...s, score: Math.min(0.89, s.score + 0.1), reasons: [...s.reasons, address.reason] }
      : s;
  if (probe.pinyin && c.name_pinyin === probe.pinyin) {
    return withAddress({
      score: 0.7 + place,
      level: 'possible',
      reasons: ['name sounds the same'],
    });
  }
  const sim = c.name_similarity ?? 0;
  if (sim >= FUZZY_NAME) {
    return withAddress({
      score: 0.3 + 0.5 * sim + place,
      level: 'possible',
      reasons: [`name ${Math.round(sim * 100)}% similar`],
    });
  }
  return null;
}

/**
 * Scores one candidate: an identity key is `exact`; the same name core is
 * `likely` unless the places or branch offices say it is another entity —
 * the same brand in another city, or a branch of the head office, is only
 * `possible` (SPEC §4); the same district and a similar address add evidence.
 */
export function scoreCandidate(probe: Probe, c: CandidateKeys): Score | null {
  if (probe.creditCode && c.credit_code === probe.creditCode)
    return { score: 1, level: 'exact', reasons: ['same credit code'] };
  if (probe.idNumber && c.id_number === probe.idNumber)
    return { score: 1, level: 'exact', reasons: ['same ID number'] };
  if (probe.registration && c.same_registration)
    return { score: 1, level: 'exact', reasons: ['same registration number'] };
  if (probe.phoneE164 && c.phone_e164 === probe.phoneE164)
    return { score: 1, level: 'exact', reasons: ['same phone'] };
  if (!probe.core || !c.core) return null;
  if (c.core !== probe.core) return fuzzy(probe, c);
  const reasons = ['same name'];
  // Chinese personal names repeat by the thousand: without a key, the same name is a lead for a human.
  if (c.kind === 'person') return { score: 0.5, level: 'possible', reasons: ['same person name'] };
  if ((probe.branch ?? '') !== (c.branch ?? '')) {
    reasons.push('branch office of the same company');
    return { score: 0.6, level: 'possible', reasons };
  }
  if (probe.place && c.place && probe.place !== c.place) {
    reasons.push(`different city (${probe.place} / ${c.place})`);
    return { score: 0.5, level: 'possible', reasons };
  }
  const address = addressEvidence(probe, c);
  if (address) return { score: 0.97, level: 'likely', reasons: [...reasons, address.reason] };
  if (probe.districtCode && c.district_code === probe.districtCode) {
    reasons.push('same district');
    return { score: 0.95, level: 'likely', reasons };
  }
  return { score: 0.9, level: 'likely', reasons };
}

type Fragment = ReturnType<typeof sql>;

/** `sql` fragments joined with UNION, or null when there are none. */
const union = (parts: (Fragment | false | null)[]): Fragment | null => {
  const kept = parts.filter((p): p is Fragment => Boolean(p));
  return kept.length ? sql.join(kept, sql` UNION `) : null;
};

/**
 * Customer candidates: every blocking key is one indexed lookup (identity keys,
 * a contact's phone, the name core, its pinyin, its one-edit keys), so the cost
 * follows the size of the blocks, not of the table; only those rows are scored.
 */
function customerCandidates(scope: DataScope, probe: Probe): Fragment | null {
  const t = scope.tenantId;
  const by = (cond: Fragment) =>
    sql`SELECT id FROM customers WHERE tenant_id = ${t} AND deleted_at IS NULL AND ${cond}`;
  const ids = union([
    probe.phoneE164 !== null && by(sql`phone_e164 = ${probe.phoneE164}`),
    probe.phoneE164 !== null &&
      sql`SELECT customer_id FROM contacts WHERE tenant_id = ${t} AND deleted_at IS NULL AND phone_e164 = ${probe.phoneE164}`,
    probe.creditCode !== null && by(sql`credit_code = ${probe.creditCode}`),
    probe.idNumber !== null && by(sql`id_number = ${probe.idNumber}`),
    probe.registration !== null && by(sql`licence_number = ${probe.registration}`),
    probe.registration !== null && by(sql`org_code = ${probe.registration}`),
    probe.registration !== null && by(sql`tax_number = ${probe.registration}`),
    probe.core !== null && by(sql`name_core = ${probe.core}`),
    probe.pinyin !== null && by(sql`name_pinyin = ${probe.pinyin}`),
    probe.keys !== null &&
      by(sql`name_keys && ${sql.param(probe.keys)}::text[] AND name_keys IS NOT NULL`),
  ]);
  if (!ids) return null;
  return sql`
    SELECT customers.id, 'customer' AS type, customers.name, customers.kind, u.display_name AS owner_name,
           ${customersVisibleTo(scope)} AS visible,
           CASE WHEN ${probe.phoneE164}::text IS NOT NULL AND EXISTS (SELECT 1 FROM contacts ct
                       WHERE ct.customer_id = customers.id AND ct.deleted_at IS NULL
                         AND ct.phone_e164 = ${probe.phoneE164})
                THEN ${probe.phoneE164}::text ELSE customers.phone_e164 END AS phone_e164,
           customers.credit_code, customers.id_number,
           ${probe.registration}::text IN (customers.licence_number, customers.org_code, customers.tax_number)
             AS same_registration,
           customers.name_core AS core, customers.name_pinyin,
           ${probe.core ? sql`similarity(customers.name_core, ${probe.core})` : sql`NULL::real`} AS name_similarity,
           ${
             probe.addressDetail
               ? sql`CASE WHEN customers.district_code = ${probe.districtCode}
                       THEN similarity(customers.address_detail, ${probe.addressDetail}) END`
               : sql`NULL::real`
           } AS address_similarity,
           customers.name_place AS place, customers.name_branch AS branch, customers.district_code
      FROM customers LEFT JOIN users u ON u.id = customers.owner_id
     WHERE customers.id IN (${ids})`;
}

/** Lead candidates, on the lead's phone and company core. */
function leadCandidates(scope: DataScope, probe: Probe): Fragment | null {
  const t = scope.tenantId;
  const by = (cond: Fragment) =>
    sql`SELECT id FROM leads WHERE tenant_id = ${t} AND deleted_at IS NULL
          AND status NOT IN ('voided', 'converted') AND ${cond}`;
  const ids = union([
    probe.phoneE164 !== null && by(sql`phone_e164 = ${probe.phoneE164}`),
    probe.core !== null && by(sql`company_core = ${probe.core}`),
  ]);
  if (!ids) return null;
  return sql`
    SELECT leads.id, 'lead' AS type, coalesce(leads.company, leads.contact_name, '') AS name,
           CASE WHEN leads.company IS NULL THEN 'person' ELSE 'company' END AS kind,
           u.display_name AS owner_name, ${leadsVisibleTo(scope)} AS visible,
           leads.phone_e164, NULL::text AS credit_code, NULL::text AS id_number,
           false AS same_registration, leads.company_core AS core, NULL::text AS name_pinyin,
           NULL::real AS name_similarity, NULL::real AS address_similarity, NULL::text AS place,
           NULL::text AS branch, leads.district_code
      FROM leads LEFT JOIN users u ON u.id = leads.owner_id
     WHERE leads.id IN (${ids})`;
}

async function candidates(
  db: DbOrTx,
  scope: DataScope,
  probe: Probe,
  withLeads: boolean,
): Promise<Candidate[]> {
  const parts = [customerCandidates(scope, probe), withLeads ? leadCandidates(scope, probe) : null];
  const query = union(parts.map((p) => p && sql`(${p})`));
  if (!query) return [];
  // Key matches first, then the best-named, so a large fuzzy block cannot push the right record out.
  const { rows } = await db.execute<Candidate>(
    sql`SELECT * FROM (${query}) c
         ORDER BY (c.core = ${probe.core} OR c.name_pinyin = ${probe.pinyin}
                   OR c.phone_e164 = ${probe.phoneE164} OR c.credit_code = ${probe.creditCode}
                   OR c.id_number = ${probe.idNumber} OR c.same_registration) IS TRUE DESC,
                  c.name_similarity DESC NULLS LAST
         LIMIT 300`,
  );
  return rows;
}

/** Matches of a probe, best first, as the caller may see them. */
export async function findDuplicates(
  db: DbOrTx,
  scope: DataScope,
  probe: Probe,
  opts: { withLeads: boolean; excludeId?: string },
): Promise<DuplicateMatch[]> {
  const rows = await candidates(db, scope, probe, opts.withLeads);
  const matches: DuplicateMatch[] = [];
  for (const c of rows) {
    if (c.id === opts.excludeId) continue;
    const s = scoreCandidate(probe, c);
    if (!s) continue;
    matches.push({
      id: c.id,
      type: c.type,
      name: c.name,
      ownerName: c.owner_name,
      visible: c.visible,
      ...s,
    });
  }
  const rank: Record<MatchLevel, number> = { exact: 0, likely: 1, possible: 2 };
  return matches
    .sort(
      (a, b) =>
        rank[a.level] - rank[b.level] || b.score - a.score || (a.type === 'customer' ? -1 : 1),
    )
    .slice(0, 20);
}

/** What a contact is checked against. */
export interface ContactProbe {
  phoneE164: string | null;
  email: string | null;
  name: string | null;
  customerId: string | null;
}

export function contactProbeOf(body: {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  customerId?: string | null;
}): ContactProbe {
  const present = (v: string | undefined) => (v === undefined || v === '' ? null : v);
  const email = present(body.email?.trim().toLowerCase());
  const name = present(body.name?.normalize('NFKC').replace(/ /g, ''));
  return {
    phoneE164: phoneE164(body.phone),
    email,
    name,
    customerId: body.customerId ?? null,
  };
}

interface ContactCandidate extends Record<string, unknown> {
  id: string;
  name: string;
  customer_id: string;
  owner_name: string | null;
  visible: boolean;
  phone_e164: string | null;
  email: string | null;
  same_name_here: boolean;
}

/**
 * Contacts that may be the same person: the same phone or email anywhere in
 * the tenant is `exact`; the same name at the same customer is `likely` (a name
 * alone elsewhere says nothing). A contact is visible exactly when its customer is.
 */
export async function findContactDuplicates(
  db: DbOrTx,
  scope: DataScope,
  probe: ContactProbe,
  opts: { excludeId?: string } = {},
): Promise<DuplicateMatch[]> {
  const t = scope.tenantId;
  const by = (cond: Fragment) =>
    sql`SELECT id FROM contacts WHERE tenant_id = ${t} AND deleted_at IS NULL AND ${cond}`;
  const ids = union([
    probe.phoneE164 !== null && by(sql`phone_e164 = ${probe.phoneE164}`),
    probe.email !== null && by(sql`lower(email) = ${probe.email}`),
    probe.name !== null &&
      probe.customerId !== null &&
      by(sql`customer_id = ${probe.customerId} AND replace(name, ' ', '') = ${probe.name}`),
  ]);
  if (!ids) return [];
  const { rows } = await db.execute<ContactCandidate>(sql`
    SELECT ct.id, ct.name, ct.customer_id, u.display_name AS owner_name,
           ${customersVisibleTo(scope)} AS visible, ct.phone_e164, lower(ct.email) AS email,
           (ct.customer_id = ${probe.customerId}::uuid
             AND replace(ct.name, ' ', '') = ${probe.name}::text) AS same_name_here
      FROM contacts ct JOIN customers ON customers.id = ct.customer_id AND customers.deleted_at IS NULL
      LEFT JOIN users u ON u.id = customers.owner_id
     WHERE ct.id IN (${ids})
     LIMIT 100`);
  const matches: DuplicateMatch[] = [];
  for (const c of rows) {
    if (c.id === opts.excludeId) continue;
    const base = {
      id: c.id,
      type: 'contact' as const,
      name: c.name,
      customerId: c.visible ? c.customer_id : null,
      ownerName: c.owner_name,
      visible: c.visible,
    };
    if (probe.phoneE164 && c.phone_e164 === probe.phoneE164)
      matches.push({ ...base, score: 1, level: 'exact', reasons: ['same phone'] });
    else if (probe.email && c.email === probe.email)
      matches.push({ ...base, score: 1, level: 'exact', reasons: ['same email'] });
    else if (c.same_name_here)
      matches.push({
        ...base,
        score: 0.9,
        level: 'likely',
        reasons: ['same name at this customer'],
      });
  }
  return matches.sort((a, b) => b.score - a.score).slice(0, 20);
}
