import { describe, expect, it } from 'vitest';
import { DIVISION_DATA_VERSION, divisionIndex, loadDivisions } from './divisions.ts';

describe('loadDivisions', () => {
  it('reads 31 provinces with six-digit codes, once', () => {
    const all = loadDivisions();
    expect(loadDivisions()).toBe(all);
    expect(all.filter((d) => d.level === 1)).toHaveLength(31);
    expect(all.every((d) => /^\d{6}$/u.test(d.code))).toBe(true);
    expect(DIVISION_DATA_VERSION).toBe('2023');
  });

  it('widens province and city codes and links each level to its parent', () => {
    const index = divisionIndex();
    expect(index.byCode('110000')).toEqual({
      code: '110000',
      name: '北京市',
      level: 1,
      parentCode: null,
    });
    expect(index.byCode('110100')).toMatchObject({
      name: '市辖区',
      level: 2,
      parentCode: '110000',
    });
    expect(index.byCode('110105')).toMatchObject({
      name: '朝阳区',
      level: 3,
      parentCode: '110100',
    });
    expect(index.byCode('11')).toBeUndefined();
  });

  it('leaves out the towns listed under cities without districts', () => {
    const index = divisionIndex();
    expect(index.byCode('441900')).toMatchObject({ name: '东莞市' });
    expect(index.children('441900')).toEqual([]);
    expect(loadDivisions().some((d) => d.code.length !== 6)).toBe(false);
  });
});

describe('divisionIndex names', () => {
  const index = divisionIndex();
  const named = (code: string) => {
    const d = index.byCode(code);
    if (!d) throw new Error(`no division ${code}`);
    return d;
  };

  it('gives short forms of provinces, cities and autonomous prefectures', () => {
    expect(index.shortName(named('330000'))).toBe('浙江');
    expect(index.shortName(named('150000'))).toBe('内蒙古');
    expect(index.shortName(named('450000'))).toBe('广西');
    expect(index.shortName(named('650000'))).toBe('新疆');
    expect(index.shortName(named('330100'))).toBe('杭州');
    expect(index.shortName(named('222400'))).toBe('延边');
    expect(index.shortName(named('232700'))).toBe('大兴安岭');
    expect(index.shortName(named('152900'))).toBe('阿拉善');
  });

  it('gives districts no short form', () => {
    expect(index.shortName(named('330106'))).toBe('西湖区');
    expect(index.byName('西湖')).toEqual([]);
  });

  it('does not shorten 阿里地区 to 阿里, which reads as 阿里巴巴', () => {
    expect(index.shortName(named('542500'))).toBe('阿里地区');
    expect(index.byName('阿里')).toEqual([]);
  });

  it('finds every division sharing a name, and the one below a parent', () => {
    expect(index.byName('朝阳区').map((d) => d.code)).toEqual(['110105', '220104']);
    expect(index.byName('朝阳区', '110000').map((d) => d.code)).toEqual(['110105']);
    expect(index.byName('鼓楼区')).toHaveLength(4);
    expect(index.byName('杭州').map((d) => d.code)).toEqual(['330100']);
  });

  it('marks placeholder cities', () => {
    expect(index.isPlaceholder(named('110100'))).toBe(true);
    expect(index.isPlaceholder(named('500200'))).toBe(true);
    expect(index.isPlaceholder(named('429000'))).toBe(true);
    expect(index.isPlaceholder(named('330100'))).toBe(false);
  });
});

describe('divisionIndex.matchAt', () => {
  const index = divisionIndex();

  it('takes the longest name', () => {
    const match = index.matchAt('吉林市船营区', 0);
    expect(match).toMatchObject({ length: 3, text: '吉林市', short: false });
    expect(match?.divisions.map((d) => d.code)).toEqual(['220200']);
  });

  it('prefers the higher level on equal length', () => {
    expect(index.matchAt('吉林长春', 0)?.divisions.map((d) => d.code)).toEqual(['220000']);
    expect(index.matchAt('海南三亚', 0)?.divisions.map((d) => d.code)).toEqual(['460000']);
    expect(index.matchAt('海南州', 0, '630000')?.divisions.map((d) => d.code)).toEqual(['632500']);
  });

  it('matches at an offset and within a scope only', () => {
    expect(index.matchAt('浙江省杭州市', 3, '330000')?.divisions[0]?.code).toBe('330100');
    expect(index.matchAt('浙江省杭州市', 3, '320000')).toBeNull();
  });

  it('reports an ambiguous name with all its divisions', () => {
    expect(index.matchAt('朝阳区建国路', 0)?.divisions).toHaveLength(2);
  });

  it('does not read a road named after a city as the city', () => {
    expect(index.matchAt('南京路100号', 0)).toBeNull();
    expect(index.matchAt('中山东路', 0)).toBeNull();
    expect(index.matchAt('北京大道', 0)).toBeNull();
    expect(index.matchAt('南京市中山东路', 0)?.text).toBe('南京市');
    expect(index.matchAt('南京', 0)?.text).toBe('南京');
  });

  it('never matches placeholder city names', () => {
    expect(index.matchAt('市辖区', 0)).toBeNull();
    expect(index.matchAt('市辖区', 0, '110000')).toBeNull();
  });

  it('matches two-character 区 names only below a known city', () => {
    expect(index.matchAt('东区', 0)).toBeNull();
    expect(index.matchAt('东区', 0, '510400')?.divisions[0]?.code).toBe('510402');
  });
});
