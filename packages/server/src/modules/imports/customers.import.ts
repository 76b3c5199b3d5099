import crypto from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../platform/errors.ts';
import {
  probeOf,
  scoreCandidate,
  type CandidateKeys,
  type Probe,
} from '../dedupe/dedupe.service.ts';
import { customerNormalised, pgTextArray } from '../dedupe/normalised.ts';
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

interface Prepared extends ChunkRow {
  kind: 'company' | 'person';
  n: ReturnType<typeof customerNormalised>;
  probe: Probe;
}

const personWords = /^(个人|自然人|person|individual)$/i;

/** Cleans one row: no name, a wrong phone or a wrong credit code is rejected with the reason. */
export function prepareCustomerRow(row: ChunkRow): Prepared | RowOutcome {
  const v = row.values;
  if (!v.name) return rejected(row.no, 'no name');
  const raw = {
    name: v.name,
    phone: v.phone ?? null,
    creditCode: v.creditCode ?? null,
    address: v.address ?? null,
  };
  try {
    const n = customerNormalised(raw);
    const kind = v.kind && personWords.test(v.kind) ? 'person' : 'company';
    return { ...row, kind, n, probe: probeOf(raw) };
  } catch (err) {
    if (err instanceof AppError) return rejected(row.no, err.message);
    throw err;
  }
}

interface Candidate extends CandidateKeys {
  id: string;
  name: string;
  ours: boolean;
  /** Outside the importer's scope: the owner's name (null in an unserved pool). */
  hiddenOwner?: string | null;
}

/**
 * Imports one chunk of customers inside the caller's transaction: candidates
 * for every row come from one set-based query on identity keys (the
 * customer's and its contacts' phones) and name cores; the matcher of the
 * duplicate check scores them, and an exact or likely match is a duplicate
 * (skipped, updated or linked per the import's setting, or merged when an
 * earlier row of the file made it). New customers enter the public pool.
 */
