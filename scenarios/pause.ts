// pause: processes freeze (a GC stall, SIGSTOP) for up to several election timeouts, long enough
// for a paused leader's lease to run out while it still believes it leads, then resume.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const pause: Scenario = {
  name: 'pause',
  description: 'processes stall (GC pause, SIGSTOP) for 0.2-4 s, then resume with their stale view',
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => pauseEpisode(rng, cluster), { warmupUs: 2_000_000, holdUsMin: 200_000, holdUsMax: 4_000_000, gapUsMin: 500_000, gapUsMax: 3_000_000 }),
};

export function pauseEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const node = rng.pick(cluster.members);
  return { inject: [{ kind: 'pause', node }], undo: [{ kind: 'resume', node }] };
}
