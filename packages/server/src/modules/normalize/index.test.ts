import { describe, expect, it } from 'vitest';
import * as normalize from './index.ts';

describe('normalize module surface', () => {
  it('exports the public functions', () => {
    for (const name of [
      'normalizePhone',
      'phoneDigitsKey',
      'normalizeCreditCode',
      'normalizeIdCard',
      'creditCodeCheckChar',
      'idCardCheckChar',
      'normalizeCompanyName',
      'foldChineseNumerals',
      'chineseNumeralValue',
      'parseAddress',
      'loadDivisions',
      'divisionIndex',
    ] as const) {
      expect(typeof normalize[name]).toBe('function');
    }
    expect(normalize.DIVISION_DATA_VERSION).toBe('2023');
  });

  it('works end to end on one customer record', () => {
    expect(normalize.normalizePhone('（0571）8888 1234 转 8')?.e164).toBe('+8657188881234');
    expect(normalize.normalizeCompanyName('杭州阿里巴巴网络技术有限公司').core).toBe(
      '阿里巴巴网络技术',
    );
    expect(normalize.parseAddress('杭州市西湖区文三路九十号').detail).toBe('文三路90号');
  });
});
