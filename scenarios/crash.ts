// crash: nodes lose power (a minority at a time) and come back from whatever their disks kept.

import type { Fault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, randomMinority, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const crash: Scenario = {
  name: 'crash',
  description: 'a minority of nodes crash (power loss: unsynced writes lost, kept or torn) and restart from disk',
  schedule: (rng, cluster) => cycle(rng, cluster, () => crashEpisode(rng, cluster)),
};

export function crashEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const victims = randomMinority(rng, cluster.members);
  return {
    inject: victims.map((node): Fault => ({ kind: 'crash', node })),
    undo: victims.map((node): Fault => ({ kind: 'start', node })),
  };
}
