// The bit-rot scenario's schedules: valid and in time order; every episode a bit flip armed on the
// first WAL segment of one node of a minority fixed for the run, the node crashed at once (so the
// next read is recovery's) and started when the episode ends; the tail quiet.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitRot } from './bit-rot';
import { FIRST_WAL_SEGMENT } from './disk';
import { findScenario } from './registry';
import { cacheCluster, expectWellFormed, scheduleOf } from './testing';

describe('bit-rot scenario', () => {
  it('is registered', () => {
    expect(findScenario('bit-rot')).toBe(bitRot);
  });

  it('flips a WAL bit on a node of a fixed minority, crashes it at once and starts it at the episode\'s end, before the healing period', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(3, 5, 7), fc.integer({ min: 15, max: 60 }), (seed, nodes, seconds) => {
        const cluster = cacheCluster(nodes, seconds, ['c1']);
        const schedule = scheduleOf(bitRot, seed, cluster);
        expectWellFormed(schedule, cluster);
        expect(schedule.length % 3).toBe(0);
        const damaged = new Set<string>();
        for (let i = 0; i < schedule.length; i += 3) {
          const [arm, crash, start] = [schedule[i]!, schedule[i + 1]!, schedule[i + 2]!];
          if (arm.fault.kind !== 'disk-fault') throw new Error(`unexpected fault ${JSON.stringify(arm)}`);
          const node = arm.fault.node;
          damaged.add(node);
          expect(arm.fault.fault).toEqual({ kind: 'bit-flip', path: FIRST_WAL_SEGMENT });
          expect(crash).toEqual({ atUs: arm.atUs, fault: { kind: 'crash', node } });
          expect(start.fault).toEqual({ kind: 'start', node });
          expect(start.atUs).toBeGreaterThan(arm.atUs);
          if (i > 0) expect(arm.atUs).toBeGreaterThan(schedule[i - 1]!.atUs);
        }
        expect(damaged.size).toBeLessThanOrEqual(Math.floor((nodes - 1) / 2));
      }),
      { numRuns: 60 },
    );
  });
});
