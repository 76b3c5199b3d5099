import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  idCardCheckChar,
  normalizeCreditCode,
  normalizeIdCard,
} from './identity.ts';

/** A credit code with a correct check character, from its first 17 characters. */
function creditCode(first17: string): string {
  return first17 + (creditCodeCheckChar(first17) ?? '');
}

describe('normalizeCreditCode', () => {
  it.each([
    '91350100M000100Y43',
    '914403001922038216',
    '9144030071526726XG',
    '91330100799655058B',
    '91110000802100433B',
    '91110108551385082Q',
  ])('accepts the published code %s', (code) => {
    expect(normalizeCreditCode(code)).toEqual({ ok: true, value: code });
  });

  it('accepts codes built with a computed check character', () => {
    for (const first17 of ['92330106MA2GL0X12', '12100000400000624', '52110000500000123']) {
      const code = creditCode(first17);
      expect(normalizeCreditCode(code)).toEqual({ ok: true, value: code });
    }
  });

  it('cleans case, spaces, dashes and full-width characters', () => {
    const value = '91350100M000100Y43';
    expect(normalizeCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, value });
    expect(normalizeCreditCode('913501-00M000-100Y43')).toEqual({ ok: true, value });
    expect(normalizeCreditCode('9135 0100 M000 100Y 43')).toEqual({ ok: true, value });
    expect(normalizeCreditCode('９１３５０１００Ｍ０００１００Ｙ４３')).toEqual({
      ok: true,
      value,
    });
  });

  it('refuses a wrong length', () => {
    expect(normalizeCreditCode('91350100M000100Y4')).toEqual({
      ok: false,
      reason: 'length must be 18, got 17',
    });
    expect(normalizeCreditCode('')).toEqual({ ok: false, reason: 'length must be 18, got 0' });
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('refuses the letter %s', (letter) => {
    const result = normalizeCreditCode(`91350100M0001${letter}0Y43`);
    expect(result).toEqual({
      ok: false,
      reason: `character "${letter}" at position 14 is not allowed (I, O, S, V and Z are never used)`,
    });
  });

  it('refuses an unknown registration authority', () => {
    expect(normalizeCreditCode(creditCode('B1350100M000100Y4'))).toEqual({
      ok: false,
      reason: 'registration authority code "B" does not exist',
    });
  });

  it('refuses a region code that is not six digits', () => {
    expect(normalizeCreditCode(creditCode('9135A100M000100Y4'))).toEqual({
      ok: false,
      reason: 'characters 3-8 must be a six-digit region code',
    });
  });

  it('refuses a wrong check character and names the right one', () => {
    expect(normalizeCreditCode('91350100M000100Y44')).toEqual({
      ok: false,
      reason: 'check character should be 3, got 4',
    });
  });

  it('computes check characters by GB 32100', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckChar('9135010')).toBeNull();
    expect(creditCodeCheckChar('91350100M000100I4')).toBeNull();
  });
});

describe('normalizeIdCard', () => {
  const now = new Date('2026-06-01T00:00:00Z');

  /** An ID number with a correct check character, from its first 17 digits. */
  function idNumber(first17: string): string {
    return first17 + (idCardCheckChar(first17) ?? '');
  }

  it('accepts the example of the standard', () => {
    expect(normalizeIdCard('11010519491231002X', now)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('accepts numbers built with a computed check character', () => {
    for (const first17 of ['33010619900101123', '44030520000229001', '81000019851015002']) {
      const value = idNumber(first17);
      expect(normalizeIdCard(value, now)).toEqual({ ok: true, value });
    }
  });

  it('upper-cases x and drops spaces', () => {
    expect(normalizeIdCard(' 110105 19491231 002x ', now)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('widens a 15-digit number to 18 digits', () => {
    expect(normalizeIdCard('110101900307803', now)).toEqual({
      ok: true,
      value: '11010119900307803X',
    });
  });

  it('refuses a wrong length', () => {
    expect(normalizeIdCard('11010519491231002', now)).toEqual({
      ok: false,
      reason: 'length must be 18, got 17',
    });
  });

  it('refuses letters other than a final X', () => {
    expect(normalizeIdCard('1101051949123100AX', now)).toEqual({
      ok: false,
      reason: 'must be 17 digits followed by a digit or X',
    });
  });

  it('refuses an unknown province', () => {
    expect(normalizeIdCard(idNumber('99010519491231002'), now)).toEqual({
      ok: false,
      reason: 'region code 990105 is not in a known province',
    });
  });

  it('refuses a date that does not exist', () => {
    expect(normalizeIdCard(idNumber('11010519490230002'), now)).toEqual({
      ok: false,
      reason: 'birth date 19490230 is not a real date',
    });
    expect(normalizeIdCard(idNumber('44030519000229001'), now)).toEqual({
      ok: false,
      reason: 'birth date 19000229 is not a real date',
    });
  });

  it('refuses a birth before 1900', () => {
    expect(normalizeIdCard(idNumber('44052418991231001'), now)).toEqual({
      ok: false,
      reason: 'birth date 18991231 is before 1900',
    });
  });

  it('refuses a birth after today in China', () => {
    expect(normalizeIdCard(idNumber('11010520260602001'), now)).toEqual({
      ok: false,
      reason: 'birth date 20260602 is in the future',
    });
    // 2026-06-01 16:00 UTC is already 2 June in Beijing.
    expect(
      normalizeIdCard(idNumber('11010520260602001'), new Date('2026-06-01T16:00:00Z')),
    ).toEqual({
      ok: true,
      value: idNumber('11010520260602001'),
    });
  });

  it('refuses a wrong check character and names the right one', () => {
    expect(normalizeIdCard('110105194912310021', now)).toEqual({
      ok: false,
      reason: 'check character should be X, got 1',
    });
  });

  it('computes check characters by GB 11643', () => {
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(idCardCheckChar('1101051949123100')).toBeNull();
  });
});
