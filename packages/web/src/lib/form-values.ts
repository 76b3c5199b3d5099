/** Empty inputs mean "no value": the API stores null rather than an empty string. */
export function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Who a new record goes to: the creator, the public pool, or a chosen colleague. */
export type OwnerChoice = 'keep' | 'pool' | 'assign';

/**
 * The `ownerId` of a create request (SPEC §14): absent keeps the record with the
 * creator, null puts it into the pool, an id assigns it.
 */
export function ownerIdFor(
  choice: OwnerChoice | undefined,
  ownerId: string | null | undefined,
): { ownerId?: string | null } {
  if (choice === 'pool') return { ownerId: null };
  if (choice === 'assign' && ownerId) return { ownerId };
  return {};
}
