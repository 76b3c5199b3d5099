import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Statistics-bureau division codes as of this year; stored beside every parsed address. */
export const DIVISION_DATA_VERSION = '2023';

export type DivisionLevel = 1 | 2 | 3;

export interface Division {
  /** Six digits: province 110000, city 110100, district 110105. */
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

/** A division name found at some position of a text. */
export interface DivisionMatch {
  /** How many characters of the text the name covers. */
  length: number;
  /** The matched text itself. */
  text: string;
  /** Whether the text is a short form (杭州 for 杭州市), not the full name. */
  short: boolean;
  /**
   * Every division of the best level carrying that name inside the scope. More than one
   * means the name is ambiguous there (朝阳区 is both in Beijing and in Changchun).
   */
  divisions: readonly Division[];
}

export interface DivisionIndex {
  readonly version: string;
  readonly all: readonly Division[];
  readonly provinces: readonly Division[];
  byCode(code: string): Division | undefined;
  children(code: string): readonly Division[];
  /**
   * Divisions named `name` (full name, or the short form of a province or city), optionally
   * only those below `withinCode`.
   */
  byName(name: string, withinCode?: string | null): readonly Division[];
  /** 浙江 for 浙江省, 延边 for 延边朝鲜族自治州; districts keep their full name. */
  shortName(division: Division): string;
  /**
   * Placeholder cities (市辖区 and 县 under the municipalities, 省直辖县级行政区划) group
   * districts but are not names anyone writes in an address.
   */
  isPlaceholder(division: Division): boolean;
  /**
   * Longest division name starting at `start` of `text`, among the descendants of
   * `withinCode` (or all divisions when it is null). On equal length the higher level wins
   * (吉林 is the province before the city).
   */
  matchAt(text: string, start: number, withinCode?: string | null): DivisionMatch | null;
}

interface RawNode {
  code: string;
  name: string;
  children?: RawNode[];
}

function isRawNode(value: unknown): value is RawNode {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as Record<string, unknown>;
  if (typeof node.code !== 'string' || typeof node.name !== 'string') return false;
  return node.children === undefined || Array.isArray(node.children);
}

function rawNodes(value: unknown, where: string): RawNode[] {
  if (!Array.isArray(value)) throw new Error(`division data: ${where} is not a list`);
  return value.map((item: unknown) => {
    if (!isRawNode(item)) throw new Error(`division data: bad entry in ${where}`);
    return item;
  });
}

const dataFile = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'data',
  'divisions',
  'pca-code-2023.json',
);

let cachedDivisions: Division[] | undefined;

/**
 * Provinces, cities and districts from the bundled data, codes widened to six digits.
 * Read once per process. Four cities without districts (东莞, 中山, 儋州, 嘉峪关) list
 * towns with nine-digit codes in the data; those are left out: towns are below the
 * district level Tide stores, so they stay in the address detail.
 */
export function loadDivisions(): Division[] {
  if (cachedDivisions) return cachedDivisions;
  const provinces = rawNodes(JSON.parse(readFileSync(dataFile, 'utf8')), 'root');
  const out: Division[] = [];
  for (const province of provinces) {
    const provinceCode = province.code.padEnd(6, '0');
    out.push({ code: provinceCode, name: province.name, level: 1, parentCode: null });
    for (const city of rawNodes(province.children ?? [], province.name)) {
      const cityCode = city.code.padEnd(6, '0');
      out.push({ code: cityCode, name: city.name, level: 2, parentCode: provinceCode });
      for (const district of rawNodes(city.children ?? [], city.name)) {
        if (!/^\d{6}$/u.test(district.code)) continue;
        out.push({ code: district.code, name: district.name, level: 3, parentCode: cityCode });
      }
    }
  }
  cachedDivisions = out;
  return out;
}

const placeholderNames = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** Ethnic groups named in autonomous regions and prefectures, longest first. */
const ethnicGroups = [
  '柯尔克孜',
  '维吾尔族',
  '维吾尔',
  '哈萨克',
  '朝鲜族',
  '土家族',
  '布依族',
  '哈尼族',
  '景颇族',
  '傈僳族',
  '蒙古族',
  '蒙古',
  '苗族',
  '藏族',
  '羌族',
  '彝族',
  '侗族',
  '壮族',
  '傣族',
  '白族',
  '回族',
];

function stripEthnicGroups(name: string): string {
  let rest = name;
  for (;;) {
    // 内蒙古 keeps its 蒙古: a place name is at least two characters.
    const group = ethnicGroups.find((g) => rest.endsWith(g) && rest.length - g.length >= 2);
    if (!group) return rest;
    rest = rest.slice(0, -group.length);
  }
}

/** Short forms that are far more often something else: 阿里 is 阿里巴巴 before 阿里地区. */
const unusableShortForms = new Set(['阿里']);

/**
 * Short forms people write for provinces and cities: 浙江, 广西, 杭州, 大兴安岭, 阿拉善,
 * and both 延边 and 延边州 for 延边朝鲜族自治州. Districts have no short form: 西湖, 朝阳
 * or 鼓楼 alone are as often part of a road or a company name as a district.
 */
function shortForms(division: Division): string[] {
  const name = division.name;
  if (division.level === 3 || placeholderNames.has(name)) return [];
  let forms: string[];
  if (name.endsWith('特别行政区')) forms = [name.slice(0, -5)];
  else if (name.endsWith('自治区')) forms = [stripEthnicGroups(name.slice(0, -3))];
  else if (name.endsWith('自治州')) {
    const base = stripEthnicGroups(name.slice(0, -3));
    forms = [base, `${base}州`];
  } else if (name.endsWith('地区')) forms = [name.slice(0, -2)];
  else if (/[省市盟]$/u.test(name)) forms = [name.slice(0, -1)];
  else forms = [];
  return forms.filter((form) => form.length >= 2 && form !== name && !unusableShortForms.has(form));
}

