import type pg from 'pg';
import type { DataStep } from '../../platform/migrate.ts';
import { DIVISION_DATA_VERSION, loadDivisions } from '../normalize/divisions.ts';
import { addressKeys, companyKeys, nameKeys, pgTextArray, pinyinKey } from './normalised.ts';
import { normalizeCreditCode, normalizeIdCard } from '../normalize/identity.ts';
import { normalizePhone } from '../normalize/phone.ts';

const BATCH = 2000;

/** The division table, replaced whole when the data version changes. */
const divisionsStep: DataStep = {
  name: `divisions-${DIVISION_DATA_VERSION}`,
  async run(client) {
    const all = loadDivisions();
    await client.query('DELETE FROM divisions');
    // Parents first, so the self-reference holds row by row.
    for (const level of [1, 2, 3] as const) {
      const rows = all.filter((d) => d.level === level);
      for (let i = 0; i < rows.length; i += BATCH) {
        const chunk = rows.slice(i, i + BATCH);
        await client.query(
          `INSERT INTO divisions (code, name, level, parent_code, data_version)
           SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[])`,
          [
            chunk.map((d) => d.code),
            chunk.map((d) => d.name),
            chunk.map((d) => d.level),
            chunk.map((d) => d.parentCode),
            chunk.map(() => DIVISION_DATA_VERSION),
          ],
        );
      }
    }
  },
};

/** Raw values that fail validation are kept as typed and left without a normalised form. */
const phone = (raw: string | null) => (raw ? (normalizePhone(raw)?.e164 ?? null) : null);
const checked = (f: typeof normalizeCreditCode) => (raw: string | null) => {
  if (!raw) return null;
  const r = f(raw);
  return r.ok ? r.value : null;
};

