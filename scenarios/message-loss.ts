// message-loss: a flaky network (Jepsen's packet loss, as tc netem makes it). In each episode
// messages are lost at random, either on every link (5-30 %: elections, replication and client
// traffic all retried) or only on the servers' answers to the clients (20-60 %: the request got
// through and was applied, the client never hears so, and retries). The second is where a client
// retry must be recognised as the request already applied, by its session and serial; a retry
// under a new serial is applied twice. Every episode ends the loss.
//
// Why a correct node passes: Raft tolerates any message loss (retransmission by heartbeats and
// retried RPCs), and a retried client request is applied exactly once by session dedup; loss ends
// with every episode, so liveness is judged in the healing period as in any other scenario.

import type { LinkName } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const messageLoss: Scenario = {
  name: 'message-loss',
  description: 'messages lost at random, on every link (5-30 %) or on the servers\' answers to clients (20-60 %), in episodes, each ended',
  schedule: (rng, cluster) => cycle(rng, cluster, () => messageLossEpisode(rng, cluster)),
};

export function messageLossEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const clients = cluster.clients ?? [];
  if (clients.length === 0 || rng.chance(0.5)) {
    return { inject: [{ kind: 'link-loss', probability: lossBetween(rng, 5, 30) }], undo: [{ kind: 'link-loss-end' }] };
  }
  const answers: LinkName[] = cluster.members.flatMap((from) => clients.map((to) => ({ from, to })));
  return { inject: [{ kind: 'link-loss', probability: lossBetween(rng, 20, 60), links: answers }], undo: [{ kind: 'link-loss-end' }] };
}

/** A loss probability between lo and hi per cent, in whole per cent (so the schedule reads plainly). */
function lossBetween(rng: Rng, lo: number, hi: number): number {
  return rng.intBetween(lo, hi) / 100;
}
