// The lease-drift scenario's schedules: valid for the cluster, in time order, every drift within
// the bound the default lease margin provably covers, the leader slowed and cut off at one
// instant, many episodes per run, and a fault-free healing tail with every clock steady and the
// network whole.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRaftConfig } from '../src/raft/config';
import { CLOCK_DRIFT_PPM_BOUND } from './clock-skew';
import { leaseDrift } from './lease-drift';
import { findScenario } from './registry';
import { cacheCluster, expectWellFormed, scheduleOf } from './testing';

describe('lease-drift scenario', () => {
  it('is registered, and changes no node setting: it runs the default configuration', () => {
    expect(findScenario('lease-drift')).toBe(leaseDrift);
    expect(leaseDrift.settings).toBeUndefined();
  });

  it('drifts no clock beyond the bound the default lease margin covers: d <= b / (2 - b)', () => {
    const b = defaultRaftConfig(['n1']).clockDriftBound;
    expect(CLOCK_DRIFT_PPM_BOUND / 1e6).toBeLessThanOrEqual(b / (2 - b));
  });

  it('generates valid, ordered schedules: each episode drifts every server fast, then the leader slow, then cuts it off, all at one instant; the tail is quiet and healed', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(3, 5, 7), fc.integer({ min: 15, max: 60 }), (seed, nodes, seconds) => {
        const cluster = cacheCluster(nodes, seconds);
        const schedule = scheduleOf(leaseDrift, seed, cluster);
        expectWellFormed(schedule, cluster);

        const drift = new Map<string, number>();
        let isolated = false;
        for (let i = 0; i < schedule.length; i++) {
          const { atUs, fault } = schedule[i]!;
          if (fault.kind === 'clock-drift') drift.set(fault.node, fault.driftPpm);
          if (fault.kind === 'clock-drift' || fault.kind === 'clock-drift-leader') expect(Math.abs(fault.driftPpm)).toBeLessThanOrEqual(CLOCK_DRIFT_PPM_BOUND);
          if (fault.kind === 'clock-drift-leader') {
            // Every server was just set fast, and the isolation follows at the same instant.
            for (const m of cluster.members) expect(drift.get(m)).toBe(CLOCK_DRIFT_PPM_BOUND);
            expect(schedule[i + 1]).toEqual({ atUs, fault: { kind: 'isolate-leader' } });
          }
          if (fault.kind === 'isolate-leader') isolated = true;
          if (fault.kind === 'heal') isolated = false;
          expect(['clock-drift', 'clock-drift-leader', 'isolate-leader', 'heal']).toContain(fault.kind);
        }
        expect(isolated).toBe(false);
        for (const m of cluster.members) expect(drift.get(m) ?? 0).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('holds many short episodes: a 30 s run of 5 nodes has at least 10 leaders slowed and cut off', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const episodes = scheduleOf(leaseDrift, seed, cacheCluster(5, 30)).filter((f) => f.fault.kind === 'isolate-leader');
      expect(episodes.length).toBeGreaterThanOrEqual(10);
    }
  });
});
