// The election-blackout scenario's schedules: valid for the cluster and in time order; each
// episode a kill of the leader with a blackout armed at the same instant, cut inside the window in
// which the winning votes' fsyncs are still running, every node up again before the next episode
// and before the fault window ends. (What it catches, and on which seeds, is bugs.test's to show.)

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from '../sim/net/link';
import { electionBlackout } from './election-blackout';
import { NETWORK_STORAGE_DISK } from './power-loss';
import { random } from './random';
import { findScenario } from './registry';
import { faultWindowEndUs } from './scenario';
import { cacheCluster, expectWellFormed, scheduleOf } from './testing';

describe('election-blackout scenario', () => {
  it('is registered, on network storage: an fsync slower than a network hop', () => {
    expect(findScenario('election-blackout')).toBe(electionBlackout);
    expect(electionBlackout.settings?.diskLatency).toEqual(NETWORK_STORAGE_DISK);
    expect(NETWORK_STORAGE_DISK.fsyncUs).toBeGreaterThan(DEFAULT_LINK.latency.baseUs + DEFAULT_LINK.latency.jitterUs);
  });

  it('generates valid schedules of whole episodes: a kill and a blackout armed together, cut before the votes are durable, all up again before the next', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(3, 5, 7), fc.integer({ min: 15, max: 90 }), (seed, nodes, seconds) => {
        const cluster = cacheCluster(nodes, seconds);
        const schedule = scheduleOf(electionBlackout, seed, cluster);
        expectWellFormed(schedule, cluster);
        expect(schedule.length % 2).toBe(0);
        let upAgainUs = 0;
        for (let i = 0; i < schedule.length; i += 2) {
          const kill = schedule[i]!;
          const cut = schedule[i + 1]!;
          expect(cut.atUs).toBe(kill.atUs);
          expect(kill.atUs).toBeGreaterThan(upAgainUs);
          if (kill.fault.kind !== 'crash-leader' || cut.fault.kind !== 'blackout-next-election') throw new Error(`unexpected episode ${JSON.stringify([kill, cut])}`);
          // Cut while a vote sent a hop before the election is still on its way to disk.
          expect(cut.fault.afterUs + DEFAULT_LINK.latency.baseUs).toBeLessThan(NETWORK_STORAGE_DISK.fsyncUs);
          upAgainUs = Math.max(kill.atUs + kill.fault.downUs, cut.atUs + cut.fault.withinUs + cut.fault.downUs);
          expect(upAgainUs).toBeLessThanOrEqual(faultWindowEndUs(cluster));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('as one of random\'s kinds, an episode starts only where it ends, every node up again, before the fault window does', () => {
    let drawn = 0;
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.integer({ min: 15, max: 60 }), (seed, seconds) => {
        const cluster = cacheCluster(5, seconds);
        const schedule = scheduleOf(random, seed, cluster);
        for (const { atUs, fault } of schedule) {
          if (fault.kind !== 'blackout-next-election') continue;
          drawn++;
          // The kill it goes with, at the same instant: the episode is over when the blackout's
          // restart and the killed leader's own have both come.
          const kill = schedule.find((f) => f.atUs === atUs && f.fault.kind === 'crash-leader');
          if (kill?.fault.kind !== 'crash-leader') throw new Error(`no kill beside the blackout at ${atUs}`);
          const overUs = Math.max(atUs + fault.withinUs + fault.downUs, atUs + kill.fault.downUs);
          expect(overUs).toBeLessThanOrEqual(faultWindowEndUs(cluster));
          expect(schedule.filter((f) => f.atUs > atUs && f.atUs < overUs)).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
    expect(drawn).toBeGreaterThan(0);
  });

  it('holds an episode every few seconds: a 30 s run of 5 nodes has at least 3', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(scheduleOf(electionBlackout, seed, cacheCluster(5, 30)).filter((f) => f.fault.kind === 'crash-leader').length).toBeGreaterThanOrEqual(3);
  });
});
