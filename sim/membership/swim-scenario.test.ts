// The swim scenario's schedules: valid for the cluster, in time order, every partition healed,
// every pause resumed, every crash but the permanent ones restarted, a quiet tail long enough for
// convergence, and the same nemesis stream giving the same schedule.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateSchedule, type TimedFault } from '../nemesis/schedule';
import { serverIds } from '../runner/run';
import { RngStreams } from '../rng/streams';
import { swim, swimQuietUs } from '../../scenarios/swim';
import { HEAL_PERIOD_US } from '../../scenarios/scenario';

function scheduleFor(seed: number, nodes: number, durationUs: number): TimedFault[] {
  return [...swim.schedule(new RngStreams(seed).stream('nemesis'), { members: serverIds(nodes), durationUs, quietUs: HEAL_PERIOD_US })];
}

describe('swim scenario', () => {
  it('generates valid, ordered schedules whose faults are all undone except permanent crashes, ending in a quiet tail', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 3, max: 25 }), fc.integer({ min: 30, max: 120 }), (seed, nodes, seconds) => {
        const durationUs = seconds * 1_000_000;
        const schedule = scheduleFor(seed, nodes, durationUs);
        const members = serverIds(nodes);
        expect(validateSchedule(JSON.parse(JSON.stringify(schedule)), members).ok).toBe(true);
        for (let i = 1; i < schedule.length; i++) expect(schedule[i]!.atUs).toBeGreaterThanOrEqual(schedule[i - 1]!.atUs);
        for (const f of schedule) expect(f.atUs).toBeLessThanOrEqual(durationUs - swimQuietUs(nodes));
        let partitioned = false;
        const down = new Set<string>();
        const paused = new Set<string>();
        for (const { fault } of schedule) {
          if (fault.kind === 'partition') partitioned = true;
          if (fault.kind === 'heal') partitioned = false;
          if (fault.kind === 'crash') down.add(fault.node);
          if (fault.kind === 'start') down.delete(fault.node);
          if (fault.kind === 'pause') paused.add(fault.node);
          if (fault.kind === 'resume') paused.delete(fault.node);
        }
        expect(partitioned).toBe(false);
        expect(paused.size).toBe(0);
        // Only permanent crashes stay down: at most a fifth of the cluster (at least one).
        expect(down.size).toBeLessThanOrEqual(Math.max(1, Math.floor(nodes / 5)));
      }),
      { numRuns: 60 },
    );
  });

  it('crashes at least one member for good when the run is long enough to judge its detection', () => {
    for (const [nodes, durationUs] of [[5, 30_000_000], [9, 30_000_000], [25, 60_000_000]] as const) {
      const schedule = scheduleFor(3, nodes, durationUs);
      const restarted = new Set(schedule.filter((f) => f.fault.kind === 'start').map((f) => (f.fault as { node: string }).node));
      const crashedForGood = schedule.filter((f) => f.fault.kind === 'crash' && !restarted.has(f.fault.node));
      expect(crashedForGood.length, `${nodes} members`).toBeGreaterThanOrEqual(1);
    }
  });

  it('is a pure function of the nemesis stream', () => {
    expect(scheduleFor(7, 9, 60_000_000)).toEqual(scheduleFor(7, 9, 60_000_000));
    expect(scheduleFor(7, 9, 60_000_000)).not.toEqual(scheduleFor(8, 9, 60_000_000));
  });

  it('leaves a run too short for its quiet tail fault-free rather than unjudgeable', () => {
    expect(scheduleFor(1, 25, swimQuietUs(25))).toEqual([]);
  });
});