/** Walks a table by id in batches: `fetch` reads the rows after an id, `apply` writes them back. */
async function inBatches<Row extends { id: string }>(
  fetch: (after: string) => Promise<Row[]>,
  apply: (rows: Row[]) => Promise<void>,
): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    await apply(rows);
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** Reads one batch of a table after an id, in id order. */
function batchOf<Row extends { id: string }>(client: pg.PoolClient, select: string) {
  return async (after: string): Promise<Row[]> =>
    (await client.query<Row>(`${select} WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after])).rows;
}

/** Fills normalised columns batch by batch: `columns` computes the arrays `update` unnests after the ids. */
function backfill<Row extends { id: string }>(
  client: pg.PoolClient,
  fetch: (after: string) => Promise<Row[]>,
  update: string,
  columns: (rows: Row[]) => unknown[][],
): Promise<void> {
  return inBatches(fetch, async (rows) => {
    await client.query(update, [rows.map((r) => r.id), ...columns(rows)]);
  });
}

/** Normalised columns for rows written before they existed (SPEC §4). */
const backfillStep: DataStep = {
  name: '0005_normalised-backfill',
  async run(client) {
    await backfill(
      client,
      batchOf<{
        id: string;
        phone: string | null;
        company: string | null;
        address: string | null;
      }>(client, 'SELECT id, phone, company, address FROM leads'),
      `UPDATE leads l SET phone_e164 = v.phone, company_folded = v.folded, company_core = v.core,
              province_code = v.province, city_code = v.city, district_code = v.district
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              AS v (id, phone, folded, core, province, city, district)
        WHERE l.id = v.id`,
      (rows) => {
        const c = rows.map((r) => companyKeys(r.company));
        const a = rows.map((r) => addressKeys(r.address));
        return [
          rows.map((r) => phone(r.phone)),
          c.map((k) => k.folded),
          c.map((k) => k.core),
          a.map((k) => k.provinceCode),
          a.map((k) => k.cityCode),
          a.map((k) => k.districtCode),
        ];
      },
    );
    await backfill(
      client,
      batchOf<{
        id: string;
        phone: string | null;
        name: string;
        address: string | null;
        credit_code: string | null;
        id_number: string | null;
      }>(client, 'SELECT id, phone, name, address, credit_code, id_number FROM customers'),
      `UPDATE customers c SET phone_e164 = v.phone, name_folded = v.folded, name_core = v.core,
              name_place = v.place, name_branch = v.branch, province_code = v.province, city_code = v.city,
              district_code = v.district, address_detail = v.detail, address_normalized = v.normalized,
              credit_code = coalesce(v.credit, c.credit_code), id_number = coalesce(v.idn, c.id_number)
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
              AS v (id, phone, folded, core, place, branch, province, city, district, detail, normalized, credit, idn)
        WHERE c.id = v.id`,
      (rows) => {
        const c = rows.map((r) => companyKeys(r.name));
        const a = rows.map((r) => addressKeys(r.address));
        return [
          rows.map((r) => phone(r.phone)),
          c.map((k) => k.folded),
          c.map((k) => k.core),
          c.map((k) => k.place),
          c.map((k) => k.branch),
          a.map((k) => k.provinceCode),
          a.map((k) => k.cityCode),
          a.map((k) => k.districtCode),
          a.map((k) => k.detail),
          a.map((k) => k.normalized),
          rows.map((r) => checked(normalizeCreditCode)(r.credit_code)),
          rows.map((r) => checked(normalizeIdCard)(r.id_number)),
        ];
      },
    );
    await backfill(
      client,
      batchOf<{ id: string; phone: string | null }>(client, 'SELECT id, phone FROM contacts'),
      `UPDATE contacts c SET phone_e164 = v.phone FROM unnest($1::uuid[], $2::text[]) AS v (id, phone) WHERE c.id = v.id`,
      (rows) => [rows.map((r) => phone(r.phone))],
    );
  },
};

/** The pinyin of every customer's name core (migration 0006). */
const pinyinStep: DataStep = {
  name: '0006_name-pinyin-backfill',
  async run(client) {
    await backfill(
      client,
      batchOf<{ id: string; name_core: string | null }>(
        client,
        'SELECT id, name_core FROM customers',
      ),
      `UPDATE customers c SET name_pinyin = v.p FROM unnest($1::uuid[], $2::text[]) AS v (id, p) WHERE c.id = v.id`,
      (rows) => [rows.map((r) => pinyinKey(r.name_core))],
    );
  },
};

/**
 * Name keys again for every customer and lead (migration 0008): the blocking
 * keys are new, and legal forms mistyped in one character are now taken off the core.
 */
const nameKeysStep: DataStep = {
  name: '0008_name-keys-backfill',
  async run(client) {
    await backfill(
      client,
      batchOf<{ id: string; name: string }>(client, 'SELECT id, name FROM customers'),
      `UPDATE customers c SET name_folded = v.folded, name_core = v.core, name_place = v.place,
              name_branch = v.branch, name_pinyin = v.pinyin, name_keys = v.keys::text[]
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              AS v (id, folded, core, place, branch, pinyin, keys)
        WHERE c.id = v.id`,
      (rows) => {
        const c = rows.map((r) => companyKeys(r.name));
        return [
          c.map((k) => k.folded),
          c.map((k) => k.core),
          c.map((k) => k.place),
          c.map((k) => k.branch),
          c.map((k) => pinyinKey(k.core)),
          c.map((k) => pgTextArray(nameKeys(k.core))),
        ];
      },
    );
    await backfill(
      client,
      batchOf<{ id: string; company: string | null }>(client, 'SELECT id, company FROM leads'),
      `UPDATE leads l SET company_folded = v.folded, company_core = v.core
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v (id, folded, core) WHERE l.id = v.id`,
      (rows) => {
        const c = rows.map((r) => companyKeys(r.company));
        return [c.map((k) => k.folded), c.map((k) => k.core)];
      },
    );
  },
};

export const dataSteps: readonly DataStep[] = [
  divisionsStep,
  backfillStep,
  pinyinStep,
  nameKeysStep,
];
