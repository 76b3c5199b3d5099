/**
 * Normalisation of identity keys and names for duplicate detection (SPEC §4): pure
 * functions with no database access, so imports, forms and reports fold values the same way.
 */
export { parseAddress, type ParsedAddress } from './address.ts';
export {
  branchMarkers,
  industryWords,
  legalSuffixes,
  normalizeCompanyName,
  type NormalizedCompany,
} from './company.ts';
export {
  DIVISION_DATA_VERSION,
  divisionIndex,
  loadDivisions,
  type Division,
  type DivisionIndex,
  type DivisionLevel,
  type DivisionMatch,
} from './divisions.ts';
export {
  creditCodeCheckChar,
  idCardCheckChar,
  normalizeCreditCode,
  normalizeIdCard,
  type IdentityResult,
} from './identity.ts';
export { chineseNumeralValue, foldChineseNumerals, numberedUnits } from './numerals.ts';
export {
  normalizePhone,
  phoneDigitsKey,
  type CountryCode,
  type NormalizedPhone,
  type PhoneKind,
} from './phone.ts';