interface NameEntry {
  division: Division;
  short: boolean;
}

/** Names of one scope, with the lengths present per first character for a quick longest match. */
interface Scope {
  names: Map<string, NameEntry[]>;
  lengthsByFirstChar: Map<string, number[]>;
}

function newScope(): Scope {
  return { names: new Map(), lengthsByFirstChar: new Map() };
}

function addName(scope: Scope, name: string, entry: NameEntry): void {
  const entries = scope.names.get(name);
  if (entries) {
    if (!entries.some((e) => e.division.code === entry.division.code)) entries.push(entry);
  } else scope.names.set(name, [entry]);
  const first = name.charAt(0);
  const lengths = scope.lengthsByFirstChar.get(first);
  if (!lengths) scope.lengthsByFirstChar.set(first, [name.length]);
  else if (!lengths.includes(name.length)) {
    lengths.push(name.length);
    lengths.sort((a, b) => b - a);
  }
}

/**
 * A short form directly followed by a road word is a road (南京路, 中山东路, 北京大道),
 * not the place.
 */
function looksLikeStreet(text: string, end: number): boolean {
  if (end >= text.length) return false;
  const next = text.charAt(end);
  if ('路街道巷弄'.includes(next)) return true;
  const two = text.slice(end, end + 2);
  if (two === '大道' || two === '大街') return true;
  return two.length === 2 && '东西南北中'.includes(next) && '路街道'.includes(two.charAt(1));
}

/**
 * Two-character district names ending in 区 (东区, 西区, 城区, 郊区, 矿区) read as
 * everyday words; they are matched only below a known city or province.
 */
function matchableWithoutContext(division: Division): boolean {
  return division.level < 3 || division.name.length >= 3 || !division.name.endsWith('区');
}

function buildIndex(): DivisionIndex {
  const all = loadDivisions();
  const byCode = new Map<string, Division>();
  const children = new Map<string, Division[]>();
  const shortNameOf = new Map<string, string>();
  for (const d of all) {
    byCode.set(d.code, d);
    if (d.parentCode !== null) {
      const list = children.get(d.parentCode);
      if (list) list.push(d);
      else children.set(d.parentCode, [d]);
    }
  }

  const global = newScope();
  const scopes = new Map<string, Scope>();
  const scopeFor = (code: string): Scope => {
    let scope = scopes.get(code);
    if (!scope) {
      scope = newScope();
      scopes.set(code, scope);
    }
    return scope;
  };
  const isPlaceholder = (d: Division): boolean => d.level === 2 && placeholderNames.has(d.name);

  for (const d of all) {
    const shorts = shortForms(d);
    shortNameOf.set(d.code, shorts[0] ?? d.name);
    if (isPlaceholder(d)) continue;
    const forms = [d.name, ...shorts];
    for (const [i, form] of forms.entries()) {
      const entry: NameEntry = { division: d, short: i > 0 };
      if (matchableWithoutContext(d)) addName(global, form, entry);
      // Register the name in the scope of every ancestor so that a district can be found
      // under its province when the city is left out (浙江省西湖区).
      let parent = d.parentCode === null ? undefined : byCode.get(d.parentCode);
      while (parent) {
        addName(scopeFor(parent.code), form, entry);
        parent = parent.parentCode === null ? undefined : byCode.get(parent.parentCode);
      }
    }
  }

  const provinces = all.filter((d) => d.level === 1);

  const matchAt = (
    text: string,
    start: number,
    withinCode?: string | null,
  ): DivisionMatch | null => {
    const scope = withinCode ? scopes.get(withinCode) : global;
    if (!scope) return null;
    const lengths = scope.lengthsByFirstChar.get(text.charAt(start));
    if (!lengths) return null;
    for (const length of lengths) {
      if (start + length > text.length) continue;
      const candidate = text.slice(start, start + length);
      const entries = scope.names.get(candidate);
      if (!entries) continue;
      const usable = entries.filter((e) => !e.short || !looksLikeStreet(text, start + length));
      if (usable.length === 0) continue;
      const best = Math.min(...usable.map((e) => e.division.level));
      const top = usable.filter((e) => e.division.level === best);
      return {
        length,
        text: candidate,
        short: top.every((e) => e.short),
        divisions: top.map((e) => e.division),
      };
    }
    return null;
  };

  const isDescendant = (d: Division, ancestorCode: string): boolean => {
    let parentCode = d.parentCode;
    while (parentCode !== null) {
      if (parentCode === ancestorCode) return true;
      parentCode = byCode.get(parentCode)?.parentCode ?? null;
    }
    return false;
  };

  const byNameAll = new Map<string, Division[]>();
  for (const d of all) {
    for (const form of [d.name, ...shortForms(d)]) {
      const list = byNameAll.get(form);
      if (list) list.push(d);
      else byNameAll.set(form, [d]);
    }
  }

  return {
    version: DIVISION_DATA_VERSION,
    all,
    provinces,
    byCode: (code) => byCode.get(code),
    children: (code) => children.get(code) ?? [],
    byName: (name, withinCode) => {
      const found = byNameAll.get(name) ?? [];
      return withinCode ? found.filter((d) => isDescendant(d, withinCode)) : found;
    },
    shortName: (division) => shortNameOf.get(division.code) ?? division.name,
    isPlaceholder,
    matchAt,
  };
}

let cachedIndex: DivisionIndex | undefined;

/** The lookup structures over {@link loadDivisions}, built on first use. */
export function divisionIndex(): DivisionIndex {
  cachedIndex ??= buildIndex();
  return cachedIndex;
}
