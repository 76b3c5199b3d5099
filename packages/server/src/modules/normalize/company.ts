import * as opencc from 'opencc-js/t2cn';
import { divisionIndex, type DivisionMatch } from './divisions.ts';

export interface NormalizedCompany {
  /** The whole name folded: half-width, simplified, lower-case, letters and digits only. */
  folded: string;
  /** The distinctive part: folded without place names, legal form and branch. */
  core: string;
  /** The most specific place taken out of the name (杭州 for 杭州市), in its short form. */
  place: string | null;
  /** The legal form taken off the end (有限公司, 集团股份有限公司). */
  suffix: string | null;
  /** The branch part (上海分公司, 分公司): a branch is a legal entity of its own. */
  branch: string | null;
}

type Convert = (text: string) => string;
type ConverterFactory = (options: { from: string; to: string }) => Convert;

function isConverterFactory(value: unknown): value is ConverterFactory {
  return typeof value === 'function';
}

function isConvert(value: unknown): value is Convert {
  return typeof value === 'function';
}

/**
 * opencc-js ships declaration files whose relative imports do not resolve under NodeNext,
 * so its exports arrive untyped; they are checked here at run time instead.
 */
function openccConverter(from: string): Convert {
  const factory: unknown = opencc.Converter;
  if (!isConverterFactory(factory)) throw new Error('opencc-js: Converter is missing');
  const convert: unknown = factory({ from, to: 'cn' });
  if (!isConvert(convert)) throw new Error(`opencc-js: no converter from ${from}`);
  return convert;
}

/** Adds the characters of `key` that the entry changes into `value`. */
function noteChange(changing: Set<string>, key: string, value: string): void {
  const k = Array.from(key);
  const v = Array.from(value);
  if (k.length !== v.length) {
    for (const c of k) changing.add(c);
    return;
  }
  for (const [i, c] of k.entries()) if (c !== v[i]) changing.add(c);
}

/**
 * Walks the dictionaries of a locale preset: strings of `key value|key value` entries, or
 * lists of [key, value] pairs. Anything else adds all its characters, which only costs
 * speed, never correctness.
 */
function collectChanges(changing: Set<string>, dicts: unknown): void {
  if (typeof dicts === 'string') {
    for (const entry of dicts.split('|')) {
      const [key = '', value = key] = entry.split(' ');
      noteChange(changing, key, value);
    }
  } else if (Array.isArray(dicts)) {
    const items: readonly unknown[] = dicts;
    const [key, value] = items;
    const isPair =
      items.length === 2 &&
      typeof key === 'string' &&
      typeof value === 'string' &&
      !key.includes(' ');
    if (isPair) noteChange(changing, key, value);
    else for (const item of items) collectChanges(changing, item);
  }
}

function presetDicts(direction: 'from' | 'to', locale: string): unknown {
  const preset: unknown = opencc.Locale;
  if (typeof preset !== 'object' || preset === null) return [];
  const side: unknown = Reflect.get(preset, direction);
  if (typeof side !== 'object' || side === null) return [];
  return Reflect.get(side, locale);
}

interface Simplifier {
  convert: Convert;
  /** Every character some dictionary entry would change; text without them is left as is. */
  changing: Set<string>;
}

let simplifier: Simplifier | undefined;

/**
 * Taiwan and Hong Kong traditional characters and variants to mainland simplified
 * (tw → cn, then hk → cn for the Hong Kong variants). The phrase variants (軟體 → 软件) are
 * not used: they rewrite words inside proper names.
 */
function getSimplifier(): Simplifier {
  if (simplifier) return simplifier;
  const fromTaiwan = openccConverter('tw');
  const fromHongKong = openccConverter('hk');
  const changing = new Set<string>();
  collectChanges(changing, presetDicts('from', 'tw'));
  collectChanges(changing, presetDicts('from', 'hk'));
  collectChanges(changing, presetDicts('to', 'cn'));
  simplifier = { convert: (s) => fromHongKong(fromTaiwan(s)), changing };
  return simplifier;
}

/**
 * Most names are already simplified: the dictionary passes (the bulk of the cost of
 * normalising a name) run only when a character they would change is present.
 */
function toSimplified(s: string): string {
  const { convert, changing } = getSimplifier();
  for (const c of s) if (changing.has(c)) return convert(s);
  return s;
}

/**
 * Legal forms removed from the end of a name, longest first. Only forms of organisation
 * are here, never words that say what a business does: 厂 (杭州钢铁厂), 店, 中心 and
 * 经营部 stay in the core, because removing them would merge different businesses.
 * 工作室 and 商行 are included: they are how sole traders name the same business they later
 * incorporate. Bracketed forms such as (有限合伙) arrive here without their brackets.
 */
