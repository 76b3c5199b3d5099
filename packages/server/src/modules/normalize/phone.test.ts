import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneDigitsKey } from './phone.ts';

const mobile = { e164: '+8613812345678', kind: 'mobile', country: 'CN' };
const landline = { e164: '+8657188881234', kind: 'landline', country: 'CN' };

describe('normalizePhone: mainland mobiles', () => {
  it.each([
    '13812345678',
    '138-1234-5678',
    '138 1234 5678',
    '+86 138 1234 5678',
    '+8613812345678',
    '0086 13812345678',
    '86-13812345678',
    '１３８１２３４５６７８',
    '138—1234—5678',
    ' 13812345678 ',
  ])('%s', (raw) => {
    expect(normalizePhone(raw)).toEqual(mobile);
  });

  it('accepts any 1[3-9] + 9 digits, also blocks libphonenumber does not list yet', () => {
    expect(normalizePhone('14012345678')).toEqual({
      e164: '+8614012345678',
      kind: 'mobile',
      country: 'CN',
    });
    expect(normalizePhone('19912345678')?.kind).toBe('mobile');
  });

  it.each(['12345', '13812345', '11012345678', '12812345678', '1381234567a', '138123456789', ''])(
    'refuses %j',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );
});

describe('normalizePhone: landlines', () => {
  it.each([
    '0571-88881234',
    '(0571)88881234',
    '（0571）8888 1234',
    '057188881234',
    '+86 571 8888 1234',
    '+86 0571 88881234',
    '0086-571-88881234',
  ])('%s', (raw) => {
    expect(normalizePhone(raw)).toEqual(landline);
  });

  it('reads Beijing and Guangzhou numbers with two-digit area codes', () => {
    expect(normalizePhone('010-65529988')).toEqual({
      e164: '+861065529988',
      kind: 'landline',
      country: 'CN',
    });
    expect(normalizePhone('020-88881234')?.e164).toBe('+862088881234');
  });

  it.each([
    '0571-88881234转123',
    '0571-88881234 转 123',
    '0571-88881234分机123',
    '0571-88881234 ext 123',
    '0571-88881234 ext.123',
    '0571-88881234x123',
    '0571-88881234#123',
    '0571-88881234-123',
  ])('drops the extension of %s', (raw) => {
    expect(normalizePhone(raw)).toEqual(landline);
  });

  it('does not read a trailing group after a mobile number as an extension', () => {
    expect(normalizePhone('13812345678-12')).toBeNull();
  });

  it('refuses a local number without its area code', () => {
    expect(normalizePhone('88881234')).toBeNull();
  });

  it('calls service numbers other', () => {
    expect(normalizePhone('400-800-1234')).toEqual({
      e164: '+864008001234',
      kind: 'other',
      country: 'CN',
    });
  });
});

describe('normalizePhone: other countries', () => {
  it('reads numbers with their country code', () => {
    expect(normalizePhone('+1 415 555 2671')).toEqual({
      e164: '+14155552671',
      kind: 'other',
      country: 'US',
    });
    expect(normalizePhone('+44 20 7946 0958')).toEqual({
      e164: '+442079460958',
      kind: 'landline',
      country: 'GB',
    });
    expect(normalizePhone('+852 9123 4567')).toEqual({
      e164: '+85291234567',
      kind: 'mobile',
      country: 'HK',
    });
    expect(normalizePhone('00852 9123 4567')?.e164).toBe('+85291234567');
  });

  it('reads numbers without a country code in the default country', () => {
    expect(normalizePhone('9123 4567', 'HK')).toEqual({
      e164: '+85291234567',
      kind: 'mobile',
      country: 'HK',
    });
    expect(normalizePhone('9123 4567')).toBeNull();
  });

  it('refuses invalid foreign numbers', () => {
    expect(normalizePhone('+1 123')).toBeNull();
    expect(normalizePhone('+852 1234')).toBeNull();
  });
});

describe('phoneDigitsKey', () => {
  it('keeps the digits of an E.164 number', () => {
    expect(phoneDigitsKey('+8613812345678')).toBe('8613812345678');
  });
});

describe('normalizePhone: default country', () => {
  it('reads a bare mainland mobile only as Chinese when China is the default', () => {
    expect(normalizePhone('13812345678', 'HK')).toBeNull();
    expect(normalizePhone('+86 138 1234 5678', 'HK')).toEqual(mobile);
    expect(normalizePhone('+86 138 1234 5678', 'US')).toEqual(mobile);
  });
});

describe('normalizePhone: labels before the number', () => {
  it('drops a label such as 电话：, 手机:, Tel. written in the same cell', () => {
    for (const raw of [
      '电话：13812345678',
      '手机: 138 1234 5678',
      '联系电话：13812345678',
      'Tel: +86 138-1234-5678',
      'TEL.13812345678',
      '手机号码13812345678',
    ])
      expect(normalizePhone(raw), raw).toEqual(mobile);
    expect(normalizePhone('座机：0571-88881234')?.e164).toBe('+8657188881234');
    expect(normalizePhone('电话：0571-88881234 转 123')?.e164).toBe('+8657188881234');
  });

  it('still refuses words that are not a label', () => {
    expect(normalizePhone('传真：13812345678')).toBeNull();
    expect(normalizePhone('电话：无')).toBeNull();
  });
});
