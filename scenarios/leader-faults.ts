// leader-faults: Jepsen's "kill the primary" and "isolate the primary". The nemesis aims at
// whichever server leads when the fault fires (the world resolves it and the trace records whom),
// so every episode forces a fail-over in the middle of replication, where commit rules,
// durability and read leases are put to the test.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { Scenario } from './scenario';

export const leaderFaults: Scenario = {
  name: 'leader-faults',
  description: 'the current leader is crashed (restarted after 0.1-2 s), crashed with its successor soon after, or cut off, over and over',
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => leaderEpisode(rng), { warmupUs: 2_000_000, holdUsMin: 300_000, holdUsMax: 3_000_000, gapUsMin: 200_000, gapUsMax: 2_000_000 }),
};

export function leaderEpisode(rng: Rng): FaultEpisode {
  const pick = rng.int(3);
  if (pick === 0) return { inject: [{ kind: 'crash-leader', downUs: rng.intBetween(100_000, 2_000_000) }], undo: [] };
  // A cascade: the successor dies too, soon after its election, while it is still bringing the
  // others' logs in line with its own (Raft's Figure 8 is made of such short-lived leaders).
  if (pick === 1) {
    return {
      inject: [{ kind: 'crash-leader', downUs: rng.intBetween(300_000, 2_000_000) }],
      then: { afterUs: rng.intBetween(200_000, 600_000), faults: [{ kind: 'crash-leader', downUs: rng.intBetween(100_000, 1_500_000) }] },
      undo: [],
    };
  }
  return { inject: [{ kind: 'isolate-leader' }], undo: [{ kind: 'heal' }] };
}