export const legalSuffixes = [
  '合伙企业有限合伙',
  '合伙企业普通合伙',
  '特殊普通合伙',
  '股份合作公司',
  '股份有限公司',
  '有限责任公司',
  '责任有限公司',
  '个人独资企业',
  '个体工商户',
  '普通合伙',
  '有限合伙',
  '合伙企业',
  '独资企业',
  '有限公司',
  '股份公司',
  '总公司',
  '工作室',
  '商行',
  '公司',
] as const;

/**
 * 集团 is taken off too once the legal form is gone, so 海尔集团, 海尔集团公司 and
 * 海尔集团有限公司 share one core; it then shows in `suffix` (集团有限公司).
 */
const groupWord = '集团';

/** Words marking a branch office at the end of a name, longest first. */
export const branchMarkers = [
  '分公司',
  '办事处',
  '营业部',
  '分店',
  '分部',
  '分厂',
  '分行',
  '支行',
  '分所',
] as const;

/**
 * Words many company names share, that say what a business does. A name is not reduced
 * to these alone: 杭州科技有限公司 keeps 杭州科技 as its core, because 科技 would match
 * every technology company.
 */
export const industryWords = [
  '科技',
  '技术',
  '网络',
  '信息',
  '软件',
  '数据',
  '智能',
  '电子',
  '商务',
  '贸易',
  '商贸',
  '实业',
  '发展',
  '投资',
  '控股',
  '管理',
  '咨询',
  '服务',
  '文化',
  '传媒',
  '广告',
  '建设',
  '建筑',
  '工程',
  '装饰',
  '设计',
  '物流',
  '供应链',
  '进出口',
  '制造',
  '机械',
  '设备',
  '电气',
  '化工',
  '医药',
  '医疗',
  '生物',
  '食品',
  '餐饮',
  '教育',
  '培训',
  '能源',
  '新能源',
  '环保',
  '农业',
  '汽车',
  '房地产',
  '置业',
  '物业',
  '金融',
  '保险',
  '银行',
  '证券',
  '酒店',
  '旅游',
  '大学',
  '学院',
  '医院',
  '中心',
  '集团',
] as const;

const industryWordSet = new Set<string>(industryWords);
const longestIndustryWord = Math.max(...industryWords.map((w) => w.length));

/** Whether `s` is nothing but industry words (网络技术 = 网络 + 技术). */
function onlyIndustryWords(s: string): boolean {
  const ends = [true];
  for (let end = 1; end <= s.length; end += 1) {
    let reachable = false;
    for (let len = 1; len <= Math.min(longestIndustryWord, end) && !reachable; len += 1) {
      reachable = ends[end - len] === true && industryWordSet.has(s.slice(end - len, end));
    }
    ends.push(reachable);
  }
  return ends[s.length] === true;
}

/** Words that begin with a place's short form without naming the place. */
const placeLookalikes = ['三明治'];

/** What is left after the places may not be this thin. */
function tooThin(rest: string): boolean {
  return rest.length < 2 || onlyIndustryWords(rest);
}

/** Anything not a letter or digit of any script. */
const notLetterOrDigit = /[^\p{L}\p{N}]+/gu;

const openBrackets = /[[【〔〖{<《「『]/gu;
const closeBrackets = /[\]】〕〗}>》」』]/gu;

/**
 * Latin legal forms (Co., Ltd., Inc., LLC…), matched as whole words before punctuation is
 * dropped so that a name ending in the same letters (zinc) keeps them.
 */
const latinSuffix =
  /[\s,.]*\b(?:co\.?,?\s*ltd|company\s+limited|ltd|limited|inc|llc|corp|corporation|gmbh)\.?\s*$/u;

/** Places written in brackets that are a country, not a division. */
const countryNames = new Set(['中国', '中华人民共和国']);

interface Place {
  name: string;
  /** 0 for the country, then 1 province, 2 city, 3 district: higher is more specific. */
  level: number;
}

function placeOf(match: DivisionMatch): Place | null {
  const division = match.divisions[0];
  if (!division) return null;
  const index = divisionIndex();
  // An ambiguous name (朝阳区) has no code but is still the same words.
  return {
    name: division.level === 3 ? match.text : index.shortName(division),
    level: division.level,
  };
}

/** The places `s` consists of entirely (浙江杭州), or null when it is anything else. */
function wholePlaces(s: string): Place[] | null {
  if (countryNames.has(s)) return [{ name: s, level: 0 }];
  const index = divisionIndex();
  const places: Place[] = [];
  let pos = 0;
  while (pos < s.length) {
    const match = index.matchAt(s, pos);
    const place = match ? placeOf(match) : null;
    if (!match || !place) return null;
    places.push(place);
    pos += match.length;
  }
  return places.length > 0 ? places : null;
}

