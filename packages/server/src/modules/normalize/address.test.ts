import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.ts';

/** Codes of a parse, for compact expectations. */
function codes(raw: string): [string | null, string | null, string | null, string] {
  const p = parseAddress(raw);
  return [p.provinceCode, p.cityCode, p.districtCode, p.detail];
}

describe('parseAddress: full addresses', () => {
  it.each([
    ['浙江省杭州市西湖区文三路90号', '330000', '330100', '330106', '文三路90号'],
    ['江苏省南京市鼓楼区中山路1号', '320000', '320100', '320106', '中山路1号'],
    ['广东省深圳市南山区科技园南区', '440000', '440300', '440305', '科技园南区'],
    ['广西壮族自治区南宁市青秀区民族大道100号', '450000', '450100', '450103', '民族大道100号'],
    ['新疆维吾尔自治区乌鲁木齐市天山区解放北路', '650000', '650100', '650102', '解放北路'],
    ['内蒙古自治区呼和浩特市新城区', '150000', '150100', '150102', ''],
    ['吉林省长春市朝阳区人民大街', '220000', '220100', '220104', '人民大街'],
    ['四川省成都市武侯区人民南路四段', '510000', '510100', '510107', '人民南路四段'],
    ['青海省海南州共和县', '630000', '632500', '632521', ''],
    ['吉林省延边朝鲜族自治州延吉市', '220000', '222400', '222401', ''],
  ])('%s', (raw, province, city, district, detail) => {
    expect(codes(raw)).toEqual([province, city, district, detail]);
  });

  it('fills names and a normalized form made of full names', () => {
    expect(parseAddress('杭州西湖区文三路90号')).toEqual({
      provinceCode: '330000',
      cityCode: '330100',
      districtCode: '330106',
      provinceName: '浙江省',
      cityName: '杭州市',
      districtName: '西湖区',
      detail: '文三路90号',
      normalized: '浙江省杭州市西湖区文三路90号',
    });
  });
});

describe('parseAddress: municipalities', () => {
  it.each([
    ['北京市朝阳区建国路88号', '110000', '110100', '110105', '建国路88号'],
    ['北京朝阳区望京SOHO', '110000', '110100', '110105', '望京SOHO'],
    ['上海浦东新区世纪大道100号', '310000', '310100', '310115', '世纪大道100号'],
    ['上海市市辖区黄浦区南京东路', '310000', '310100', '310101', '南京东路'],
    ['天津市和平区南京路', '120000', '120100', '120101', '南京路'],
    ['重庆市丰都县名山街道', '500000', '500200', '500230', '名山街道'],
    ['重庆渝中区解放碑', '500000', '500100', '500103', '解放碑'],
  ])('%s', (raw, province, city, district, detail) => {
    expect(codes(raw)).toEqual([province, city, district, detail]);
  });

  it('leaves the placeholder city name out of the normalized form', () => {
    const p = parseAddress('北京市朝阳区建国路88号');
    expect(p.cityName).toBe('市辖区');
    expect(p.normalized).toBe('北京市朝阳区建国路88号');
  });

  it('knows the only city of a municipality from the province alone', () => {
    expect(codes('北京市')).toEqual(['110000', '110100', null, '']);
    expect(codes('重庆市某某路')).toEqual(['500000', null, null, '某某路']);
  });
});

describe('parseAddress: levels left out', () => {
  it('finds the province from the city', () => {
    expect(codes('杭州市西湖区文三路90号')).toEqual(['330000', '330100', '330106', '文三路90号']);
    expect(codes('吉林市船营区')).toEqual(['220000', '220200', '220204', '']);
  });

  it('finds the city from a district unique in its province', () => {
    expect(codes('浙江省西湖区文三路')).toEqual(['330000', '330100', '330106', '文三路']);
    expect(codes('湖北省仙桃市干河街道')).toEqual(['420000', '429000', '429004', '干河街道']);
  });

  it('finds everything from a district unique in the country', () => {
    expect(codes('余杭区文一西路969号')).toEqual(['330000', '330100', '330110', '文一西路969号']);
  });

  it('does not guess between districts sharing a name', () => {
    expect(codes('朝阳区xx路')).toEqual([null, null, null, '朝阳区xx路']);
    expect(codes('辽宁省铁西区兴华街')).toEqual(['210000', null, null, '铁西区兴华街']);
  });

  it('stops at the city when it has no districts in the data', () => {
    expect(codes('广东省东莞市石碣镇')).toEqual(['440000', '441900', null, '石碣镇']);
  });
});

describe('parseAddress: cleaning', () => {
  it('folds full-width characters and drops spaces and separators', () => {
    expect(codes('  浙江 杭州，西湖区 文三路９０号 ')).toEqual([
      '330000',
      '330100',
      '330106',
      '文三路90号',
    ]);
  });

  it('drops a leading country name', () => {
    expect(codes('中国浙江省杭州市余杭区文一西路969号')[2]).toBe('330110');
  });

  it('folds Chinese house numbers in the detail', () => {
    expect(parseAddress('上海市黄浦区三十五弄二〇三室').detail).toBe('35弄203室');
  });

  it('does not take a road named after a city for the city', () => {
    expect(codes('南京东路100号')).toEqual([null, null, null, '南京东路100号']);
    expect(codes('中山路一百二十三号')).toEqual([null, null, null, '中山路123号']);
  });

  it('returns nulls for places outside the data', () => {
    const p = parseAddress('香港中环皇后大道中99号');
    expect([p.provinceCode, p.cityCode, p.districtCode]).toEqual([null, null, null]);
    expect(p.normalized).toBe('香港中环皇后大道中99号');
  });

  it('handles empty input', () => {
    expect(codes('   ')).toEqual([null, null, null, '']);
  });
});
