// The message-loss scenario's schedules: valid for the cluster and in time order; loss switched on
// and ended in turn, at the rates the scenario names, either on every link or on exactly the
// servers' links to the clients; none left on in the healing period.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageLoss } from './message-loss';
import { findScenario } from './registry';
import { cacheCluster, expectWellFormed, scheduleOf } from './testing';

describe('message-loss scenario', () => {
  it('is registered, and changes no setting', () => {
    expect(findScenario('message-loss')).toBe(messageLoss);
    expect(messageLoss.settings).toBeUndefined();
  });

  it('switches loss on and off in turn, on every link (5-30 %) or on the answers to clients (20-60 %), and ends it before the healing period', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(3, 5, 7), fc.constantFrom(0, 1, 5), fc.integer({ min: 15, max: 60 }), (seed, nodes, clients, seconds) => {
        const cluster = cacheCluster(nodes, seconds, Array.from({ length: clients }, (_, i) => `c${i + 1}`));
        const schedule = scheduleOf(messageLoss, seed, cluster);
        expectWellFormed(schedule, cluster);
        const answers = cluster.members.flatMap((from) => (cluster.clients ?? []).map((to) => ({ from, to })));
        for (let i = 0; i < schedule.length; i++) {
          const { fault } = schedule[i]!;
          if (i % 2 === 1) {
            expect(fault).toEqual({ kind: 'link-loss-end' });
            continue;
          }
          if (fault.kind !== 'link-loss') throw new Error(`unexpected fault ${JSON.stringify(fault)}`);
          if (fault.links === undefined) {
            expect(fault.probability).toBeGreaterThanOrEqual(0.05);
            expect(fault.probability).toBeLessThanOrEqual(0.3);
          } else {
            expect(fault.links).toEqual(answers);
            expect(fault.probability).toBeGreaterThanOrEqual(0.2);
            expect(fault.probability).toBeLessThanOrEqual(0.6);
          }
        }
        expect(schedule.length % 2).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('draws both kinds of episode: a 30 s run of 5 servers and 5 clients over a few seeds has each', () => {
    const faults = [1, 2, 3, 4, 5].flatMap((seed) => scheduleOf(messageLoss, seed, cacheCluster(5, 30, ['c1', 'c2', 'c3', 'c4', 'c5']))).map((f) => f.fault);
    expect(faults.some((f) => f.kind === 'link-loss' && f.links === undefined)).toBe(true);
    expect(faults.some((f) => f.kind === 'link-loss' && f.links !== undefined)).toBe(true);
  });
});
