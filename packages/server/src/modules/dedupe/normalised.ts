import { pinyin } from 'pinyin-pro';
import { invalid } from '../../platform/errors.ts';
import { parseAddress } from '../normalize/address.ts';
import { normalizeCompanyName } from '../normalize/company.ts';
import { normalizeCreditCode, normalizeIdCard } from '../normalize/identity.ts';
import { normalizePhone } from '../normalize/phone.ts';

/**
 * The normalised columns stored beside a record's raw values (SPEC §4), built
 * once here for every write path: create, update, conversion, import, backfill.
 */

const blank = (v: string | null | undefined): v is null | undefined =>
  v === null || v === undefined || v.trim() === '';

/** E.164, or a 400 naming the field: a wrong number is refused, not stored. */
export function phoneE164(raw: string | null | undefined, path = 'phone'): string | null {
  if (blank(raw)) return null;
  const p = normalizePhone(raw);
  if (!p) throw invalid(`"${raw}" is not a valid phone number`, { path, reason: 'phone' });
  return p.e164;
}

/** The upper-case credit code, or a 400 saying which check failed. */
export function creditCode(raw: string | null | undefined, path = 'creditCode'): string | null {
  if (blank(raw)) return null;
  const r = normalizeCreditCode(raw);
  if (!r.ok)
    throw invalid(`Invalid unified social credit code: ${r.reason}`, { path, reason: r.reason });
  return r.value;
}

export function idNumber(raw: string | null | undefined, path = 'idNumber'): string | null {
  if (blank(raw)) return null;
  const r = normalizeIdCard(raw);
  if (!r.ok) throw invalid(`Invalid ID card number: ${r.reason}`, { path, reason: r.reason });
  return r.value;
}

/** Free-form registration numbers (licence, organisation code, tax number): folded, upper-case. */
export function registrationNumber(raw: string | null | undefined): string | null {
  if (blank(raw)) return null;
  return raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
}

/** Tone-less pinyin of a name core: 云帆科技 and 云凡科技 both give yunfankeji. */
export function pinyinKey(core: string | null): string | null {
  if (!core) return null;
  return pinyin(core, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase();
}

/**
 * Blocking keys of a name core: the core and, for cores of three characters or
 * more, each form of it with one character deleted. Two cores one edit apart
 * (a wrong, missing or extra character) share a key. Two-character cores get
 * no deletions: a single character is no evidence, and a one-character change
 * in a two-character brand is another company.
 */
export function nameKeys(core: string | null): string[] | null {
  if (!core) return null;
  const chars = Array.from(core);
  const keys = new Set([core]);
  if (chars.length >= 3)
    for (let i = 0; i < chars.length; i++)
      keys.add([...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
  return [...keys];
}

/** A PostgreSQL array literal, for binding a text[] inside an unnest of text columns. */
export function pgTextArray(values: readonly string[] | null): string | null {
  if (!values) return null;
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export interface CompanyKeys {
  folded: string | null;
  core: string | null;
  place: string | null;
  branch: string | null;
}

export function companyKeys(raw: string | null | undefined): CompanyKeys {
  if (blank(raw)) return { folded: null, core: null, place: null, branch: null };
  const n = normalizeCompanyName(raw);
  return { folded: n.folded || null, core: n.core || null, place: n.place, branch: n.branch };
}

export interface AddressKeys {
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  detail: string | null;
  normalized: string | null;
}

export function addressKeys(raw: string | null | undefined): AddressKeys {
  if (blank(raw))
    return {
      provinceCode: null,
      cityCode: null,
      districtCode: null,
      detail: null,
      normalized: null,
    };
  const a = parseAddress(raw);
  return {
    provinceCode: a.provinceCode,
    cityCode: a.cityCode,
    districtCode: a.districtCode,
    detail: a.detail || null,
    normalized: a.normalized || null,
  };
}

export interface LeadRaw {
  company?: string | null;
  phone?: string | null;
  address?: string | null;
}

/** The normalised lead columns for the raw fields present in `raw` (absent fields are left alone). */
export function leadNormalised(raw: LeadRaw) {
  const out: {
    phoneE164?: string | null;
    companyFolded?: string | null;
    companyCore?: string | null;
    provinceCode?: string | null;
    cityCode?: string | null;
    districtCode?: string | null;
  } = {};
  if (raw.phone !== undefined) out.phoneE164 = phoneE164(raw.phone);
  if (raw.company !== undefined) {
    const k = companyKeys(raw.company);
    out.companyFolded = k.folded;
    out.companyCore = k.core;
  }
  if (raw.address !== undefined) {
    const a = addressKeys(raw.address);
    out.provinceCode = a.provinceCode;
    out.cityCode = a.cityCode;
    out.districtCode = a.districtCode;
  }
  return out;
}

export interface CustomerRaw {
  name?: string | null;
  phone?: string | null;
  creditCode?: string | null;
  idNumber?: string | null;
  licenceNumber?: string | null;
  orgCode?: string | null;
  taxNumber?: string | null;
  address?: string | null;
}

export function customerNormalised(raw: CustomerRaw) {
  const out: {
    phoneE164?: string | null;
    creditCode?: string | null;
    idNumber?: string | null;
    licenceNumber?: string | null;
    orgCode?: string | null;
    taxNumber?: string | null;
    nameFolded?: string | null;
    nameCore?: string | null;
    namePinyin?: string | null;
    nameKeys?: string[] | null;
    namePlace?: string | null;
    nameBranch?: string | null;
    provinceCode?: string | null;
    cityCode?: string | null;
    districtCode?: string | null;
    addressDetail?: string | null;
    addressNormalized?: string | null;
  } = {};
  if (raw.phone !== undefined) out.phoneE164 = phoneE164(raw.phone);
  if (raw.creditCode !== undefined) out.creditCode = creditCode(raw.creditCode);
  if (raw.idNumber !== undefined) out.idNumber = idNumber(raw.idNumber);
  if (raw.licenceNumber !== undefined) out.licenceNumber = registrationNumber(raw.licenceNumber);
  if (raw.orgCode !== undefined) out.orgCode = registrationNumber(raw.orgCode);
  if (raw.taxNumber !== undefined) out.taxNumber = registrationNumber(raw.taxNumber);
  if (raw.name !== undefined) {
    const k = companyKeys(raw.name);
    out.nameFolded = k.folded;
    out.nameCore = k.core;
    out.namePinyin = pinyinKey(k.core);
    out.nameKeys = nameKeys(k.core);
    out.namePlace = k.place;
    out.nameBranch = k.branch;
  }
  if (raw.address !== undefined) {
    const a = addressKeys(raw.address);
    out.provinceCode = a.provinceCode;
    out.cityCode = a.cityCode;
    out.districtCode = a.districtCode;
    out.addressDetail = a.detail;
    out.addressNormalized = a.normalized;
  }
  return out;
}
