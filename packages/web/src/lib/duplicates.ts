import { useQuery } from '@tanstack/react-query';
import {
  duplicateMatch,
  type DuplicateCheckResult,
  type DuplicateMatch,
  type DuplicateObjectType,
} from '@tide/contract';
import type { TFunction } from 'i18next';
import { api, isApiError } from './api-client.ts';
import { queryKeys } from './query-keys.ts';
import { useDebouncedValue } from './use-debounced-value.ts';

export interface DuplicateProbe {
  type: DuplicateObjectType;
  name?: string | null | undefined;
  phone?: string | null | undefined;
  creditCode?: string | null | undefined;
  address?: string | null | undefined;
  /** Contacts: an email, and the customer the contact belongs to. */
  email?: string | null | undefined;
  customerId?: string | undefined;
  /** The record being edited, which is not its own duplicate. */
  excludeId?: string | undefined;
}

interface ProbeBody {
  type: DuplicateObjectType;
  name: string | undefined;
  phone: string | undefined;
  creditCode: string | undefined;
  address: string | undefined;
  email: string | undefined;
  customerId: string | undefined;
  excludeId: string | undefined;
}

type ProbeField = 'name' | 'phone' | 'creditCode' | 'address' | 'email';
const probeFields: readonly ProbeField[] = ['name', 'phone', 'creditCode', 'address', 'email'];

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}

/** The server refuses a probe without a name, phone, email or credit code; an address alone is no key. */
function hasKey(body: ProbeBody): boolean {
  return [body.name, body.phone, body.creditCode, body.email].some((v) => v !== undefined);
}

/** The probe field a 400 names (`{ path: 'phone' }`), when it names one. */
function refusedField(err: unknown): ProbeField | undefined {
  if (!isApiError(err) || err.status !== 400) return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null || !('path' in details)) return undefined;
  const path = details.path;
  return probeFields.find((f) => f === path);
}

/**
 * Asks the server; a value it refuses (a phone number or credit code still being typed
 * answers 400) is left out and the rest asked again, so a half-typed phone does not hide
 * what the name already matches. A refused probe with nothing left to ask matches nothing.
 */
async function checkDuplicates(body: ProbeBody): Promise<DuplicateMatch[]> {
  try {
    const result = await api.post<DuplicateCheckResult>('/duplicates/check', body);
    return result.matches;
  } catch (err) {
    if (!isApiError(err) || err.status !== 400) throw err;
    const field = refusedField(err);
    if (field === undefined || body[field] === undefined) return [];
    const rest = { ...body, [field]: undefined };
    return hasKey(rest) ? checkDuplicates(rest) : [];
  }
}

/**
 * Records that may be the same as the probe, best first. The server refuses a probe
 * without a name, phone, email or credit code, so none is sent then.
 */
export function useDuplicateCheck(probe: DuplicateProbe, enabled = true) {
  const body: ProbeBody = {
    type: probe.type,
    name: present(probe.name),
    phone: present(probe.phone),
    creditCode: present(probe.creditCode),
    address: present(probe.address),
    email: present(probe.email),
    customerId: probe.customerId,
    excludeId: probe.excludeId,
  };
  return useQuery({
    queryKey: queryKeys.duplicateCheck({ ...body }),
    queryFn: () => checkDuplicates(body),
    enabled: enabled && hasKey(body),
    // Another rep may create the matching customer any minute: check again on each open.
    staleTime: 0,
    // Keep the last answer on screen while the user types instead of flashing a spinner.
    placeholderData: (previous) => previous,
  });
}

/** A unified social credit code has 18 characters; shorter input is still being typed. */
export const CREDIT_CODE_LENGTH = 18;

/** The credit code worth checking: only a complete one, or the server refuses it. */
export function completeCreditCode(value: string | null | undefined): string | undefined {
  const code = present(value);
  return code?.length === CREDIT_CODE_LENGTH ? code : undefined;
}

/** How long typing must pause before the duplicate check asks the server. */
const TYPING_PAUSE_MS = 400;

/**
 * The duplicate check of a form being typed into: each field is asked about once the
 * user pauses. Without a key to check (every field blank) it answers no matches.
 */
