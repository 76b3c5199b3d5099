import type { PoolEntity } from '@tide/contract';

/**
 * The rule engine's decision on one claim or assignment (SPEC §5), as a pure function of
 * the facts gathered under the rep's row lock: nothing here reads the database, so the
 * decisions can be tested exhaustively.
 */
export interface ClaimFacts {
  entity: PoolEntity;
  /** A rep's own claim, or a manager's assignment to the rep. */
  kind: 'claim' | 'assign';
  now: Date;
  /** Private records the rep holds now, and the limit (null: none). */
  used: number;
  max: number | null;
  /** Claims the rep made today, and the daily limit (null: none). */
  claimedToday: number;
  dailyMax: number | null;
  /** The end of the rep's protection period on this record, if they released it. */
  protectedUntil: Date | null;
  /** The team owning the record's region when the rep's territory does not cover it. */
  outOfTerritory: { regionName: string; ownerNodeName: string } | null;
  /** Set when the collusion rule blocks: the partner and the pair's handovers so far. */
  collusion: { partnerName: string; handovers: number; minHandovers: number } | null;
}

export type RefusalRule = 'territory' | 'protected' | 'collusion' | 'capacity' | 'daily_limit';

export interface Refusal {
  rule: RefusalRule;
  message: string;
  details: Record<string, unknown>;
}

const what = (e: PoolEntity) => (e === 'lead' ? 'leads' : 'customers');
const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d); // YYYY-MM-DD

/**
 * Null when the record may go to the rep; otherwise the first rule that refuses, with the
 * numbers. Territory and collusion bind claims and assignments alike; protection and the
 * daily limit bind the rep's own claims; capacity binds both.
 */
export function decideClaim(f: ClaimFacts): Refusal | null {
  if (f.outOfTerritory)
    return {
      rule: 'territory',
      message: `This region (${f.outOfTerritory.regionName}) belongs to ${f.outOfTerritory.ownerNodeName}`,
      details: {
        rule: 'territory',
        regionName: f.outOfTerritory.regionName,
        ownerNodeName: f.outOfTerritory.ownerNodeName,
      },
    };
  if (f.kind === 'claim' && f.protectedUntil && f.protectedUntil > f.now)
    return {
      rule: 'protected',
      message: `You released this record: protected until ${day(f.protectedUntil)}`,
      details: { rule: 'protected', protectedUntil: f.protectedUntil.toISOString() },
    };
  if (f.collusion)
    return {
      rule: 'collusion',
      message: `Blocked: ${String(f.collusion.handovers)} records released by ${f.collusion.partnerName} were claimed soon after by the same rep (limit ${String(f.collusion.minHandovers)})`,
      details: { rule: 'collusion', ...f.collusion },
    };
  if (f.max !== null && f.used + 1 > f.max)
    return {
      rule: 'capacity',
      message: `Capacity ${String(f.used)} of ${String(f.max)} ${what(f.entity)}`,
      details: { rule: 'capacity', used: f.used, max: f.max },
    };
  if (f.kind === 'claim' && f.dailyMax !== null && f.claimedToday + 1 > f.dailyMax)
    return {
      rule: 'daily_limit',
      message: `Daily claim limit ${String(f.claimedToday)} of ${String(f.dailyMax)} ${what(f.entity)}`,
      details: { rule: 'daily_limit', claimedToday: f.claimedToday, dailyMax: f.dailyMax },
    };
  return null;
}
