// The leader-clock-step scenario's schedules: valid and in time order; every episode the leader's
// wall clock stepped back within the scenario's range and the leader cut off at the same instant,
// healed when the episode ends, before the healing period; many episodes per run.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaderClockStep } from './leader-clock-step';
import { findScenario } from './registry';
import { cacheCluster, expectWellFormed, scheduleOf } from './testing';

describe('leader-clock-step scenario', () => {
  it('is registered, and changes no setting', () => {
    expect(findScenario('leader-clock-step')).toBe(leaderClockStep);
    expect(leaderClockStep.settings).toBeUndefined();
  });

  it('steps the leader back 0.1-1 s and cuts it off at one instant, then heals, within the fault window', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(3, 5, 7), fc.integer({ min: 15, max: 60 }), (seed, nodes, seconds) => {
        const cluster = cacheCluster(nodes, seconds, ['c1']);
        const schedule = scheduleOf(leaderClockStep, seed, cluster);
        expectWellFormed(schedule, cluster);
        expect(schedule.length % 3).toBe(0);
        for (let i = 0; i < schedule.length; i += 3) {
          const [step, cut, heal] = [schedule[i]!, schedule[i + 1]!, schedule[i + 2]!];
          if (step.fault.kind !== 'clock-jump-leader') throw new Error(`unexpected fault ${JSON.stringify(step)}`);
          expect(step.fault.deltaUs).toBeGreaterThanOrEqual(-1_000_000);
          expect(step.fault.deltaUs).toBeLessThanOrEqual(-100_000);
          expect(cut).toEqual({ atUs: step.atUs, fault: { kind: 'isolate-leader' } });
          expect(heal.fault).toEqual({ kind: 'heal' });
          expect(heal.atUs).toBeGreaterThan(step.atUs);
          if (i > 0) expect(step.atUs).toBeGreaterThan(schedule[i - 1]!.atUs);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('holds many short episodes: a 30 s run of 5 nodes steps at least 10 leaders', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(scheduleOf(leaderClockStep, seed, cacheCluster(5, 30, ['c1'])).filter((f) => f.fault.kind === 'clock-jump-leader').length).toBeGreaterThanOrEqual(10);
  });
});