function mostSpecific(places: readonly Place[]): string | null {
  let best: Place | null = null;
  for (const p of places) if (!best || p.level >= best.level) best = p;
  return best?.name ?? null;
}

function stripSuffix(s: string, suffixes: readonly string[]): [string, string] | null {
  for (const suffix of suffixes) {
    if (s.length > suffix.length && s.endsWith(suffix)) {
      return [s.slice(0, -suffix.length), suffix];
    }
  }
  return null;
}

/** True when two strings of one length differ in exactly one place. */
function oneApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length && diff < 2; i++) if (a[i] !== b[i]) diff++;
  return diff === 1;
}

/**
 * The legal form at the end, also when mistyped in one character (有线公司,
 * 有限责壬公司, 股仿有限公司): longer forms first, so a typo inside a long form is
 * not mistaken for the short form it ends with. Only the common forms are
 * matched loosely (a rare form one character from a real name would eat it).
 * Answers the canonical form.
 */
const looseForms: readonly string[] = ['股份有限公司', '有限责任公司', '有限公司'];
function stripLegalForm(s: string): [string, string] | null {
  for (const form of legalSuffixes) {
    if (s.length <= form.length) continue;
    const tail = s.slice(-form.length);
    if (tail === form || (looseForms.includes(form) && oneApart(tail, form)))
      return [s.slice(0, -form.length), form];
  }
  return null;
}

/**
 * Split off a trailing branch: the marker plus what names the branch (上海分公司 after
 * 有限公司, or the place names right before the marker when there is no legal form).
 */
function stripBranch(s: string): { rest: string; branch: string } | null {
  const marked = stripSuffix(s, branchMarkers);
  if (!marked) return null;
  const [before, marker] = marked;
  let cut = -1;
  for (const form of legalSuffixes) {
    const at = before.lastIndexOf(form);
    if (at >= 0 && at + form.length > cut) cut = at + form.length;
  }
  if (cut > 0 && before.length - cut <= 12) {
    return { rest: before.slice(0, cut), branch: before.slice(cut) + marker };
  }
  for (let start = Math.max(1, before.length - 12); start < before.length; start += 1) {
    if (wholePlaces(before.slice(start))) {
      return { rest: before.slice(0, start), branch: before.slice(start) + marker };
    }
  }
  return { rest: before, branch: marker };
}

/**
 * Fold a company name for matching and split out the parts that do not tell companies
 * apart. In order: NFKC (full-width → half-width), traditional → simplified, lower case;
 * `folded` is then the name without spaces and punctuation. For `core`: places in
 * brackets anywhere are removed (阿里巴巴（杭州）…), then a trailing branch (上海分公司),
 * then the legal form and 集团, then leading place names, repeatedly (浙江杭州…): full
 * and short province and city names, full district names. A step that would leave
 * nothing, or only generic industry words, is not taken.
 */
export function normalizeCompanyName(raw: string): NormalizedCompany {
  const base = toSimplified(raw.normalize('NFKC')).toLowerCase().trim();
  const folded = base.replace(notLetterOrDigit, '');
  const places: Place[] = [];

  let suffix = '';
  let work = base;
  const latin = latinSuffix.exec(work);
  if (latin && latin.index > 0) {
    work = work.slice(0, latin.index);
    suffix = latin[0].replace(notLetterOrDigit, '');
  }

  // Bracketed places go first, while the brackets still show where they end.
  work = work
    .replace(openBrackets, '(')
    .replace(closeBrackets, ')')
    .replace(/\(([^()]*)\)/gu, (_group: string, inner: string) => {
      const found = wholePlaces(inner.replace(notLetterOrDigit, ''));
      if (!found) return inner;
      places.push(...found);
      return '';
    })
    .replace(notLetterOrDigit, '');
  if (work.length === 0) work = folded;

  let branch: string | null = null;
  const branchSplit = stripBranch(work);
  if (branchSplit) {
    branch = branchSplit.branch;
    work = branchSplit.rest;
  }

  const legal = stripLegalForm(work);
  if (legal) {
    work = legal[0];
    suffix = legal[1] + suffix;
  }
  const group = stripSuffix(work, [groupWord]);
  if (group) {
    work = group[0];
    suffix = group[1] + suffix;
  }

  const index = divisionIndex();
  for (;;) {
    const match = index.matchAt(work, 0);
    const place = match ? placeOf(match) : null;
    if (!match || !place || tooThin(work.slice(match.length))) break;
    if (placeLookalikes.some((word) => work.startsWith(word))) break;
    places.push(place);
    work = work.slice(match.length);
  }

  return {
    folded,
    core: work,
    place: mostSpecific(places),
    suffix: suffix === '' ? null : suffix,
    branch,
  };
}
