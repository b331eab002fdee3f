// leader-transfer: operators move leadership around (TimeoutNow) and shut nodes down gracefully
// (hand leadership over, drain, stop, start again later) while clients keep working.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const leaderTransfer: Scenario = {
  name: 'leader-transfer',
  description: 'leadership handed over by TimeoutNow, and graceful shutdowns (transfer, drain, stop, restart)',
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => handover(rng, cluster), { warmupUs: 2_000_000, holdUsMin: 500_000, holdUsMax: 3_000_000, gapUsMin: 500_000, gapUsMax: 2_000_000 }),
};

function handover(rng: Rng, cluster: ClusterShape): FaultEpisode {
  if (rng.chance(0.5)) return { inject: [{ kind: 'transfer-leadership' }], undo: [] };
  const node = rng.pick(cluster.members);
  return { inject: [{ kind: 'shutdown', node, drainUs: 300_000 }], undo: [{ kind: 'start', node }] };
}
