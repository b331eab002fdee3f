import { describe, expect, it } from 'vitest';
import { RngStreams } from '../sim/rng/streams';
import { validateSchedule, type TimedFault } from '../sim/nemesis/schedule';
import { cacheQuietUs } from '../sim/runner/cache-system';
import { serverIds } from '../sim/runner/run';
import { leaderChurn } from './leader-churn';
import { faultWindowEndUs, type ClusterShape } from './scenario';

function shape(nodes: number, durationUs = 30_000_000): ClusterShape {
  return { members: serverIds(nodes), clients: ['c1', 'c2', 'c3', 'c4', 'c5'], durationUs, quietUs: cacheQuietUs(nodes) };
}

function schedule(seed: number, cluster: ClusterShape): TimedFault[] {
  return [...leaderChurn.schedule(new RngStreams(seed).stream('nemesis'), cluster)];
}

describe('leader-churn', () => {
  it('runs without check-quorum, as the Raft of the paper', () => {
    expect(leaderChurn.settings?.raft).toEqual({ checkQuorum: false });
  });

  it('leaves the healing period free: every episode heals before the window ends, and every cut it watches for falls before its heal', () => {
    for (const nodes of [3, 5, 7]) {
      const cluster = shape(nodes);
      for (let seed = 1; seed <= 40; seed++) {
        const s = schedule(seed, cluster);
        expect(validateSchedule(s, cluster.members, 'schedule', cluster.clients)).toEqual({ ok: true, schedule: s });
        expect(s.at(-1)?.fault.kind).toBe('heal');
        expect(s.every((f) => f.atUs < faultWindowEndUs(cluster) || (f.fault.kind === 'heal' && f.atUs === faultWindowEndUs(cluster)))).toBe(true);
        for (const [i, f] of s.entries()) {
          if (f.fault.kind !== 'isolate-next-leader') continue;
          const heal = s.slice(i).find((g) => g.fault.kind === 'heal');
          expect(heal).toBeDefined();
          expect(f.atUs + f.fault.withinUs).toBeLessThanOrEqual(heal?.atUs ?? 0);
        }
      }
    }
  });

  it('builds Figure 8 chains: a leader cut off, then its successors in order, mostly with a follower each (none with three servers)', () => {
    const five = schedule(1, shape(5));
    const first = five.findIndex((f) => f.fault.kind === 'isolate-leader');
    expect(five[first]?.atUs).toBe(2_000_000);
    const chain = five.filter((f) => f.atUs === five[first]?.atUs && f.fault.kind === 'isolate-next-leader').map((f) => (f.fault.kind === 'isolate-next-leader' ? f.fault.nth : 0));
    expect(chain).toEqual(chain.map((_, i) => i + 1));
    const all = Array.from({ length: 40 }, (_, i) => schedule(i + 1, shape(5))).flat();
    const withFollower = all.filter((f) => (f.fault.kind === 'isolate-leader' || f.fault.kind === 'isolate-next-leader') && f.fault.followers === 1).length;
    const aimed = all.filter((f) => f.fault.kind === 'isolate-leader' || f.fault.kind === 'isolate-next-leader').length;
    expect(withFollower / aimed).toBeGreaterThan(0.7);
    expect(new Set(all.map((f) => (f.fault.kind === 'isolate-next-leader' ? f.fault.trigger : f.fault.kind)))).toEqual(new Set(['isolate-leader', 'append', 'elected', 'heal']));
    const three = Array.from({ length: 20 }, (_, i) => schedule(i + 1, shape(3))).flat();
    expect(three.some((f) => 'followers' in f.fault)).toBe(false);
  });

  it('is deterministic per seed', () => {
    expect(schedule(7, shape(5))).toEqual(schedule(7, shape(5)));
    expect(schedule(7, shape(5))).not.toEqual(schedule(8, shape(5)));
  });
});
