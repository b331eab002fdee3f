// power-loss: the whole cluster loses power in one instant (a rack, a data centre), sometimes
// just after its leader was killed, so mid-election; every node restarts from what its disk
// kept. Only what was fsync'd survives, so whatever was acknowledged (a vote, an appended entry,
// a client's write) before it was durable is exposed.

import type { DiskLatencyConfig } from '../sim/disk/config';
import type { Fault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

/**
 * An fsync slower than a network hop, as on network-attached storage: whatever a node lets out
 * before its fsync completes is out for milliseconds, not microseconds, before it is durable.
 */
export const NETWORK_STORAGE_DISK: DiskLatencyConfig = { baseUs: 200, jitterUs: 300, fsyncUs: 5_000 };

export const powerLoss: Scenario = {
  name: 'power-loss',
  description: 'every node loses power at once (sometimes just after the leader was killed) and restarts from disk 0.2-2 s later; disks are network storage (fsync 5 ms)',
  settings: { diskLatency: NETWORK_STORAGE_DISK },
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => powerLossEpisode(rng, cluster), { warmupUs: 2_000_000, holdUsMin: 200_000, holdUsMax: 2_000_000, gapUsMin: 300_000, gapUsMax: 2_500_000 }),
};

function powerLossEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const blackout = cluster.members.map((node): Fault => ({ kind: 'crash', node }));
  const restart = cluster.members.map((node): Fault => ({ kind: 'start', node }));
  if (rng.chance(0.5)) return { inject: blackout, undo: restart };
  // Kill the leader, then cut the power while the others elect its successor (votes in flight to
  // disk). The killed leader's own restart comes after the others' (a crash of a down node is skipped).
  return { inject: [{ kind: 'crash-leader', downUs: rng.intBetween(3_000_000, 5_000_000) }], then: { afterUs: rng.intBetween(150_000, 450_000), faults: blackout }, undo: restart };
}
