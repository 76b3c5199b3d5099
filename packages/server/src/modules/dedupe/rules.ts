import { eq, sql } from 'drizzle-orm';
import {
  duplicateRule,
  matchLevels,
  type DuplicateCheckBody,
  type DuplicateKey,
  type DuplicateMatch,
  type DuplicateObjectType,
  type DuplicateRule,
  type DuplicateRules,
} from '@tide/contract';
import { buildScope, type DataScope } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { tenants } from '../../platform/tables.ts';
import {
  contactProbeOf,
  findContactDuplicates,
  findDuplicates,
  probeOf,
  type ContactProbe,
  type Probe,
} from './dedupe.service.ts';

/** The rules a tenant starts with: warn on every key, block nothing. */
export const defaultRules: DuplicateRules = {
  customer: {
    keys: ['phone', 'creditCode', 'idNumber', 'registration', 'name', 'address'],
    threshold: 0.4,
    level: 'likely',
    onCreate: 'warn',
    onUpdate: 'warn',
  },
  lead: {
    keys: ['phone', 'name', 'address'],
    threshold: 0.4,
    level: 'likely',
    onCreate: 'warn',
    onUpdate: 'warn',
  },
  contact: {
    keys: ['phone', 'email', 'name'],
    threshold: 0.4,
    level: 'likely',
    onCreate: 'warn',
    onUpdate: 'warn',
  },
};

export async function getRules(db: DbOrTx, tenantId: string): Promise<DuplicateRules> {
  const [row] = await db
    .select({ rules: sql<unknown>`${tenants.settings} -> 'duplicateRules'` })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  const stored = (row?.rules ?? {}) as Record<string, unknown>;
  const rule = (type: DuplicateObjectType): DuplicateRule => {
    const parsed = duplicateRule.safeParse(stored[type]);
    return parsed.success ? parsed.data : defaultRules[type];
  };
  return { customer: rule('customer'), lead: rule('lead'), contact: rule('contact') };
}

export async function setRule(
  db: Db,
  caller: Caller,
  type: DuplicateObjectType,
  rule: DuplicateRule,
): Promise<DuplicateRules> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT 1 FROM tenants WHERE id = ${caller.tenantId} FOR UPDATE`);
    const before = await getRules(tx, caller.tenantId);
    await tx
      .update(tenants)
      .set({
        settings: sql`jsonb_set(${tenants.settings}, '{duplicateRules}',
          coalesce(${tenants.settings} -> 'duplicateRules', '{}'::jsonb)
            || jsonb_build_object(${type}::text, ${JSON.stringify(rule)}::jsonb))`,
      })
      .where(eq(tenants.id, caller.tenantId));
    await audit(tx, caller, {
      entity: 'duplicate_rule',
      entityId: caller.tenantId,
      action: 'update',
      before: { [type]: before[type] },
      after: { [type]: rule },
    });
  });
  return getRules(db, caller.tenantId);
}

/** The probe with the keys the rule does not count taken out. */
export function probeUnder(probe: Probe, keys: readonly DuplicateKey[]): Probe {
  const has = (k: DuplicateKey) => keys.includes(k);
  return {
    ...probe,
    phoneE164: has('phone') ? probe.phoneE164 : null,
    creditCode: has('creditCode') ? probe.creditCode : null,
    idNumber: has('idNumber') ? probe.idNumber : null,
    registration: has('registration') ? probe.registration : null,
    ...(has('name') ? {} : { core: null, pinyin: null, keys: null, place: null, branch: null }),
    ...(has('address') ? {} : { districtCode: null, addressDetail: null }),
  };
}

function contactProbeUnder(probe: ContactProbe, keys: readonly DuplicateKey[]): ContactProbe {
  return {
    ...probe,
    phoneE164: keys.includes('phone') ? probe.phoneE164 : null,
    email: keys.includes('email') ? probe.email : null,
    name: keys.includes('name') ? probe.name : null,
  };
}

/** What a record of some type is matched on, as given to create, update or the check. */
export type MatchInput = Omit<DuplicateCheckBody, 'type' | 'excludeId'>;

/** Matches of a record under the tenant's rule for its type: only counted keys, only above the threshold. */
export async function matchUnderRule(
  db: DbOrTx,
  scope: DataScope,
  type: DuplicateObjectType,
  rule: DuplicateRule,
  input: MatchInput,
  excludeId?: string,
): Promise<DuplicateMatch[]> {
  const matches =
    type === 'contact'
      ? await findContactDuplicates(
          db,
          scope,
          contactProbeUnder(contactProbeOf(input), rule.keys),
          {
            ...(excludeId ? { excludeId } : {}),
          },
        )
      : await findDuplicates(db, scope, probeUnder(probeOf(input), rule.keys), {
          withLeads: type === 'lead',
          ...(excludeId ? { excludeId } : {}),
        });
  return matches.filter((m) => m.score >= rule.threshold);
}

/** POST /duplicates/check: what the tenant's rule for the type reports. */
export async function checkDuplicates(
  db: DbOrTx,
  caller: Caller,
  body: DuplicateCheckBody,
): Promise<{ matches: DuplicateMatch[] }> {
  const scope = await buildScope(db, caller);
  const rules = await getRules(db, caller.tenantId);
  return {
    matches: await matchUnderRule(db, scope, body.type, rules[body.type], body, body.excludeId),
  };
}

const atLeast = (level: DuplicateMatch['level'], floor: DuplicateMatch['level']) =>
  matchLevels.indexOf(level) <= matchLevels.indexOf(floor);

/**
 * Applies the tenant's rule on a create or update, inside the writing
 * transaction: `block` refuses with 409 DUPLICATE naming the matches (so the
 * transaction writes nothing), `warn` answers the matches to show with the saved
 * record, `allow` checks nothing.
 */
export async function enforceDuplicateRule(
  tx: DbOrTx,
  scope: DataScope,
  type: DuplicateObjectType,
  event: 'create' | 'update',
  input: MatchInput,
  excludeId?: string,
): Promise<DuplicateMatch[] | undefined> {
  const rule = (await getRules(tx, scope.tenantId))[type];
  const action = event === 'create' ? rule.onCreate : rule.onUpdate;
  if (action === 'allow') return undefined;
  const hasInput = [
    input.name,
    input.phone,
    input.email,
    input.creditCode,
    input.idNumber,
    input.registration,
  ].some(Boolean);
  if (!hasInput) return undefined;
  const matches = (await matchUnderRule(tx, scope, type, rule, input, excludeId)).filter((m) =>
    atLeast(m.level, rule.level),
  );
  if (matches.length === 0) return undefined;
  if (action === 'block')
    throw new AppError(
      'DUPLICATE',
      `This ${type} looks like one that exists already (${matches[0]?.name ?? ''}); the duplicate rules do not allow saving it`,
      { matches },
    );
  return matches;
}

/** A saved record with the matches its `warn` rule found, when there are any. */
export function withMatches<T extends object>(
  record: T,
  duplicates: DuplicateMatch[] | undefined,
): T & { duplicates?: DuplicateMatch[] } {
  return duplicates ? { ...record, duplicates } : record;
}
