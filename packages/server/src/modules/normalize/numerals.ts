const digitValues = new Map<string, number>([
  ['〇', 0],
  ['零', 0],
  ['一', 1],
  ['二', 2],
  ['两', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
]);

const unitValues = new Map<string, number>([
  ['十', 10],
  ['百', 100],
  ['千', 1000],
]);

/**
 * Units that follow a house, building or room number. Road words (路, 街, 巷, 道) are left
 * out on purpose: 五一路 and 三元里 are names, not numbers.
 */
export const numberedUnits = [
  '号楼',
  '号院',
  '单元',
  '号',
  '楼',
  '层',
  '室',
  '弄',
  '栋',
  '幢',
  '座',
  '期',
] as const;

const numeralRun = new RegExp(
  `([〇零一二两三四五六七八九十百千]+)(?=${numberedUnits.join('|')})`,
  'gu',
);

/**
 * The value of a Chinese numeral, or null when the characters do not form one. Without
 * 十/百/千 the characters are read digit by digit (二〇三 → "203", keeping leading zeros);
 * with them as a counted number (一百二十三 → "123", 十八 → "18", 一百零五 → "105",
 * and the spoken 一百五 → "150").
 */
export function chineseNumeralValue(numeral: string): string | null {
  if (numeral.length === 0) return null;
  const chars = Array.from(numeral);
  if (!chars.some((c) => unitValues.has(c))) {
    let out = '';
    for (const c of chars) {
      const value = digitValues.get(c);
      if (value === undefined) return null;
      out += String(value);
    }
    return out;
  }
  let total = 0;
  let digit: number | null = null;
  let lastUnit = Number.POSITIVE_INFINITY;
  let zeroSeen = false;
  for (const c of chars) {
    const value = digitValues.get(c);
    if (value === 0) {
      if (digit !== null || lastUnit === Number.POSITIVE_INFINITY) return null;
      zeroSeen = true;
    } else if (value !== undefined) {
      if (digit !== null) return null;
      digit = value;
    } else {
      const unit = unitValues.get(c);
      if (unit === undefined || unit >= lastUnit) return null;
      if (digit === null) {
        // A bare 十 opens a number (十八) or follows a zero (一百零十 is not written).
        if (unit !== 10 || lastUnit !== Number.POSITIVE_INFINITY) return null;
        digit = 1;
      }
      total += digit * unit;
      digit = null;
      lastUnit = unit;
      zeroSeen = false;
    }
  }
  if (digit !== null) {
    // 一百五 means 150: a trailing digit right after 百/千 counts in the next lower unit.
    total += !zeroSeen && lastUnit >= 100 ? (digit * lastUnit) / 10 : digit;
  } else if (zeroSeen) return null;
  return String(total);
}

/**
 * Fold full-width digits to ASCII and Chinese numerals that number a house, building or
 * room (a numeral directly followed by one of {@link numberedUnits}) to Arabic digits:
 * 一百二十三号 → 123号, 十八号楼 → 18号楼, 二〇三室 → 203室. Numerals anywhere else are
 * part of a name and stay (五一路, 三元里, 十里河).
 */
export function foldChineseNumerals(s: string): string {
  const ascii = s.replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return ascii.replace(numeralRun, (run: string) => chineseNumeralValue(run) ?? run);
}
