import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustedCapacity } from './capacity-adjust.ts';
import { resolveLimits } from './claim-check.ts';
import { decideClaim, type ClaimFacts } from './decide.ts';

const now = new Date('2026-11-24T08:00:00Z');
const facts = fc.record<ClaimFacts>({
  entity: fc.constantFrom('lead' as const, 'customer' as const),
  kind: fc.constantFrom('claim' as const, 'assign' as const),
  now: fc.constant(now),
  used: fc.nat(300),
  max: fc.option(fc.nat(300), { nil: null }),
  claimedToday: fc.nat(60),
  dailyMax: fc.option(fc.nat(60), { nil: null }),
  protectedUntil: fc.option(
    fc.integer({ min: -10, max: 10 }).map((d) => new Date(now.getTime() + d * 86_400_000 + 1)),
    { nil: null },
  ),
  outOfTerritory: fc.option(
    fc.record({ regionName: fc.constant('浙江省杭州市'), ownerNodeName: fc.constant('杭州一组') }),
    { nil: null },
  ),
  collusion: fc.option(
    fc.record({
      partnerName: fc.constant('张三'),
      handovers: fc.integer({ min: 3, max: 9 }),
      minHandovers: fc.constant(3),
    }),
    { nil: null },
  ),
});

describe('the claim rule engine', () => {
  it('refuses exactly when a rule is broken, and names the first one with its numbers', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const overCapacity = f.max !== null && f.used + 1 > f.max;
        const overDaily =
          f.kind === 'claim' && f.dailyMax !== null && f.claimedToday + 1 > f.dailyMax;
        const isProtected =
          f.kind === 'claim' && f.protectedUntil !== null && f.protectedUntil > f.now;
        const expected = f.outOfTerritory
          ? 'territory'
          : isProtected
            ? 'protected'
            : f.collusion
              ? 'collusion'
              : overCapacity
                ? 'capacity'
                : overDaily
                  ? 'daily_limit'
                  : null;
        const refusal = decideClaim(f);
        expect(refusal?.rule ?? null).toBe(expected);
        if (refusal?.rule === 'capacity')
          expect(refusal.message).toContain(`${String(f.used)} of ${String(f.max)}`);
        if (refusal?.rule === 'daily_limit')
          expect(refusal.message).toContain(`${String(f.claimedToday)} of ${String(f.dailyMax)}`);
        if (refusal?.rule === 'protected') expect(refusal.message).toMatch(/\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets an accepted claim exceed capacity or the daily limit', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (decideClaim(f) !== null) return;
        if (f.max !== null) expect(f.used + 1).toBeLessThanOrEqual(f.max);
        if (f.kind === 'claim' && f.dailyMax !== null)
          expect(f.claimedToday + 1).toBeLessThanOrEqual(f.dailyMax);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the most specific limit: the person, the nearest node, the largest role, the tenant', () => {
    const row = fc.record({
      scope: fc.constantFrom('tenant' as const, 'role' as const, 'node' as const, 'user' as const),
      max: fc.option(fc.nat(500), { nil: null }),
      daily: fc.option(fc.nat(50), { nil: null }),
      depth: fc.nat(5),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const { max, maxFrom } = resolveLimits(rows);
        const set = rows.filter((r) => r.max !== null);
        if (set.length === 0) {
          expect([max, maxFrom]).toEqual([null, null]);
          return;
        }
        const rank = { user: 0, node: 1, role: 2, tenant: 3 };
        const best = Math.min(...set.map((r) => rank[r.scope]));
        const tier = set.filter((r) => rank[r.scope] === best);
        expect(maxFrom).toBe(tier[0]?.scope);
        if (maxFrom === 'node') {
          const deepest = Math.max(...tier.map((r) => r.depth));
          expect(tier.filter((r) => r.depth === deepest).map((r) => r.max)).toContain(max);
        } else if (maxFrom === 'role') expect(max).toBe(Math.max(...tier.map((r) => r.max ?? 0)));
        else expect(tier.map((r) => r.max)).toContain(max);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the monthly capacity adjustment', () => {
  const rule = fc
    .record({
      raiseAtPercent: fc.integer({ min: 0, max: 100 }),
      lowerBelowPercent: fc.integer({ min: 0, max: 100 }),
      stepPercent: fc.integer({ min: 1, max: 100 }),
      minRecords: fc.nat(500),
      maxRecords: fc.nat(500),
      minSample: fc.integer({ min: 1, max: 50 }),
    })
    .map((r) => ({
      ...r,
      lowerBelowPercent: Math.min(r.lowerBelowPercent, r.raiseAtPercent),
      minRecords: Math.min(r.minRecords, r.maxRecords),
      maxRecords: Math.max(r.minRecords, r.maxRecords),
    }));

  it('stays within the bounds, moves with the rate, and judges no rep on too few records', () => {
    fc.assert(
      fc.property(rule, fc.nat(600), fc.nat(200), fc.nat(200), (r, current, handled, converted) => {
        const next = adjustedCapacity(current, handled, converted, r);
        if (handled < r.minSample) {
          expect(next).toBeNull();
          return;
        }
        if (next === null) throw new Error('judged nothing on enough records');
        expect(next).toBeGreaterThanOrEqual(r.minRecords);
        expect(next).toBeLessThanOrEqual(r.maxRecords);
        // A better month never leaves a rep with less than a worse one.
        const worse = adjustedCapacity(current, handled, Math.max(0, converted - 1), r);
        expect(next).toBeGreaterThanOrEqual(worse ?? 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('steps up, down, or holds', () => {
    const r = {
      raiseAtPercent: 30,
      lowerBelowPercent: 10,
      stepPercent: 20,
      minRecords: 50,
      maxRecords: 150,
      minSample: 10,
    };
    expect(adjustedCapacity(100, 10, 3, r)).toBe(120);
    expect(adjustedCapacity(100, 10, 0, r)).toBe(80);
    expect(adjustedCapacity(100, 10, 2, r)).toBe(100);
    expect(adjustedCapacity(140, 10, 9, r)).toBe(150);
    expect(adjustedCapacity(55, 10, 0, r)).toBe(50);
    expect(adjustedCapacity(100, 9, 9, r)).toBeNull();
  });
});
