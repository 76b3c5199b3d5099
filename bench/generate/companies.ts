/**
 * Realistic Chinese customers for benchmarks at scale, the same sequence for a
 * given seed: companies named the way registries are full of them (杭州云帆网络科技
 * 有限公司, 云帆科技（杭州）有限公司, 上海华信贸易有限公司北京分公司), sole traders' shops,
 * branch offices, the same brand in other cities, and about 10% individuals. Brands
 * are two to four characters drawn from a few hundred popular ones, so they repeat
 * across cities and industries; phones, credit codes and addresses are valid and
 * parse to real divisions.
 */
import { industryWords } from '../../packages/server/src/modules/normalize/company.ts';
import { divisionIndex } from '../../packages/server/src/modules/normalize/divisions.ts';
import { creditCodeCheckChar } from '../../packages/server/src/modules/normalize/identity.ts';
import { Random, Weighted } from './random.ts';
import {
  brandChars,
  brandLengths,
  buildingForms,
  cities,
  givenChars,
  industries,
  legalForms,
  mobilePrefixes,
  roads,
  shopWords,
  surnames,
  type CityInfo,
  type IndustryInfo,
} from './vocabulary.ts';

export interface GeneratedCustomer {
  kind: 'company' | 'person';
  name: string;
  phone: string | null;
  creditCode: string | null;
  address: string | null;
  industry: string;
  /**
   * The name as someone who leaves out the city would type it (云帆网络科技有限公司);
   * null when the name carries no city or is a branch or a shop.
   */
  nameWithoutCity: string | null;
}

/** Shares of each kind of record, and how often a field is filled. */
const shares = {
  person: 0.1,
  /** Of companies: a branch office of a company generated before. */
  branch: 0.06,
  /** Of companies: a sole trader's shop (…五金商行). */
  shop: 0.04,
  /** Of companies: a brand and industry already used, in another city. */
  sameBrandOtherCity: 0.08,
  companyPhone: 0.68,
  personPhone: 0.85,
  companyCreditCode: 0.44,
  companyAddress: 0.62,
  personAddress: 0.4,
} as const;

type NameForm = 'city' | 'cityFull' | 'bracketed' | 'none' | 'province';
const nameForms = new Weighted<NameForm>([
  ['city', 70],
  ['cityFull', 6],
  ['bracketed', 10],
  ['none', 9],
  ['province', 5],
]);

const shopTrades: readonly (readonly [string, string])[] = [
  ['五金', '批发零售'],
  ['建材', '建筑'],
  ['服装', '纺织服装'],
  ['食品', '食品'],
  ['日用品', '批发零售'],
  ['电器', '批发零售'],
  ['烟酒', '批发零售'],
  ['水果', '食品'],
  ['家具', '家居'],
  ['汽车维修', '汽车'],
  ['美容', '生活服务'],
  ['餐饮', '餐饮'],
  ['装饰', '建筑装饰'],
  ['通讯器材', '批发零售'],
];

/** A company whose brand, industry and city later records reuse (branches, other cities). */
interface Head {
  brand: string;
  industry: IndustryInfo;
  city: CityInfo;
  name: string;
}

const RESERVOIR = 50_000;

function provinceShort(province: string): string {
  return province.replace(/(壮族自治区|维吾尔自治区|回族自治区|自治区|省|市)$/u, '');
}

/** The urban districts (…区) of a city, from the division data the address parser uses. */
function districtsOf(city: CityInfo): string[] {
  const index = divisionIndex();
  const province = index.byName(city.province).find((d) => d.level === 1);
  if (!province) throw new Error(`no province ${city.province}`);
  const parent = city.city
    ? index.byName(city.city, province.code).find((d) => d.level === 2)
    : index.children(province.code).find((d) => d.name === '市辖区');
  if (!parent) throw new Error(`no city ${city.city ?? city.province}`);
  const districts = index
    .children(parent.code)
    // Development zones (…经济技术开发区) have codes but are rarely written in an address.
    .filter(
      (d) => d.level === 3 && d.name.endsWith('区') && !/开发区|产业|园区|示范区/u.test(d.name),
    )
    .map((d) => `${d.name}\t${d.code}`);
  if (districts.length === 0) throw new Error(`no districts in ${city.short}`);
  return districts;
}

