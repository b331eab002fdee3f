// stale-leader: the current leader is cut off from the other servers (clients still reach it)
// and, with check-quorum off as in a Raft without it, keeps believing it leads until the network
// heals. Reads it is asked meanwhile must be refused or confirmed: only ReadIndex and the lease
// stand between a deposed leader and a stale read.

import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const staleLeader: Scenario = {
  name: 'stale-leader',
  description: 'the leader is cut off (clients still reach it, one only it) with check-quorum off, so a deposed leader lingers for 3-8 s',
  settings: { raft: { checkQuorum: false } },
  // Long holds: a client beside the deposed leader spends its first seconds timing out a write.
  schedule: (rng, cluster) => cycle(rng, cluster, () => staleLeaderEpisode(rng, cluster), { warmupUs: 2_000_000, holdUsMin: 3_000_000, holdUsMax: 8_000_000, gapUsMin: 500_000, gapUsMax: 2_000_000 }),
};

/** A client stays beside the deposed leader (the only server it can reach), as a client bound to its node. */
export function staleLeaderEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const clients = cluster.clients ?? [];
  const beside = clients.length > 0 ? [rng.pick(clients)] : [];
  return { inject: [beside.length > 0 ? { kind: 'isolate-leader', clients: beside } : { kind: 'isolate-leader' }], undo: [{ kind: 'heal' }] };
}