export function useTypingDuplicateCheck(probe: DuplicateProbe, enabled = true) {
  const name = useDebouncedValue(present(probe.name), TYPING_PAUSE_MS);
  const phone = useDebouncedValue(present(probe.phone), TYPING_PAUSE_MS);
  const creditCode = useDebouncedValue(present(probe.creditCode), TYPING_PAUSE_MS);
  const address = useDebouncedValue(present(probe.address), TYPING_PAUSE_MS);
  const email = useDebouncedValue(present(probe.email), TYPING_PAUSE_MS);
  const check = useDuplicateCheck(
    {
      type: probe.type,
      name,
      phone,
      creditCode,
      address,
      email,
      customerId: probe.customerId,
      excludeId: probe.excludeId,
    },
    enabled,
  );
  const cleared = [name, phone, creditCode, email].every((v) => v === undefined);
  // The kept previous answer must not linger once every field has been emptied.
  return { ...check, matches: cleared || !enabled ? [] : (check.data ?? []) };
}

/** The match conversion (or creation) would take as the same record, if any. */
export function sameRecordMatch(matches: readonly DuplicateMatch[]): DuplicateMatch | undefined {
  return matches.find((m) => m.level === 'exact' || m.level === 'likely');
}

/**
 * A created or updated record as the API answers it: under a `warn` rule it carries the
 * duplicates it was saved despite (SPEC §4).
 */
export type WithDuplicates<T> = T & { duplicates?: DuplicateMatch[] };

/** The duplicates a save was allowed despite; none when the rule did not warn. */
export function savedDuplicates(record: { duplicates?: DuplicateMatch[] }): DuplicateMatch[] {
  return record.duplicates ?? [];
}

/**
 * The matches of a create or update the tenant's rules refused as a duplicate: a 409 whose
 * details list them (`{ error: { code: 'DUPLICATE', details: { matches } } }`).
 * Anything else answers undefined.
 */
export function duplicateRefusalMatches(err: unknown): DuplicateMatch[] | undefined {
  if (!isApiError(err) || err.status !== 409) return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null || !('matches' in details)) return undefined;
  const parsed = duplicateMatch.array().safeParse(details.matches);
  return parsed.success ? parsed.data : undefined;
}

/** The server's reasons are fixed English phrases; known ones are translated. */
const fixedReasons = {
  'same credit code': 'sameCreditCode',
  'same phone': 'samePhone',
  'same name': 'sameName',
  'same district': 'sameDistrict',
  'branch office of the same company': 'branchOffice',
  'name sounds the same': 'soundsSame',
  'same person name': 'samePersonName',
  'same ID number': 'sameIdNumber',
  'same registration number': 'sameRegistrationNumber',
  'same email': 'sameEmail',
  'same name at this customer': 'sameNameAtCustomer',
  'same name, different city': 'sameNameDifferentCity',
} as const;

function isFixedReason(reason: string): reason is keyof typeof fixedReasons {
  return Object.hasOwn(fixedReasons, reason);
}

const differentCity = /^different city \((.+) \/ (.+)\)$/;
const nameSimilar = /^name (\d+)% similar$/;
const addressSimilar = /^address (\d+)% similar$/;

function singleReasonLabel(t: TFunction, reason: string): string | undefined {
  if (isFixedReason(reason)) return t(`dedupe.reasons.${fixedReasons[reason]}`);
  const city = differentCity.exec(reason);
  if (city?.[1] !== undefined && city[2] !== undefined)
    return t('dedupe.reasons.differentCity', { a: city[1], b: city[2] });
  const name = nameSimilar.exec(reason);
  if (name?.[1] !== undefined) return t('dedupe.reasons.nameSimilar', { percent: name[1] });
  const address = addressSimilar.exec(reason);
  if (address?.[1] !== undefined)
    return t('dedupe.reasons.addressSimilar', { percent: address[1] });
  return undefined;
}

/**
 * A match reason in the UI language. The server joins reasons that go together with a
 * comma ('same district, address 88% similar'); each part is translated on its own. A
 * reason this version does not know stays as sent.
 */
export function duplicateReasonLabel(t: TFunction, reason: string): string {
  const whole = singleReasonLabel(t, reason);
  if (whole !== undefined) return whole;
  const parts = reason.split(', ').map((part) => singleReasonLabel(t, part));
  if (parts.length < 2 || parts.some((p) => p === undefined)) return reason;
  return parts.join(t('dedupe.reasonJoin'));
}

/** The match score (0..1) as a whole percentage. */
export function scorePercent(score: number): number {
  return Math.round(score * 100);
}
