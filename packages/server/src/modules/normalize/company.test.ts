import { describe, expect, it } from 'vitest';
import { industryWords, legalSuffixes, normalizeCompanyName } from './company.ts';

describe('normalizeCompanyName: folding', () => {
  it('folds full-width forms, case, spaces and punctuation', () => {
    expect(normalizeCompanyName('ＡＢＣ 科技有限公司')).toEqual({
      folded: 'abc科技有限公司',
      core: 'abc科技',
      place: null,
      suffix: '有限公司',
      branch: null,
    });
  });

  it('turns Taiwan and Hong Kong traditional characters into simplified ones', () => {
    expect(normalizeCompanyName('雲帆科技有限公司')).toMatchObject({
      folded: '云帆科技有限公司',
      core: '云帆科技',
    });
    expect(normalizeCompanyName('張三攝影工作室').folded).toBe('张三摄影工作室');
    expect(normalizeCompanyName('滙豐銀行(中國)有限公司').core).toBe('汇丰银行');
  });

  it('keeps the words of a proper name (no phrase rewriting)', () => {
    expect(normalizeCompanyName('臺灣積體電路製造股份有限公司').core).toBe('台湾积体电路制造');
  });

  it('keeps every part of the name in folded', () => {
    expect(normalizeCompanyName('阿里巴巴（杭州）网络技术有限公司').folded).toBe(
      '阿里巴巴杭州网络技术有限公司',
    );
  });

  it('returns empty strings for a blank name', () => {
    expect(normalizeCompanyName('  ')).toEqual({
      folded: '',
      core: '',
      place: null,
      suffix: null,
      branch: null,
    });
  });
});

describe('normalizeCompanyName: places', () => {
  it('strips a leading city', () => {
    expect(normalizeCompanyName('杭州阿里巴巴网络技术有限公司')).toEqual({
      folded: '杭州阿里巴巴网络技术有限公司',
      core: '阿里巴巴网络技术',
      place: '杭州',
      suffix: '有限公司',
      branch: null,
    });
  });

  it('strips a place in brackets anywhere', () => {
    for (const name of [
      '阿里巴巴（杭州）网络技术有限公司',
      '阿里巴巴(杭州)网络技术有限公司',
      '阿里巴巴[杭州]网络技术有限公司',
      '阿里巴巴【杭州】网络技术有限公司',
    ]) {
      expect(normalizeCompanyName(name)).toMatchObject({
        core: '阿里巴巴网络技术',
        place: '杭州',
      });
    }
    expect(normalizeCompanyName('西门子（中国）有限公司')).toMatchObject({
      core: '西门子',
      place: '中国',
    });
  });

  it('keeps a bracket that is not a place, without the brackets', () => {
    expect(normalizeCompanyName('云帆（国际）科技有限公司').core).toBe('云帆国际科技');
  });

  it('strips repeated leading places and keeps the most specific', () => {
    expect(normalizeCompanyName('浙江杭州云帆科技股份有限公司')).toMatchObject({
      core: '云帆科技',
      place: '杭州',
      suffix: '股份有限公司',
    });
    expect(normalizeCompanyName('浙江省杭州市西湖区云帆科技有限公司')).toMatchObject({
      core: '云帆科技',
      place: '西湖区',
    });
  });

  it('strips full province and city names and gives the short form', () => {
    expect(normalizeCompanyName('深圳市腾讯计算机系统有限公司')).toMatchObject({
      core: '腾讯计算机系统',
      place: '深圳',
    });
  });

  it('does not strip short district forms', () => {
    expect(normalizeCompanyName('西湖云帆科技有限公司').core).toBe('西湖云帆科技');
    expect(normalizeCompanyName('鼓楼云帆科技有限公司').core).toBe('鼓楼云帆科技');
    // 朝阳 is also the short form of 朝阳市 (Liaoning), so it goes.
    expect(normalizeCompanyName('朝阳云帆科技有限公司').core).toBe('云帆科技');
  });

  it('keeps the place when only industry words would remain', () => {
    expect(normalizeCompanyName('杭州科技有限公司')).toMatchObject({
      core: '杭州科技',
      place: null,
    });
    expect(normalizeCompanyName('杭州网络技术有限公司').core).toBe('杭州网络技术');
    expect(normalizeCompanyName('中山大学').core).toBe('中山大学');
  });

  it('keeps words that merely begin like a place', () => {
    expect(normalizeCompanyName('三明治工坊').core).toBe('三明治工坊');
    expect(normalizeCompanyName('阿里巴巴网络技术有限公司').core).toBe('阿里巴巴网络技术');
  });
});

