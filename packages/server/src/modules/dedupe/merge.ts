import type { Actor } from '../../platform/context.ts';
import { audit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db.ts';
import { invalid, notFound } from '../../platform/errors.ts';

/**
 * Finds and locks the two records of a merge in id order, so two merges of the
 * same pair cannot deadlock; 404 names which one the caller cannot have.
 */
export async function lockMergePair<R extends { id: string }>(
  find: (id: string) => Promise<R | undefined>,
  survivorId: string,
  otherId: string,
  what: string,
): Promise<{ survivor: R; other: R }> {
  if (otherId === survivorId)
    throw invalid(`A ${what} cannot be merged into itself`, { path: 'otherId' });
  const [first = '', second = ''] = [survivorId, otherId].sort();
  const a = await find(first);
  const b = await find(second);
  const survivor = a?.id === survivorId ? a : b?.id === survivorId ? b : undefined;
  const other = a?.id === otherId ? a : b?.id === otherId ? b : undefined;
  if (!survivor) throw notFound(what.charAt(0).toUpperCase() + what.slice(1));
  if (!other) throw notFound(`The ${what} to merge`);
  return { survivor, other };
}

/** The fields taken from the other record, as an update of the survivor. */
export function takenFields<R, F extends keyof R & string>(
  other: R,
  fields: readonly F[],
): Partial<Pick<R, F>> {
  return Object.fromEntries(fields.map((f) => [f, other[f]])) as Partial<Pick<R, F>>;
}

/**
 * The two audit entries of a merge, written in its transaction: the survivor's
 * names the values taken and what moved over; the other's points at the survivor.
 */
export async function auditMerge<F extends string>(
  tx: Tx,
  actor: Actor,
  entity: string,
  survivor: { id: string } & Record<F, unknown>,
  other: { id: string } & Record<F, unknown>,
  fields: readonly F[],
  moved: Record<string, number>,
): Promise<void> {
  const changes = Object.fromEntries(
    fields.map((f) => [f, { before: survivor[f], after: other[f] }]),
  );
  await audit(tx, actor, {
    entity,
    entityId: survivor.id,
    action: 'merge',
    changes: {
      ...changes,
      mergedFrom: { before: null, after: other.id },
      moved: { before: null, after: moved },
    },
  });
  await audit(tx, actor, {
    entity,
    entityId: other.id,
    action: 'merge',
    changes: { mergedInto: { before: null, after: survivor.id } },
  });
}