export async function importCustomerChunk(
  client: pg.ClientBase,
  ctx: ChunkContext,
  rows: readonly ChunkRow[],
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  const prepared: Prepared[] = [];
  for (const r of rows) {
    const p = prepareCustomerRow(r);
    if ('outcome' in p) outcomes.push(p);
    else prepared.push(p);
  }
  const list = (f: (p: Prepared) => string | null | undefined) => [
    ...new Set(prepared.flatMap((p) => f(p) ?? [])),
  ];
  const { rows: candidates } = await client.query<Candidate>(
    `WITH hit AS (
       SELECT id, phone_e164 FROM customers
        WHERE tenant_id = $1 AND deleted_at IS NULL
          AND (credit_code = ANY($2::text[]) OR phone_e164 = ANY($3::text[]) OR name_core = ANY($4::text[]))
       UNION
       SELECT ct.customer_id, ct.phone_e164 FROM contacts ct
        WHERE ct.tenant_id = $1 AND ct.deleted_at IS NULL AND ct.phone_e164 = ANY($3::text[]))
     SELECT c.id, c.name, c.kind, hit.phone_e164, c.credit_code, c.name_core AS core, c.name_place AS place,
            c.name_branch AS branch, c.district_code, NULL::text AS name_pinyin,
            NULL::real AS name_similarity,
            ours.flag IS NOT NULL AS ours
       FROM hit JOIN customers c ON c.id = hit.id AND c.deleted_at IS NULL
              LEFT JOIN LATERAL (SELECT true AS flag FROM import_rows r
                                  WHERE r.import_id = $5 AND r.record_id = c.id
                                    AND r.outcome = 'created' LIMIT 1) ours ON true
      ORDER BY c.created_at`,
    [
      ctx.tenantId,
      list((p) => p.n.creditCode),
      list((p) => p.n.phoneE164),
      list((p) => p.n.nameCore),
      ctx.importId,
    ],
  );

  const hidden = await hiddenFromImporter(
    client,
    ctx,
    'customer',
    candidates.flatMap((c) => (c.ours ? [] : [c.id])),
  );
  for (const c of candidates) if (hidden.has(c.id)) c.hiddenOwner = hidden.get(c.id) ?? null;

  // Candidates by the keys they can match on, so each row scores only those sharing one.
  type Indexed = Candidate & { row?: Prepared & { id: string } };
  const byKey = new Map<string, Indexed[]>();
  const keysOf = (k: { creditCode?: string | null; phone?: string | null; core?: string | null }) =>
    [
      k.creditCode && `c:${k.creditCode}`,
      k.phone && `p:${k.phone}`,
      k.core && `n:${k.core}`,
    ].filter((x): x is string => Boolean(x));
  const index = (c: Indexed) => {
    for (const k of keysOf({ creditCode: c.credit_code, phone: c.phone_e164, core: c.core })) {
      const list = byKey.get(k);
      if (list) list.push(c);
      else byKey.set(k, [c]);
    }
  };
  const candidatesOf = (probe: Probe): Set<Indexed> =>
    new Set(
      keysOf({ creditCode: probe.creditCode, phone: probe.phoneE164, core: probe.core }).flatMap(
        (k) => byKey.get(k) ?? [],
      ),
    );
  for (const c of candidates) index(c);
  const inserts: (Prepared & { id: string })[] = [];
  const fills: { id: string; row: ChunkRow }[] = [];
  const updates: { id: string; row: ChunkRow }[] = [];
  const links: { id: string; row: ChunkRow }[] = [];
  for (const p of prepared) {
    let best:
      { c: Candidate; rank: number; row: (Prepared & { id: string }) | undefined } | undefined;
    let sharing: Indexed | undefined;
    for (const c of candidatesOf(p.probe)) {
      const s = scoreCandidate(p.probe, c);
      if (!s || s.level === 'possible') continue;
      // A phone alone is one company only when the names agree too: a switchboard often
      // answers for several companies of one building or group.
      if (s.reasons[0] === 'same phone' && p.probe.core && c.core && p.probe.core !== c.core) {
        if (!sharing || (sharing.hiddenOwner !== undefined && c.hiddenOwner === undefined))
          sharing = c;
        continue;
      }
      // Of equal matches, one the importer may act on wins over one they may not see.
      const rank =
        (s.level === 'exact' ? 2 : 1) +
        (c.ours ? 0.5 : 0) +
        (c.hiddenOwner === undefined ? 0.25 : 0);
      if (!best || rank > best.rank) best = { c, rank, row: c.row };
    }
    if (best?.row) {
      for (const [f, v] of Object.entries(p.values)) best.row.values[f] ??= v;
      outcomes.push({
        no: p.no,
        outcome: 'merged',
        reason: `repeats row ${String(best.row.no)} of the file`,
        recordId: best.c.id,
      });
    } else if (best?.c.ours) {
      fills.push({ id: best.c.id, row: p });
      outcomes.push({
        no: p.no,
        outcome: 'merged',
        reason: 'repeats an earlier row of the file',
        recordId: best.c.id,
      });
    } else if (best?.c.hiddenOwner !== undefined) {
      outcomes.push(hiddenMatch(p.no, best.c.hiddenOwner));
    } else if (best) {
      const reason = 'the same customer exists';
      const recordId = best.c.id;
      if (ctx.onDuplicate === 'update') updates.push({ id: recordId, row: p });
      if (ctx.onDuplicate === 'link') links.push({ id: recordId, row: p });
      const outcome =
        ctx.onDuplicate === 'skip'
          ? 'skipped'
          : ctx.onDuplicate === 'update'
            ? 'updated'
            : 'linked';
      outcomes.push({ no: p.no, outcome, reason, recordId });
    } else {
      const row = { ...p, values: { ...p.values }, id: crypto.randomUUID() };
      inserts.push(row);
      index({
        id: row.id,
        kind: p.kind,
        phone_e164: p.n.phoneE164 ?? null,
        credit_code: p.n.creditCode ?? null,
        core: p.n.nameCore ?? null,
        place: p.n.namePlace ?? null,
        branch: p.n.nameBranch ?? null,
        district_code: p.n.districtCode ?? null,
        name: p.values.name ?? '',
        name_pinyin: null,
        name_similarity: null,
        ours: true,
        row,
      });
      // Named only when the importer may see it.
      const other = sharing && sharing.hiddenOwner === undefined ? sharing.name : 'another record';
      outcomes.push({
        no: p.no,
        outcome: 'created',
        reason: sharing ? `shares the phone ${p.n.phoneE164 ?? ''} with ${other}` : null,
        recordId: row.id,
      });
    }
  }

  if (inserts.length) {
    const ids = inserts.map((r) => r.id);
    const text = (f: (r: Prepared) => string | null | undefined) =>
      inserts.map((r) => f(r) ?? null);
    await client.query(
      `INSERT INTO customers (id, tenant_id, kind, name, credit_code, phone, phone_e164, industry,
                              address, province_code, city_code, district_code, address_detail,
                              address_normalized, name_folded, name_core, name_pinyin, name_keys,
                              name_place, name_branch, source, pool_id, created_by)
       SELECT u.id, $1, u.kind, u.name, u.credit, u.phone, u.e164, u.industry, u.address, u.province,
              u.city, u.district, u.detail, u.normalized, u.folded, u.core, u.pinyin, u.keys::text[],
              u.place, u.branch, coalesce(u.source, 'import'), $2, $3
         FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                     $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[],
                     $22::text[], $23::text[])
              AS u (id, kind, name, credit, phone, e164, industry, address, province, city, district,
                    detail, normalized, folded, core, pinyin, keys, place, branch, source)`,
      [
        ctx.tenantId,
        ctx.poolId,
        ctx.actorId,
        ids,
        text((r) => r.kind),
        text((r) => r.values.name),
        text((r) => r.n.creditCode),
        text((r) => r.values.phone),
        text((r) => r.n.phoneE164),
        text((r) => r.values.industry),
        text((r) => r.values.address),
        text((r) => r.n.provinceCode),
        text((r) => r.n.cityCode),
        text((r) => r.n.districtCode),
        text((r) => r.n.addressDetail),
        text((r) => r.n.addressNormalized),
        text((r) => r.n.nameFolded),
        text((r) => r.n.nameCore),
        text((r) => r.n.namePinyin),
        text((r) => pgTextArray(r.n.nameKeys ?? null)),
        text((r) => r.n.namePlace),
        text((r) => r.n.nameBranch),
        text((r) => r.values.source),
      ],
    );
    await handoversOfImported(client, ctx, 'customer', ids);
    await auditImported(client, ctx, 'customer', 'create', ids);
  }
  // Repeats fill what is empty; updates take the row's industry and source.
  for (const [list2, overwrite] of [
    [fills, false],
    [updates, true],
  ] as const) {
    if (!list2.length) continue;
    const pick = (a: string, b: string) =>
      overwrite ? `coalesce(${b}, ${a})` : `coalesce(${a}, ${b})`;
    await client.query(
      `UPDATE customers c SET industry = ${pick('c.industry', 'u.industry')},
              source = ${pick('c.source', 'u.source')}, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u (id, industry, source)
        WHERE c.id = u.id`,
      [
        list2.map((m) => m.id),
        list2.map((m) => m.row.values.industry ?? null),
        list2.map((m) => m.row.values.source ?? null),
      ],
    );
    if (overwrite)
      await auditImported(
        client,
        ctx,
        'customer',
        'update',
        list2.map((m) => m.id),
      );
  }
  await linkImported(client, ctx, 'customer', links);
  return outcomes.sort((a, b) => a.no - b.no);
}
