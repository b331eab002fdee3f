// stale-leader: the current leader is cut off from the other servers (clients still reach it)
// and, with check-quorum off as in a Raft without it, keeps believing it leads until the network
// heals. Reads it is asked meanwhile must be refused or confirmed: only ReadIndex and the lease
// stand between a deposed leader and a stale read.

import { cycle } from './generate';
import type { Scenario } from './scenario';

export const staleLeader: Scenario = {
  name: 'stale-leader',
  description: 'the leader is cut off (clients still reach it) with check-quorum off, so a deposed leader lingers for 1-5 s',
  settings: { raft: { checkQuorum: false } },
  schedule: (rng, cluster) => cycle(rng, cluster, () => ({ inject: [{ kind: 'isolate-leader' }], undo: [{ kind: 'heal' }] })),
};
