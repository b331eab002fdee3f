// leader-clock-step: the leader's wall clock steps backward (an NTP step, 0.1-1 s), and the leader
// is cut off at the same instant; short episodes, over and over, as lease-drift's. A lease or a
// vote refusal timed on the wall clock is lengthened in true time by the step: the old leader goes
// on believing its lease while the others, their clocks untouched, elect a successor whose lease
// begins, and the Raft monitor's lease safety sees two leases at once. clock-skew steps clocks
// too, but at random nodes and times, and cuts the stepped leader off only now and then.
//
// Why a correct node passes: the lease and the vote refusal are timed on the monotonic clock,
// which a step of the wall clock does not move (leaseClockUs in src/raft/node.ts); whatever else reads the wall
// clock (the committed time that expires client sessions) must not go back with it. Nothing else
// is faulty, and every episode is healed.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import { LEASE_DRIFT_CYCLE } from './lease-drift';
import type { Scenario } from './scenario';

const STEP_US_MIN = 100_000;
const STEP_US_MAX = 1_000_000;

export const leaderClockStep: Scenario = {
  name: 'leader-clock-step',
  description: `the leader's wall clock stepped back ${STEP_US_MIN / 1e6}-${STEP_US_MAX / 1e6} s and the leader cut off at once; short episodes, over and over`,
  schedule: (rng, cluster) => cycle(rng, cluster, () => leaderClockStepEpisode(rng), LEASE_DRIFT_CYCLE),
};

/** The leader (resolved when the fault fires) stepped back and cut off, in that order at one instant; undone: healed. */
export function leaderClockStepEpisode(rng: Rng): FaultEpisode {
  return { inject: [{ kind: 'clock-jump-leader', deltaUs: -rng.intBetween(STEP_US_MIN, STEP_US_MAX) }, { kind: 'isolate-leader' }], undo: [{ kind: 'heal' }] };
}
