// leader-faults: Jepsen's "kill the primary" and "isolate the primary". The nemesis aims at
// whichever server leads when the fault fires (the world resolves it and the trace records whom),
// so every episode forces a fail-over in the middle of replication, where commit rules,
// durability and read leases are put to the test.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { Scenario } from './scenario';

export const leaderFaults: Scenario = {
  name: 'leader-faults',
  description: 'the current leader is crashed (restarted after 0.1-2 s) or cut off, over and over',
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => leaderEpisode(rng), { warmupUs: 2_000_000, holdUsMin: 300_000, holdUsMax: 3_000_000, gapUsMin: 200_000, gapUsMax: 2_000_000 }),
};

export function leaderEpisode(rng: Rng): FaultEpisode {
  if (rng.chance(0.5)) return { inject: [{ kind: 'crash-leader', downUs: rng.intBetween(100_000, 2_000_000) }], undo: [] };
  return { inject: [{ kind: 'isolate-leader' }], undo: [{ kind: 'heal' }] };
}