/** GB 11714 check character of an organisation code body (8 characters). */
function orgCodeCheckChar(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (const [i, c] of Array.from(body).entries()) {
    const value = c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * (weights[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 11 ? '0' : check === 10 ? 'X' : String(check);
}

const codeAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** An endless sequence: take as many as the table needs. */
export function* generateCustomers(seed: number): Generator<GeneratedCustomer, never> {
  const random = new Random(seed);
  const cityPick = new Weighted(cities.map((c) => [c, c.weight] as const));
  const industryPick = new Weighted(industries.map((i) => [i, i.weight] as const));
  const legalPick = new Weighted(legalForms);
  const shopPick = new Weighted(shopWords);
  const brandCharPick = Weighted.zipf(brandChars, 0.6);
  const brandLengthPick = new Weighted(brandLengths);
  const surnamePick = Weighted.zipf(surnames, 0.7);
  const givenPick = Weighted.zipf(Array.from(new Set(givenChars)), 0.6);
  const mobilePick = new Weighted(mobilePrefixes);
  const districts = new Map(cities.map((c) => [c, districtsOf(c)]));
  const index = divisionIndex();
  const notBrands = new Set<string>(industryWords);
  const names = new Set<string>();
  const heads: Head[] = [];

  const otherCity = (not: CityInfo): CityInfo => {
    for (;;) {
      const c = cityPick.pick(random);
      if (c !== not) return c;
    }
  };

  /** Registries refuse a brand that is a place name or says only what the business does. */
  const brand = (): string => {
    for (;;) {
      const length = brandLengthPick.pick(random);
      const chars = new Set<string>();
      while (chars.size < length) chars.add(brandCharPick.pick(random));
      const b = [...chars].join('');
      if (!notBrands.has(b) && !index.matchAt(b, 0)) return b;
    }
  };

  const district = (city: CityInfo): { name: string; code: string } => {
    const [name = '', code = ''] = random.pick(districts.get(city) ?? []).split('\t');
    return { name, code };
  };

  const mobile = (): string => {
    const n = mobilePick.pick(random) + random.digits(8);
    const f = random.next();
    if (f < 0.82) return n;
    if (f < 0.89) return `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
    if (f < 0.95) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
    return `+86 ${n}`;
  };

  const landline = (city: CityInfo): string => {
    let local = '';
    // 800… in the big cities is a free-phone range, not a landline.
    while (local === '' || local.startsWith('800'))
      local = String(random.between(2, 8)) + random.digits(city.localDigits - 1);
    const a = city.areaCode;
    const f = random.next();
    if (f < 0.75) return `${a}-${local}`;
    if (f < 0.83) return `(${a})${local}`;
    if (f < 0.91) return `${a}${local}`;
    if (f < 0.95) return `${a} ${local}`;
    return `${a}-${local}转${random.between(800, 8999)}`;
  };

  /** GB 32100: authority 9 (market regulation), the district, an organisation code, the check. */
  const creditCode = (districtCode: string, category: '1' | '2'): string => {
    let body = '';
    if (random.chance(0.55)) {
      body = 'MA';
      for (let i = 0; i < 6; i++) body += codeAlphabet.charAt(random.int(codeAlphabet.length));
    } else body = random.digits(8);
    const first17 = `9${category}${districtCode}${body}${orgCodeCheckChar(body)}`;
    const check = creditCodeCheckChar(first17);
    if (!check) throw new Error(`bad credit code body ${first17}`);
    return first17 + check;
  };

  const address = (city: CityInfo, d: { name: string }): string => {
    const prefix = city.city
      ? random.chance(0.65)
        ? `${city.province}${city.city}`
        : city.city
      : city.province;
    let road: string = random.pick(roads);
    if (road.length === 3 && road.endsWith('路') && random.chance(0.2))
      road = `${road.slice(0, 2)}${random.pick(['东', '西', '南', '北', '中'])}路`;
    const number = 1 + Math.floor(random.next() ** 2 * 998);
    const building = random
      .pick(buildingForms)
      .replace('{r}', `${random.between(1, 30)}${String(random.between(1, 20)).padStart(2, '0')}`)
      .replace('{f}', String(random.between(1, 30)))
      .replace('{b}', String(random.between(1, 20)));
    return `${prefix}${d.name}${road}${number}号${building}`;
  };

  const remember = (head: Head) => {
    if (heads.length < RESERVOIR) heads.push(head);
    else if (random.chance(0.2)) heads[random.int(RESERVOIR)] = head;
  };

  const person = (): GeneratedCustomer => {
    const given = random.chance(0.3) ? 1 : 2;
    let name = surnamePick.pick(random);
    for (let i = 0; i < given; i++) name += givenPick.pick(random);
    const city = cityPick.pick(random);
    return {
      kind: 'person',
      name,
      phone: random.chance(shares.personPhone) ? mobile() : null,
      creditCode: null,
      address: random.chance(shares.personAddress) ? address(city, district(city)) : null,
      industry: '个人客户',
      nameWithoutCity: null,
    };
  };

  /** The fields every company has, given its city and district. */
  const contact = (city: CityInfo, d: { code: string; name: string }, category: '1' | '2') => ({
    phone: random.chance(shares.companyPhone)
      ? random.chance(0.5)
        ? mobile()
        : landline(city)
      : null,
    creditCode: random.chance(shares.companyCreditCode) ? creditCode(d.code, category) : null,
    address: random.chance(shares.companyAddress) ? address(city, d) : null,
  });

  const branch = (head: Head): GeneratedCustomer => {
    const city = otherCity(head.city);
    const d = district(city);
    const f = random.next();
    const marker =
      f < 0.85
        ? `${city.short}分公司`
        : f < 0.93
          ? `${city.short}${d.name}营业部`
          : `${city.short}办事处`;
    return {
      kind: 'company',
      name: `${head.name}${marker}`,
      ...contact(city, d, '1'),
      industry: head.industry.label,
      nameWithoutCity: null,
    };
  };

  const shop = (): GeneratedCustomer => {
    const city = cityPick.pick(random);
    const d = district(city);
    const [trade, label] = random.pick(shopTrades);
    const place = random.chance(0.5) ? `${city.city ?? city.province}${d.name}` : city.short;
    return {
      kind: 'company',
      name: `${place}${brand()}${trade}${shopPick.pick(random)}`,
      ...contact(city, d, '2'),
      industry: label,
      nameWithoutCity: null,
    };
  };

  const company = (): GeneratedCustomer => {
    const reused = heads.length > 0 && random.chance(shares.sameBrandOtherCity);
    const old = reused ? random.pick(heads) : null;
    const b = old?.brand ?? brand();
    const ind = old?.industry ?? industryPick.pick(random);
    const city = old ? otherCity(old.city) : cityPick.pick(random);
    const legal = legalPick.pick(random);
    const form = nameForms.pick(random);
    const bare = `${b}${ind.word}${legal}`;
    let name: string;
    if (form === 'city') name = `${city.short}${bare}`;
    else if (form === 'cityFull') name = `${city.city ?? city.province}${bare}`;
    else if (form === 'province') name = `${provinceShort(city.province)}${bare}`;
    else if (form === 'none') name = bare;
    else if (legal === '集团有限公司') name = `${b}${ind.word}集团（${city.short}）有限公司`;
    else name = `${b}${ind.word}（${city.short}）${legal}`;
    if (form === 'city' || form === 'cityFull') remember({ brand: b, industry: ind, city, name });
    const d = district(city);
    return {
      kind: 'company',
      name,
      ...contact(city, d, '1'),
      industry: ind.label,
      nameWithoutCity: form === 'none' ? null : bare,
    };
  };

  for (;;) {
    if (random.chance(shares.person)) {
      yield person();
      continue;
    }
    const f = random.next();
    const c =
      f < shares.branch && heads.length > 0
        ? branch(random.pick(heads))
        : f < shares.branch + shares.shop
          ? shop()
          : company();
    // A registry holds a company name once; the same person's name can come back.
    if (names.has(c.name)) continue;
    names.add(c.name);
    yield c;
  }
}
