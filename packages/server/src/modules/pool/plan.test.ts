import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentStrategies } from '@tide/contract';
import { planAssignment, type PlanRep } from './plan.ts';

const input = fc
  .record({
    strategy: fc.constantFrom(...assignmentStrategies),
    reps: fc.uniqueArray(
      fc.record({
        id: fc.uuid(),
        held: fc.nat(10),
        max: fc.option(fc.nat(15), { nil: null }),
        zone: fc.nat(2),
      }),
      { maxLength: 8, selector: (r) => r.id },
    ),
    records: fc.uniqueArray(fc.record({ id: fc.uuid(), zone: fc.nat(2) }), {
      maxLength: 40,
      selector: (r) => r.id,
    }),
    cursor: fc.nat(10),
  })
  .map((i) => ({ ...i, weights: i.reps.map((_, k) => (k * 7) % 5) }));

describe('assignment planning', () => {
  it('never exceeds capacity nor crosses territory, and accounts for every record once', () => {
    fc.assert(
      fc.property(input, (i) => {
        const allowed = (rep: PlanRep, record: { zone: number }) =>
          (rep as PlanRep & { zone: number }).zone === 0 || record.zone === 0
            ? true
            : (rep as PlanRep & { zone: number }).zone === record.zone;
        const plan = planAssignment({
          strategy: i.strategy,
          records: i.records,
          reps: i.reps,
          allowed,
          score: () => (rep) => i.weights[i.reps.findIndex((r) => r.id === rep.id)] ?? 0,
          cursor: i.cursor,
          random: () => 0.5,
        });
        const given = new Map<string, number>();
        for (const [recordId, repId] of plan.assigned) {
          const rep = i.reps.find((r) => r.id === repId);
          const record = i.records.find((r) => r.id === recordId);
          expect(rep && record && allowed(rep, record)).toBe(true);
          given.set(repId, (given.get(repId) ?? 0) + 1);
        }
        for (const rep of i.reps)
          if (rep.max !== null)
            expect(rep.held + (given.get(rep.id) ?? 0)).toBeLessThanOrEqual(
              Math.max(rep.max, rep.held),
            );
        const skipped = plan.skipped.map((s) => s.id);
        expect(new Set([...plan.assigned.keys(), ...skipped]).size).toBe(i.records.length);
        expect(plan.assigned.size + skipped.length).toBe(i.records.length);
        // A record is skipped only when no rep could take it at that point.
        for (const id of skipped) {
          const record = i.records.find((r) => r.id === id);
          const room = i.reps.filter(
            (rep) =>
              record &&
              allowed(rep, record) &&
              (rep.max === null || rep.held + (given.get(rep.id) ?? 0) < rep.max),
          );
          expect(room).toEqual([]);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('shares evenly when nothing else differs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('round_robin' as const, 'load_balanced' as const, 'even_split' as const),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 60 }),
        (strategy, nReps, nRecords) => {
          const reps = Array.from({ length: nReps }, (_, k) => ({
            id: `r${String(k)}`,
            held: 0,
            max: null,
          }));
          const records = Array.from({ length: nRecords }, (_, k) => ({ id: `x${String(k)}` }));
          const plan = planAssignment({ strategy, records, reps, allowed: () => true });
          const counts = reps.map(
            (r) => [...plan.assigned.values()].filter((v) => v === r.id).length,
          );
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(
            strategy === 'even_split' ? Math.ceil(nRecords / nReps) : 1,
          );
        },
      ),
    );
  });
});
