// clock-skew: clocks run fast or slow within a drift bound and jump forward and backward; every
// drift is set back to zero when its episode ends (the offsets stay, as after an NTP step).

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

/** The drift bound the node is configured with (see the Raft lease margin). */
export const CLOCK_DRIFT_PPM_BOUND = 10_000;
export const CLOCK_JUMP_US_MAX = 2_000_000;

export const clockSkew: Scenario = {
  name: 'clock-skew',
  description: `clock drift within +-${CLOCK_DRIFT_PPM_BOUND} ppm and jumps of up to +-${CLOCK_JUMP_US_MAX / 1e6} s forward and backward`,
  schedule: (rng, cluster) => cycle(rng, cluster, () => clockEpisode(rng, cluster)),
};

export function clockEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const node = rng.pick(cluster.members);
  if (rng.chance(0.5)) {
    const driftPpm = rng.intBetween(-CLOCK_DRIFT_PPM_BOUND, CLOCK_DRIFT_PPM_BOUND);
    return { inject: [{ kind: 'clock-drift', node, driftPpm }], undo: [{ kind: 'clock-drift', node, driftPpm: 0 }] };
  }
  return { inject: [{ kind: 'clock-jump', node, deltaUs: rng.intBetween(-CLOCK_JUMP_US_MAX, CLOCK_JUMP_US_MAX) }], undo: [] };
}
