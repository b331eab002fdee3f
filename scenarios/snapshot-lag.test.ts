// The snapshot-lag generator: zone failures among the fast servers only, never more than a
// minority down, the partition leaving the slow server a majority with the restarted ones, and
// every fault undone before the run's healing period.

import { describe, expect, it } from 'vitest';
import type { NodeId } from '../src/host/contract';
import type { Fault, TimedFault } from '../sim/nemesis/schedule';
import { RngStreams } from '../sim/rng/streams';
import { serverIds } from '../sim/runner/run';
import { cacheQuietUs } from '../sim/runner/cache-system';
import { faultWindowEndUs, type ClusterShape } from './scenario';
import { snapshotLag } from './snapshot-lag';

function shape(nodes: number): ClusterShape {
  return { members: serverIds(nodes), durationUs: 30_000_000, quietUs: cacheQuietUs(nodes) };
}

function schedule(seed: number, cluster: ClusterShape): readonly TimedFault[] {
  return snapshotLag.schedule(new RngStreams(seed).stream('nemesis'), cluster);
}

/** Replays the schedule's crashes and starts: the most servers down at once, and who was ever down. */
function downs(faults: readonly TimedFault[]): { maxDown: number; everDown: Set<NodeId> } {
  const down = new Set<NodeId>();
  const everDown = new Set<NodeId>();
  let maxDown = 0;
  for (const { fault } of faults) {
    if (fault.kind === 'crash') {
      down.add(fault.node);
      everDown.add(fault.node);
    }
    if (fault.kind === 'start') down.delete(fault.node);
    maxDown = Math.max(maxDown, down.size);
  }
  expect(down.size).toBe(0);
  return { maxDown, everDown };
}

describe('snapshot-lag', () => {
  it('asks for frequent compaction, few appends in flight and the noisy network with a slow last server', () => {
    expect(snapshotLag.settings?.raft).toEqual({ snapshotThresholdEntries: 16, inflightAppendsMax: 2 });
    expect(snapshotLag.settings?.network).toBeDefined();
  });

  for (const nodes of [3, 5]) {
    it(`${nodes} servers: zone failures among the fast ones, a minority at most, then a cut that leaves the slow one a majority; all undone in the fault window`, () => {
      const cluster = shape(nodes);
      const slow = cluster.members[nodes - 1] as NodeId;
      for (let seed = 1; seed <= 20; seed++) {
        const faults = schedule(seed, cluster);
        expect(faults.length).toBeGreaterThan(0);
        for (const f of faults) expect(f.atUs).toBeLessThanOrEqual(faultWindowEndUs(cluster));
        for (let i = 1; i < faults.length; i++) expect((faults[i] as TimedFault).atUs).toBeGreaterThanOrEqual((faults[i - 1] as TimedFault).atUs);
        const { maxDown, everDown } = downs(faults);
        expect(maxDown).toBe(Math.floor((nodes - 1) / 2));
        expect(everDown.has(slow)).toBe(false);
        const cuts = faults.map((f) => f.fault).filter((f): f is Extract<Fault, { kind: 'partition' }> => f.kind === 'partition');
        expect(cuts.length).toBeGreaterThan(0);
        for (const cut of cuts) {
          const spec = cut.spec;
          expect(spec.shape).toBe('groups');
          if (spec.shape !== 'groups') continue;
          const [kept, rest] = spec.groups as [readonly NodeId[], readonly NodeId[]];
          expect(rest).toContain(slow);
          expect(rest.length).toBeGreaterThan(nodes / 2);
          expect([...kept, ...rest].sort()).toEqual([...cluster.members].sort());
        }
        // The run ends healed: the last partition is followed by a heal.
        const lastCut = faults.map((f) => f.fault.kind).lastIndexOf('partition');
        expect(faults.slice(lastCut).some((f) => f.fault.kind === 'heal')).toBe(true);
      }
    });
  }

  it('the same seed gives the same schedule', () => {
    expect(schedule(7, shape(5))).toEqual(schedule(7, shape(5)));
  });
});
