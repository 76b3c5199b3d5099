import { useQuery } from '@tanstack/react-query';
import type { DuplicateCheckResult, DuplicateMatch } from '@tide/contract';
import type { TFunction } from 'i18next';
import { api } from './api-client.ts';
import { queryKeys } from './query-keys.ts';

export interface DuplicateProbe {
  type: 'customer' | 'lead';
  name?: string | null | undefined;
  phone?: string | null | undefined;
  creditCode?: string | null | undefined;
  address?: string | null | undefined;
}

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Records that may be the same as the probe, best first. The server refuses a probe
 * without a name, phone or credit code, so none is sent then.
 */
export function useDuplicateCheck(probe: DuplicateProbe, enabled = true) {
  const body = {
    type: probe.type,
    name: present(probe.name),
    phone: present(probe.phone),
    creditCode: present(probe.creditCode),
    address: present(probe.address),
  };
  const hasKey = [body.name, body.phone, body.creditCode].some((v) => v !== undefined);
  return useQuery({
    queryKey: queryKeys.duplicateCheck(body),
    queryFn: () => api.post<DuplicateCheckResult>('/duplicates/check', body),
    enabled: enabled && hasKey,
    // Another rep may create the matching customer any minute: check again on each open.
    staleTime: 0,
    // Keep the last answer on screen while the user types instead of flashing a spinner.
    placeholderData: (previous) => previous,
    select: (data) => data.matches,
  });
}

/** The match conversion (or creation) would take as the same record, if any. */
export function sameRecordMatch(matches: readonly DuplicateMatch[]): DuplicateMatch | undefined {
  return matches.find((m) => m.level === 'exact' || m.level === 'likely');
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
} as const;

function isFixedReason(reason: string): reason is keyof typeof fixedReasons {
  return Object.hasOwn(fixedReasons, reason);
}

const differentCity = /^different city \((.+) \/ (.+)\)$/;
const nameSimilar = /^name (\d+)% similar$/;

/** A match reason in the UI language; a reason this version does not know stays as sent. */
export function duplicateReasonLabel(t: TFunction, reason: string): string {
  if (isFixedReason(reason)) return t(`dedupe.reasons.${fixedReasons[reason]}`);
  const city = differentCity.exec(reason);
  if (city?.[1] !== undefined && city[2] !== undefined)
    return t('dedupe.reasons.differentCity', { a: city[1], b: city[2] });
  const similar = nameSimilar.exec(reason);
  if (similar?.[1] !== undefined) return t('dedupe.reasons.nameSimilar', { percent: similar[1] });
  return reason;
}
