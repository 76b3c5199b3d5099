import { NATIONWIDE, type Region } from '@tide/contract';

/*
 * Division codes (GB/T 2260) carry their ancestry: 330106 (西湖区) lies in 330100 (杭州市),
 * which lies in 330000 (浙江省). The picker rebuilds a bound division's path from its
 * code to open the levels above it, instead of asking the server for each ancestor.
 */

export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

export function cityOf(code: string): string {
  return `${code.slice(0, 4)}00`;
}

export function isProvinceCode(code: string): boolean {
  return code.endsWith('0000');
}

export function isCityCode(code: string): boolean {
  return !isProvinceCode(code) && code.endsWith('00');
}

/** The codes from the province down to the division itself. */
export function regionPath(code: string): string[] {
  if (isProvinceCode(code)) return [code];
  if (isCityCode(code)) return [provinceOf(code), code];
  return [provinceOf(code), cityOf(code), code];
}

/** The lists the picker needs loaded to show the codes: the provinces, then each ancestor's children. */
export function parentsToLoad(codes: readonly string[]): (string | undefined)[] {
  const parents = new Set<string>();
  for (const code of codes) {
    const path = regionPath(code);
    for (const ancestor of path.slice(0, -1)) parents.add(ancestor);
  }
  return [undefined, ...parents];
}

/** The bound divisions without the nationwide marker, which is shown on its own. */
export function boundRegions(regions: readonly Region[]): Region[] {
  return regions.filter((r) => r.code !== NATIONWIDE);
}
