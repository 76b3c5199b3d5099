import { sql } from 'drizzle-orm';
import type { DuplicateCheckBody, DuplicateMatch, MatchLevel } from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { customersVisibleTo } from '../customers/customers.repo.ts';
import { leadsVisibleTo } from '../leads/leads.repo.ts';
import { addressKeys, companyKeys, creditCode, phoneE164, pinyinKey } from './normalised.ts';

/** What a record is checked against, normalised once. */
export interface Probe {
  phoneE164: string | null;
  creditCode: string | null;
  core: string | null;
  pinyin: string | null;
  place: string | null;
  branch: string | null;
  districtCode: string | null;
}

export function probeOf(body: {
  name?: string | null;
  phone?: string | null;
  creditCode?: string | null;
  address?: string | null;
}): Probe {
  const name = companyKeys(body.name);
  return {
    phoneE164: phoneE164(body.phone),
    creditCode: creditCode(body.creditCode),
    core: name.core,
    pinyin: pinyinKey(name.core),
    place: name.place,
    branch: name.branch,
    districtCode: addressKeys(body.address).districtCode,
  };
}

/** The normalised keys of a stored record that scoring compares. */
export interface CandidateKeys {
  /** `person` for individual customers: a name alone does not identify a person. */
  kind: 'company' | 'person' | null;
  phone_e164: string | null;
  name_pinyin: string | null;
  /** pg_trgm similarity of the name cores, 0..1. */
  name_similarity: number | null;
  credit_code: string | null;
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
  phone_e164: string | null;
  credit_code: string | null;
  core: string | null;
  place: string | null;
  branch: string | null;
  district_code: string | null;
}

/**
 * Scores one candidate: an identity key is `exact`; the same name core is
 * `likely` unless the places or branch offices say it is another entity —
 * the same brand in another city, or a branch of the head office, is only
 * `possible` (SPEC §4). Fuzzy name and address similarity come on top later.
 */
/**
 * Names that differ: a homophone (同音字) or a close spelling is only `possible`
 * — a one-character change in a short brand is usually another company, so a
 * human decides. People's names are not compared fuzzily.
 */
function fuzzy(
  probe: Probe,
  c: CandidateKeys,
): { score: number; level: MatchLevel; reasons: string[] } | null {
  if (c.kind === 'person') return null;
  // Where both names carry a place, the same city ranks first and another city last.
  const place = probe.place && c.place ? (probe.place === c.place ? 0.1 : -0.2) : 0;
  if (probe.pinyin && c.name_pinyin === probe.pinyin) {
    return { score: 0.7 + place, level: 'possible', reasons: ['name sounds the same'] };
  }
  const sim = c.name_similarity ?? 0;
  if (sim >= FUZZY_NAME) {
    return {
      score: 0.3 + 0.5 * sim + place,
      level: 'possible',
      reasons: [`name ${Math.round(sim * 100)}% similar`],
    };
  }
  return null;
}

/** Trigram similarity of name cores from which a different spelling is shown as possible. */
export const FUZZY_NAME = 0.35;

export function scoreCandidate(
  probe: Probe,
  c: CandidateKeys,
): { score: number; level: MatchLevel; reasons: string[] } | null {
  if (probe.creditCode && c.credit_code === probe.creditCode)
    return { score: 1, level: 'exact', reasons: ['same credit code'] };
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
  if (probe.districtCode && c.district_code === probe.districtCode) {
    reasons.push('same district');
    return { score: 0.95, level: 'likely', reasons };
  }
  return { score: 0.9, level: 'likely', reasons };
}

function candidates(db: DbOrTx, scope: DataScope, probe: Probe, withLeads: boolean) {
  const keyed = (
    phone: ReturnType<typeof sql>,
    code: ReturnType<typeof sql> | null,
    core: ReturnType<typeof sql>,
  ) =>
    sql`(${probe.phoneE164 ? sql`${phone} = ${probe.phoneE164}` : sql`false`}
        OR ${probe.creditCode && code ? sql`${code} = ${probe.creditCode}` : sql`false`}
        OR ${probe.core ? sql`${core} = ${probe.core}` : sql`false`})`;
  const customersQ = sql`
    SELECT customers.id, 'customer' AS type, customers.name, customers.kind, u.display_name AS owner_name,
           ${customersVisibleTo(scope)} AS visible,
           CASE WHEN EXISTS (SELECT 1 FROM contacts ct WHERE ct.customer_id = customers.id
                               AND ct.deleted_at IS NULL AND ct.phone_e164 = ${probe.phoneE164})
                THEN ${probe.phoneE164}::text ELSE customers.phone_e164 END AS phone_e164,
           customers.credit_code, customers.name_core AS core, customers.name_pinyin,
           ${probe.core ? sql`similarity(customers.name_core, ${probe.core})` : sql`NULL::real`} AS name_similarity,
           customers.name_place AS place,
           customers.name_branch AS branch, customers.district_code
      FROM customers LEFT JOIN users u ON u.id = customers.owner_id
     WHERE customers.tenant_id = ${scope.tenantId} AND customers.deleted_at IS NULL
       AND (${keyed(sql`customers.phone_e164`, sql`customers.credit_code`, sql`customers.name_core`)}
            OR ${probe.pinyin ? sql`customers.name_pinyin = ${probe.pinyin}` : sql`false`}
            OR ${probe.core && probe.core.length >= 3 ? sql`customers.name_core % ${probe.core}` : sql`false`}
            OR (${probe.phoneE164}::text IS NOT NULL AND EXISTS (SELECT 1 FROM contacts ct
                 WHERE ct.customer_id = customers.id AND ct.deleted_at IS NULL AND ct.phone_e164 = ${probe.phoneE164})))`;
  const leadsQ = sql`
    SELECT leads.id, 'lead' AS type, coalesce(leads.company, leads.contact_name, '') AS name,
           CASE WHEN leads.company IS NULL THEN 'person' ELSE 'company' END AS kind,
           u.display_name AS owner_name, ${leadsVisibleTo(scope)} AS visible,
           leads.phone_e164, NULL::text AS credit_code, leads.company_core AS core, NULL::text AS name_pinyin,
           NULL::real AS name_similarity, NULL::text AS place,
           NULL::text AS branch, leads.district_code
      FROM leads LEFT JOIN users u ON u.id = leads.owner_id
     WHERE leads.tenant_id = ${scope.tenantId} AND leads.deleted_at IS NULL
       AND leads.status NOT IN ('voided', 'converted')
       AND ${keyed(sql`leads.phone_e164`, null, sql`leads.company_core`)}`;
  return db.execute<Candidate>(
    withLeads ? sql`${customersQ} UNION ALL ${leadsQ} LIMIT 200` : sql`${customersQ} LIMIT 200`,
  );
}

/** Matches of a probe, best first, as the caller may see them. */
export async function findDuplicates(
  db: DbOrTx,
  scope: DataScope,
  probe: Probe,
  opts: { withLeads: boolean; excludeId?: string },
): Promise<DuplicateMatch[]> {
  const { rows } = await candidates(db, scope, probe, opts.withLeads);
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

export async function checkDuplicates(
  db: DbOrTx,
  caller: Caller,
  body: DuplicateCheckBody,
): Promise<{ matches: DuplicateMatch[] }> {
  const scope = await buildScope(db, caller);
  return {
    matches: await findDuplicates(db, scope, probeOf(body), { withLeads: body.type === 'lead' }),
  };
}
