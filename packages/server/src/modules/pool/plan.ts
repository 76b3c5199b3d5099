import type { AssignmentStrategy } from '@tide/contract';

/**
 * Assignment planning as a pure function (SPEC §5): which rep gets which record, given
 * each rep's remaining capacity, their territory and (for profile matching) a score. The
 * caller reads the facts and writes the plan; nothing here touches the database.
 */

export interface PlanRep {
  id: string;
  /** Open records held now. */
  held: number;
  /** Capacity; null for no limit. */
  max: number | null;
}

export interface PlanRecord {
  id: string;
}

export interface PlanInput<R extends PlanRecord> {
  strategy: AssignmentStrategy;
  records: readonly R[];
  reps: readonly PlanRep[];
  /** Whether the rep may hold the record (territory). */
  allowed: (rep: PlanRep, record: R) => boolean;
  /**
   * Profile matching: for a record, how well each rep fits it (higher is better). Called
   * once per record, so what the record's features cost is paid once, not per rep.
   */
  score?: (record: R) => (rep: PlanRep) => number;
  /** Round robin: where the last turn stopped. */
  cursor?: number;
  random?: () => number;
}

export interface Plan {
  assigned: Map<string, string>;
  skipped: { id: string; reason: string }[];
  /** Round robin: where the next turn starts. */
  cursor: number;
}

export function planAssignment<R extends PlanRecord>(input: PlanInput<R>): Plan {
  const { records, reps, allowed } = input;
  const given = new Map<string, number>(reps.map((r) => [r.id, 0]));
  const room = (rep: PlanRep) =>
    rep.max === null ? Infinity : rep.max - rep.held - (given.get(rep.id) ?? 0);
  const assigned = new Map<string, string>();
  const skipped: Plan['skipped'] = [];
  const random = input.random ?? Math.random;
  // Profile matching caps each rep at twice an even share, so one strong history does
  // not take the whole list.
  const fairShare = Math.max(1, Math.ceil((2 * records.length) / Math.max(1, reps.length)));
  const evenShare = Math.max(1, Math.ceil(records.length / Math.max(1, reps.length)));
  let cursor = reps.length ? (input.cursor ?? 0) % reps.length : 0;

  records.forEach((record, index) => {
    const eligible = reps.filter((rep) => room(rep) > 0 && allowed(rep, record));
    const isEligible = new Set(eligible.map((rep) => rep.id));
    if (eligible.length === 0) {
      const inTerritory = reps.some((rep) => allowed(rep, record));
      skipped.push({
        id: record.id,
        reason: inTerritory
          ? 'every rep who may take it is at capacity'
          : 'no rep of the list covers its region',
      });
      return;
    }
    let chosen: PlanRep | undefined;
    switch (input.strategy) {
      case 'round_robin':
        for (let k = 0; k < reps.length && !chosen; k++) {
          const rep = reps[(cursor + k) % reps.length];
          if (rep && isEligible.has(rep.id)) {
            chosen = rep;
            cursor = (cursor + k + 1) % reps.length;
          }
        }
        break;
      case 'random':
        chosen = eligible[Math.floor(random() * eligible.length)];
        break;
      case 'load_balanced':
        chosen = [...eligible].sort(
          (a, b) =>
            a.held + (given.get(a.id) ?? 0) - (b.held + (given.get(b.id) ?? 0)) ||
            room(b) - room(a) ||
            a.id.localeCompare(b.id),
        )[0];
        break;
      case 'even_split': {
        // Consecutive equal parts: record i to the rep of part ⌊i / share⌋, else the
        // eligible rep furthest below an even share.
        const intended = reps[Math.floor(index / evenShare) % reps.length];
        chosen =
          intended && isEligible.has(intended.id)
            ? intended
            : [...eligible].sort(
                (a, b) =>
                  (given.get(a.id) ?? 0) - (given.get(b.id) ?? 0) || a.id.localeCompare(b.id),
              )[0];
        break;
      }
      case 'profile': {
        const score = input.score ? input.score(record) : () => 0;
        const capped = eligible.filter((rep) => (given.get(rep.id) ?? 0) < fairShare);
        const pool = capped.length ? capped : eligible;
        let best = -Infinity;
        for (const rep of pool) {
          const s = score(rep) - (given.get(rep.id) ?? 0) * 1e-6; // ties: least given
          if (s > best) {
            best = s;
            chosen = rep;
          }
        }
        break;
      }
    }
    if (!chosen) {
      skipped.push({ id: record.id, reason: 'no rep could take it' });
      return;
    }
    assigned.set(record.id, chosen.id);
    given.set(chosen.id, (given.get(chosen.id) ?? 0) + 1);
  });
  return { assigned, skipped, cursor };
}
