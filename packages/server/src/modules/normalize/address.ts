import { divisionIndex, type Division } from './divisions.ts';
import { foldChineseNumerals } from './numerals.ts';

export interface ParsedAddress {
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  provinceName: string | null;
  /** The data's name, so 市辖区 for the districts of a municipality. */
  cityName: string | null;
  districtName: string | null;
  /** What follows the divisions, Chinese house numbers folded to digits. */
  detail: string;
  /**
   * Full division names plus detail, for similarity scoring: the same place written
   * 杭州西湖区… or 浙江省杭州市西湖区… gives the same string. Placeholder city names
   * (市辖区) are left out.
   */
  normalized: string;
}

/** Separators people put between the parts of an address. */
const separators = new Set([',', '，', '、', '/', '\\', '-', '|', '·', '.', ';', ':']);

function skipSeparators(text: string, start: number): number {
  let pos = start;
  while (pos < text.length && separators.has(text.charAt(pos))) pos += 1;
  return pos;
}

interface Lineage {
  province: Division | null;
  city: Division | null;
  district: Division | null;
}

/** A division with the levels above it. */
function lineage(d: Division): Lineage {
  const index = divisionIndex();
  const parent = (x: Division | null): Division | null =>
    x?.parentCode ? (index.byCode(x.parentCode) ?? null) : null;
  const district = d.level === 3 ? d : null;
  const city = d.level === 2 ? d : parent(district);
  const province = d.level === 1 ? d : parent(city);
  return { province, city, district };
}

const countryPrefixes = ['中华人民共和国', '中国'];

/** Placeholder city names sometimes copied from forms (上海市市辖区浦东新区). */
const writtenPlaceholders = ['市辖区', '省直辖县级行政区划', '自治区直辖县级行政区划'];

/**
 * Split an address into province, city and district (by longest match over the division
 * names, each level searched only below the one found before it) and the detail after
 * them. Any level may be left out when the next one is unique where it is looked up:
 * 杭州市西湖区… finds Zhejiang from the city, 上海浦东新区… finds the district under the
 * municipality. A name that is ambiguous where it is looked up (朝阳区 alone: Beijing or
 * Changchun) stops the parse rather than guess; what was not recognised stays in detail.
 */
export function parseAddress(raw: string): ParsedAddress {
  const index = divisionIndex();
  const text = raw.normalize('NFKC').replace(/\s+/gu, '');
  let pos = skipSeparators(text, 0);
  for (const prefix of countryPrefixes) {
    if (text.startsWith(prefix, pos) && index.matchAt(text, pos + prefix.length)) {
      pos += prefix.length;
      break;
    }
  }

  let found: Lineage = { province: null, city: null, district: null };
  const first = index.matchAt(text, pos);
  const firstDivision = first?.divisions.length === 1 ? first.divisions[0] : undefined;
  if (first && firstDivision) {
    found = lineage(firstDivision);
    pos += first.length;
    for (;;) {
      const scope = found.district ? null : (found.city ?? found.province);
      if (!scope) break;
      pos = skipSeparators(text, pos);
      const placeholder = writtenPlaceholders.find((p) => text.startsWith(p, pos));
      if (placeholder) pos += placeholder.length;
      const next = index.matchAt(text, pos, scope.code);
      const nextDivision = next?.divisions.length === 1 ? next.divisions[0] : undefined;
      if (!next || !nextDivision) break;
      found = lineage(nextDivision);
      pos += next.length;
    }
  }

  const { province, district } = found;
  let { city } = found;
  // A municipality has one city (市辖区): knowing the province is knowing the city.
  if (province && !city) {
    const cities = index.children(province.code);
    if (cities.length === 1 && cities[0]) city = cities[0];
  }

  const detail = foldChineseNumerals(text.slice(skipSeparators(text, pos)));
  const names = [
    province?.name,
    city && !index.isPlaceholder(city) ? city.name : undefined,
    district?.name,
  ];
  return {
    provinceCode: province?.code ?? null,
    cityCode: city?.code ?? null,
    districtCode: district?.code ?? null,
    provinceName: province?.name ?? null,
    cityName: city?.name ?? null,
    districtName: district?.name ?? null,
    detail,
    normalized: names.filter((n) => n !== undefined).join('') + detail,
  };
}
