export type IdentityResult = { ok: true; value: string } | { ok: false; reason: string };

/** Trim, fold full-width forms, upper-case, and drop the spaces and dashes people type. */
function clean(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−]/gu, '');
}

// Unified social credit code (统一社会信用代码), GB 32100-2015.

const creditAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Registration authorities of GB 32100 table 1 (9 is market regulation, Y other). */
const creditAuthorities = '123456789ANY';

/**
 * The check character of a credit code from its first 17 characters: weights 3^i mod 31
 * for positions 1..17, check = alphabet[(31 − Σ mod 31) mod 31]. Null when a character
 * is outside the code alphabet.
 */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  let weight = 1;
  for (const c of first17) {
    const value = creditAlphabet.indexOf(c);
    if (value < 0) return null;
    sum += value * weight;
    weight = (weight * 3) % 31;
  }
  return creditAlphabet.charAt((31 - (sum % 31)) % 31);
}

/**
 * A unified social credit code, upper-cased, with spaces and dashes removed, when it is
 * well formed and its check character is right; otherwise the first thing wrong with it.
 * Checked: length 18, the code alphabet (no I, O, Z, S, V), the registration authority
 * (first character), a six-digit region code (characters 3-8) and the check character.
 */
export function normalizeCreditCode(raw: string): IdentityResult {
  const value = clean(raw);
  if (value.length !== 18) return { ok: false, reason: `length must be 18, got ${value.length}` };
  for (const [i, c] of Array.from(value).entries()) {
    if (!creditAlphabet.includes(c)) {
      return {
        ok: false,
        reason: `character "${c}" at position ${i + 1} is not allowed (I, O, S, V and Z are never used)`,
      };
    }
  }
  const authority = value.charAt(0);
  if (!creditAuthorities.includes(authority)) {
    return { ok: false, reason: `registration authority code "${authority}" does not exist` };
  }
  if (!/^\d{6}$/u.test(value.slice(2, 8))) {
    return { ok: false, reason: 'characters 3-8 must be a six-digit region code' };
  }
  const check = creditCodeCheckChar(value.slice(0, 17));
  if (check !== value.charAt(17)) {
    return {
      ok: false,
      reason: `check character should be ${check ?? '?'}, got ${value.charAt(17)}`,
    };
  }
  return { ok: true, value };
}

// Resident identity card number (居民身份证号码), GB 11643-1999.

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckChars = '10X98765432';

/**
 * Province codes an ID number may start with: the 31 mainland provinces plus Taiwan (71),
 * Hong Kong (81) and Macao (82), which issue numbers to residents of the mainland.
 */
const idProvinceCodes = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

/** The MOD 11-2 check character of an ID number from its first 17 digits. */
export function idCardCheckChar(first17: string): string | null {
  if (!/^\d{17}$/u.test(first17)) return null;
  let sum = 0;
  for (const [i, weight] of idWeights.entries()) sum += Number(first17.charAt(i)) * weight;
  return idCheckChars.charAt(sum % 11);
}

/** Today's date in China as YYYYMMDD (the country has one time zone and no summer time). */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

function isRealDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * A resident ID number, check character upper-cased (x → X), when it is well formed:
 * 17 digits and a check character that matches (MOD 11-2), a province code that exists,
 * and a birth date (characters 7-14) that is a real day from 1900 up to today. A 15-digit
 * number of the first generation (before 1999) is widened to 18 digits: its century is
 * always 19 and the check character is computed, so both forms of one person's number
 * give the same value.
 */
export function normalizeIdCard(raw: string, now: Date = new Date()): IdentityResult {
  let value = clean(raw);
  if (/^\d{15}$/u.test(value)) {
    const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
    value = first17 + (idCardCheckChar(first17) ?? '');
  }
  if (value.length !== 18) return { ok: false, reason: `length must be 18, got ${value.length}` };
  if (!/^\d{17}[\dX]$/u.test(value)) {
    return { ok: false, reason: 'must be 17 digits followed by a digit or X' };
  }
  if (!idProvinceCodes.has(value.slice(0, 2))) {
    return { ok: false, reason: `region code ${value.slice(0, 6)} is not in a known province` };
  }
  const birth = value.slice(6, 14);
  if (!isRealDate(birth)) return { ok: false, reason: `birth date ${birth} is not a real date` };
  if (birth < '19000101') return { ok: false, reason: `birth date ${birth} is before 1900` };
  if (birth > chinaDate(now)) return { ok: false, reason: `birth date ${birth} is in the future` };
  const check = idCardCheckChar(value.slice(0, 17));
  if (check !== value.charAt(17)) {
    return {
      ok: false,
      reason: `check character should be ${check ?? '?'}, got ${value.charAt(17)}`,
    };
  }
  return { ok: true, value };
}
