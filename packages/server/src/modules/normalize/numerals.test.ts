import { describe, expect, it } from 'vitest';
import { chineseNumeralValue, foldChineseNumerals } from './numerals.ts';

describe('chineseNumeralValue', () => {
  it('reads counted numbers', () => {
    expect(chineseNumeralValue('一百二十三')).toBe('123');
    expect(chineseNumeralValue('十八')).toBe('18');
    expect(chineseNumeralValue('十')).toBe('10');
    expect(chineseNumeralValue('二十')).toBe('20');
    expect(chineseNumeralValue('三十五')).toBe('35');
    expect(chineseNumeralValue('一百零五')).toBe('105');
    expect(chineseNumeralValue('一千零二十')).toBe('1020');
    expect(chineseNumeralValue('两百')).toBe('200');
    expect(chineseNumeralValue('一百五')).toBe('150');
  });

  it('reads digit strings digit by digit', () => {
    expect(chineseNumeralValue('二〇三')).toBe('203');
    expect(chineseNumeralValue('一零一')).toBe('101');
    expect(chineseNumeralValue('两')).toBe('2');
  });

  it('refuses what is not a number', () => {
    expect(chineseNumeralValue('')).toBeNull();
    expect(chineseNumeralValue('十十')).toBeNull();
    expect(chineseNumeralValue('百十')).toBeNull();
    expect(chineseNumeralValue('二三十')).toBeNull();
    expect(chineseNumeralValue('零十')).toBeNull();
    expect(chineseNumeralValue('一百零')).toBeNull();
  });
});

describe('foldChineseNumerals', () => {
  it('folds numbers followed by a house, building or room unit', () => {
    expect(foldChineseNumerals('一百二十三号')).toBe('123号');
    expect(foldChineseNumerals('十八号楼')).toBe('18号楼');
    expect(foldChineseNumerals('二〇三室')).toBe('203室');
    expect(foldChineseNumerals('三十五弄')).toBe('35弄');
    expect(foldChineseNumerals('五栋二单元十一层')).toBe('5栋2单元11层');
    expect(foldChineseNumerals('万科城二期三幢')).toBe('万科城2期3幢');
  });

  it('folds full-width digits', () => {
    expect(foldChineseNumerals('文三路９０号')).toBe('文三路90号');
  });

  it('leaves numerals that are part of a name', () => {
    expect(foldChineseNumerals('五一路')).toBe('五一路');
    expect(foldChineseNumerals('三元里大街')).toBe('三元里大街');
    expect(foldChineseNumerals('五一路一号')).toBe('五一路1号');
    expect(foldChineseNumerals('十里河')).toBe('十里河');
  });

  it('leaves a run that is not a number', () => {
    expect(foldChineseNumerals('十十号')).toBe('十十号');
  });
});
