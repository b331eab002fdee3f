// snapshot: nodes compact their logs every 64 entries, and a follower is cut off (crashed or
// isolated) for long enough to fall behind the compacted prefix, so that it can only catch up by
// InstallSnapshot; the cache's state, sessions included, must come through whole.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const snapshot: Scenario = {
  name: 'snapshot',
  description: 'logs compacted every 64 entries; a follower cut off for 2-6 s catches up by InstallSnapshot',
  settings: { raft: { snapshotThresholdEntries: 64 } },
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => laggingFollower(rng, cluster), { warmupUs: 2_000_000, holdUsMin: 2_000_000, holdUsMax: 6_000_000, gapUsMin: 1_000_000, gapUsMax: 3_000_000 }),
};

function laggingFollower(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const node = rng.pick(cluster.members);
  return rng.chance(0.5)
    ? { inject: [{ kind: 'crash', node }], undo: [{ kind: 'start', node }] }
    : { inject: [{ kind: 'partition', spec: { shape: 'isolate', node } }], undo: [{ kind: 'heal' }] };
}
