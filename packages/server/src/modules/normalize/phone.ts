import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

export type PhoneKind = 'mobile' | 'landline' | 'other';

export interface NormalizedPhone {
  /** +8613812345678; extensions are not part of it. */
  e164: string;
  /**
   * `other` covers what is neither surely mobile nor surely fixed: toll-free, shared-cost
   * (400…), VoIP, and the North-American numbers that can be either.
   */
  kind: PhoneKind;
  /** ISO 3166 region (CN, HK, US); `001` for numbers of no country (+800 …). */
  country: string;
}

/** 转123, 分机123, ext 123, ext.123, x123, #123 at the end of a number. */
const extensionSuffix = /(?:转|轉|分机|分機|ext\.?|extension|x|#)\s*\d{1,6}\s*$/iu;

/** A bare group of up to six digits after a complete landline: 0571-88881234-123. */
const trailingGroup = /^(.*\d)\s*-\s*\d{1,6}$/u;

/** All a written number may contain once its extension is cut off. */
const allowedChars = /^[+\d\s\-()./]+$/u;

const dashes = /[‐‑‒–—―−－]/gu;

/**
 * A label written before the number in the same cell (电话：0571…, 手机: 138…, Tel. 021…),
 * as spreadsheets exported from other systems often have. NFKC has already made a
 * full-width colon or full stop half-width.
 */
const leadingLabel =
  /^(?:联系电话|联系方式|联系手机|电话号码|手机号码|手机号|电话|手机|座机|固话|总机|tel(?:ephone)?|phone|mobile|mob|cell)\s*[.:]?\s*[:]?\s*/iu;

/**
 * Mainland mobile numbers as the numbering plan defines them. libphonenumber's metadata
 * lists only the blocks already handed to operators; a newly opened block must not make a
 * customer's real number unusable, so any 1[3-9] + 9 digits counts as a mobile.
 */
const mainlandMobile = /^1[3-9]\d{9}$/u;

/** A mainland mobile with an optional country prefix, once spaces and dashes are gone. */
const compactMobile = /^(\+86|0086|86)?(1[3-9]\d{9})$/u;

function kindOf(type: string | undefined): PhoneKind {
  if (type === 'MOBILE') return 'mobile';
  if (type === 'FIXED_LINE') return 'landline';
  return 'other';
}

function parse(text: string, defaultCountry: CountryCode): NormalizedPhone | null {
  const number = parsePhoneNumberFromString(text, defaultCountry);
  if (!number) return null;
  if (number.countryCallingCode === '86' && mainlandMobile.test(number.nationalNumber)) {
    return { e164: `+86${number.nationalNumber}`, kind: 'mobile', country: 'CN' };
  }
  if (!number.isValid()) return null;
  return { e164: number.number, kind: kindOf(number.getType()), country: number.country ?? '001' };
}

/**
 * A phone number in E.164 with its kind, or null when it is not a valid number. Accepts
 * the ways people write numbers in China: spaces, dashes, brackets around the area code,
 * full-width digits, +86 / 0086 / 86 in front, a label before it (电话：, Tel.), and an extension after the number (转123,
 * ext 123, or a last dash group after a complete landline), which is dropped. Numbers
 * without a country code are read as numbers of `defaultCountry`.
 */
export function normalizePhone(
  raw: string,
  defaultCountry: CountryCode = 'CN',
): NormalizedPhone | null {
  let text = raw.normalize('NFKC').replace(dashes, '-').trim().replace(leadingLabel, '');
  text = text.replace(extensionSuffix, '').trim();
  // Letters would otherwise be read as a keypad word (1381234567a → …2).
  if (!allowedChars.test(text)) return null;
  const digits = text.replace(/\D/gu, '');
  if (digits.length < 5 || digits.length > 17) return null;

  // Most numbers in a Chinese CRM are mainland mobiles; they need no metadata lookup.
  const mobile = compactMobile.exec(text.replace(/[\s\-().]/gu, ''));
  const mobileNumber = mobile?.[2];
  if (mobileNumber !== undefined && (defaultCountry === 'CN' || mobile?.[1] === '+86')) {
    return { e164: `+86${mobileNumber}`, kind: 'mobile', country: 'CN' };
  }

  const whole = parse(text, defaultCountry);
  if (whole) return whole;
  const head = trailingGroup.exec(text)?.[1];
  if (head === undefined) return null;
  const landline = parse(head, defaultCountry);
  return landline?.kind === 'landline' ? landline : null;
}

/** The digits of an E.164 number (8613812345678), for blocking keys and joins. */
export function phoneDigitsKey(e164: string): string {
  return e164.replace(/\D/gu, '');
}
