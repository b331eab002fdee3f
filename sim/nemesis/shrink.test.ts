import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FaultSchedule } from './schedule';
import { shrinkSchedule } from './shrink';

const crash = (node: string, atUs: number) => ({ atUs, fault: { kind: 'crash' as const, node } });

describe('shrinking a failing schedule (ddmin)', () => {
  it('finds the one fault that matters among many', () => {
    const schedule: FaultSchedule = Array.from({ length: 40 }, (_, i) => crash(`n${i % 5}`, i * 1000));
    const result = shrinkSchedule(schedule, (s) => s.some((f) => f.atUs === 17_000));
    expect(result.schedule).toEqual([crash('n2', 17_000)]);
    expect(result.minimal).toBe(true);
    expect(result.runs).toBeLessThan(40);
  });

  it('keeps a pair of faults that fail only together, in their order', () => {
    const schedule: FaultSchedule = Array.from({ length: 16 }, (_, i) => crash(`n${i}`, i));
    const result = shrinkSchedule(schedule, (s) => s.some((f) => f.atUs === 3) && s.some((f) => f.atUs === 11));
    expect(result.schedule.map((f) => f.atUs)).toEqual([3, 11]);
  });

  it('the result always still fails and is a sub-list of the original; the run budget is respected', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 30 }), fc.nat({ max: 50 }), fc.integer({ min: 1, max: 40 }), (times, needle, budget) => {
        const schedule: FaultSchedule = [...times, needle].map((t) => crash('n1', t));
        let runs = 0;
        const fails = (s: FaultSchedule): boolean => {
          runs++;
          return s.some((f) => f.atUs === needle);
        };
        const result = shrinkSchedule(schedule, fails, budget);
        expect(fails(result.schedule)).toBe(true);
        expect(runs - 1).toBe(result.runs);
        expect(result.runs).toBeLessThanOrEqual(budget);
        let i = 0;
        for (const f of result.schedule) {
          while (i < schedule.length && schedule[i] !== f) i++;
          expect(i).toBeLessThan(schedule.length);
          i++;
        }
      }),
    );
  });
});