describe('normalizeCompanyName: legal forms', () => {
  it.each([
    ['云帆科技股份有限公司', '股份有限公司'],
    ['云帆科技有限责任公司', '有限责任公司'],
    ['云帆科技有限公司', '有限公司'],
    ['云帆科技公司', '公司'],
    ['云帆科技合伙企业（有限合伙）', '合伙企业有限合伙'],
    ['云帆科技（有限合伙）', '有限合伙'],
    ['云帆科技个体工商户', '个体工商户'],
    ['云帆科技工作室', '工作室'],
    ['云帆科技商行', '商行'],
    ['云帆科技集团有限公司', '集团有限公司'],
    ['云帆科技集团', '集团'],
  ])('%s', (name, suffix) => {
    expect(normalizeCompanyName(name)).toMatchObject({ core: '云帆科技', suffix });
  });

  it('gives 海尔集团, 海尔集团公司 and 海尔集团有限公司 one core', () => {
    const cores = ['海尔集团', '海尔集团公司', '海尔集团有限公司'].map(
      (n) => normalizeCompanyName(n).core,
    );
    expect(cores).toEqual(['海尔', '海尔', '海尔']);
  });

  it('keeps words that say what a business is', () => {
    expect(normalizeCompanyName('杭州钢铁厂').core).toBe('钢铁厂');
    expect(normalizeCompanyName('云帆餐饮店').core).toBe('云帆餐饮店');
    expect(normalizeCompanyName('云帆数据中心').core).toBe('云帆数据中心');
  });

  it.each([
    ['厦门华章建材有线公司', '华章建材'],
    ['南京创新生物科技有限工司', '创新生物科技'],
    ['昆明天成装饰工程有限责壬公司', '天成装饰工程'],
    ['福州翔宇生物科技股仿有限公司', '翔宇生物科技'],
  ])('takes off a common legal form mistyped in one character: %s', (name, core) => {
    expect(normalizeCompanyName(name).core).toBe(core);
  });

  it('matches rare legal forms and short ones exactly only', () => {
    expect(normalizeCompanyName('北京信任有限公司').core).toBe('信任');
    expect(normalizeCompanyName('云帆商城').core).toBe('云帆商城');
  });

  it('takes off a special partnership after an accounting firm', () => {
    expect(normalizeCompanyName('天健会计师事务所（特殊普通合伙）')).toMatchObject({
      core: '天健会计师事务所',
      suffix: '特殊普通合伙',
    });
  });

  it('takes off Latin legal forms as whole words only', () => {
    expect(normalizeCompanyName('ABC Technology Co., Ltd.')).toMatchObject({
      core: 'abctechnology',
      suffix: 'coltd',
    });
    expect(normalizeCompanyName('Acme Inc.')).toMatchObject({ core: 'acme', suffix: 'inc' });
    expect(normalizeCompanyName('Zinc')).toMatchObject({ core: 'zinc', suffix: null });
  });

  it('never leaves the core empty', () => {
    expect(normalizeCompanyName('有限公司').core).not.toBe('');
    expect(normalizeCompanyName('杭州').core).toBe('杭州');
  });

  it('lists its suffixes longest first where one ends another', () => {
    for (const [i, longer] of legalSuffixes.entries()) {
      for (const shorter of legalSuffixes.slice(0, i)) {
        expect(longer.endsWith(shorter) && longer !== shorter).toBe(false);
      }
    }
  });
});

describe('normalizeCompanyName: branches', () => {
  it('splits a branch after the legal form', () => {
    expect(normalizeCompanyName('云帆科技有限公司上海分公司')).toEqual({
      folded: '云帆科技有限公司上海分公司',
      core: '云帆科技',
      place: null,
      suffix: '有限公司',
      branch: '上海分公司',
    });
    expect(normalizeCompanyName('招商银行股份有限公司杭州西湖支行')).toMatchObject({
      core: '招商银行',
      branch: '杭州西湖支行',
    });
    expect(normalizeCompanyName('云帆科技有限公司第一分公司').branch).toBe('第一分公司');
  });

  it('splits a branch named by a place without a legal form', () => {
    expect(normalizeCompanyName('云帆科技上海分公司')).toMatchObject({
      core: '云帆科技',
      branch: '上海分公司',
    });
    expect(normalizeCompanyName('云帆科技北京办事处')).toMatchObject({
      core: '云帆科技',
      branch: '北京办事处',
    });
  });

  it('keeps the marker alone when nothing names the branch', () => {
    expect(normalizeCompanyName('云帆餐厅分店')).toMatchObject({
      core: '云帆餐厅',
      branch: '分店',
    });
  });

  it('gives a head office no branch', () => {
    expect(normalizeCompanyName('云帆科技有限公司').branch).toBeNull();
    expect(normalizeCompanyName('云帆科技总公司')).toMatchObject({
      core: '云帆科技',
      suffix: '总公司',
      branch: null,
    });
  });
});

describe('industryWords', () => {
  it('lists generic words, none of them a legal form', () => {
    expect(industryWords).toContain('科技');
    expect(industryWords).toContain('贸易');
    for (const word of industryWords) expect(legalSuffixes).not.toContain(word);
  });
});
