// clock-skew: every clock runs fast or slow within a drift bound, and clocks jump forward and
// backward; half the time the leader is cut off meanwhile, so that a new leader is elected while
// the old one may still believe in its lease. Every drift is set back to zero when its episode
// ends (the offsets stay, as after an NTP step).
//
// The bound: the node's lease is shortened by clockDriftBound (10 %) of the minimum election
// timeout. A lease of (1 - b) x T on a clock slow by d lasts (1 - b) T / (1 - d) true time, and a
// voter fast by d refuses votes for T / (1 + d): safe while (1 - b)(1 + d) <= 1 - d, i.e. d <= b / (2 - b),
// 5.26 % for b = 10 %. Drift within +-5 % is therefore safe and must never fail; the documented unsafe
// settings are the planted bugs lease-without-drift-margin (no margin: any slow leader beside a fast
// voter breaks it) and lease-on-wall-clock (a backward step stretches the lease by the step).

import type { Fault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

/** Per-node drift bound in ppm: within the bound the lease margin provably covers (see above). */
export const CLOCK_DRIFT_PPM_BOUND = 50_000;
export const CLOCK_JUMP_US_MAX = 2_000_000;

export const clockSkew: Scenario = {
  name: 'clock-skew',
  description: `clocks drift within +-${CLOCK_DRIFT_PPM_BOUND / 1e4} % (the leader then cut off) and jump up to +-${CLOCK_JUMP_US_MAX / 1e6} s forward and backward (the leader sometimes cut off)`,
  schedule: (rng, cluster) => cycle(rng, cluster, () => clockEpisode(rng, cluster)),
};

export function clockEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  if (rng.chance(0.5)) {
    // Every clock drifts at once, each its own way, half of them at the bound itself; then the
    // leader is cut off: a slow leader beside fast voters is the case the lease margin must cover.
    const drift = (): number => (rng.chance(0.5) ? (rng.chance(0.5) ? -1 : 1) * CLOCK_DRIFT_PPM_BOUND : rng.intBetween(-CLOCK_DRIFT_PPM_BOUND, CLOCK_DRIFT_PPM_BOUND));
    const drifts = cluster.members.map((node): Fault => ({ kind: 'clock-drift', node, driftPpm: drift() }));
    return { inject: [...drifts, { kind: 'isolate-leader' }], undo: [...cluster.members.map((node): Fault => ({ kind: 'clock-drift', node, driftPpm: 0 })), { kind: 'heal' }] };
  }
  const isolate = rng.chance(0.5);
  const cutOff: Fault[] = isolate ? [{ kind: 'isolate-leader' }] : [];
  const healed: Fault[] = isolate ? [{ kind: 'heal' }] : [];
  const node = rng.pick(cluster.members);
  return { inject: [{ kind: 'clock-jump', node, deltaUs: rng.intBetween(-CLOCK_JUMP_US_MAX, CLOCK_JUMP_US_MAX) }, ...cutOff], undo: healed };
}
