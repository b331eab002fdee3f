// election-blackout: the power fails at the moment a leader is elected. An episode kills the
// leader, so that the others elect a successor, and arms a blackout-next-election: 0-3 ms after
// the successor wins, every server loses power, and each restarts 0.2-1 s later from what its disk
// kept. On network storage (fsync 5 ms, a network hop 0.5-1.5 ms) the votes that elected it left
// their voters a millisecond or two before it won, and their fsyncs are still running when the
// power goes. A voter that sent its vote before the vote was durable restarts without it (and
// without the term), so it can vote again in the same term, for someone else: two leaders in one
// term, which the Raft monitor's election safety catches. power-loss exposes the same window, but
// only when a blackout it times at random happens to fall into it (rarely: a 5 ms window in
// seconds); this scenario aims at it.
//
// Why a correct node passes: its vote and term are on disk before its grant is sent, so the cut
// takes nothing any other node has seen; a power loss of every node at once is a crash Raft
// survives. Every server is up again 1 s after the cut, and every episode is over (the old leader
// restarted too) before the fault window ends, so liveness is judged in the healing period as in
// any other scenario.

import type { TimedFault } from '../sim/nemesis/schedule';
import type { FaultEpisode } from './generate';
import type { Rng } from '../sim/rng/streams';
import { NETWORK_STORAGE_DISK } from './power-loss';
import { faultWindowEndUs, type ClusterShape, type Scenario } from './scenario';

export const electionBlackout: Scenario = {
  name: 'election-blackout',
  description: 'the leader is killed and, 0-3 ms after its successor is elected, every node loses power, restarting 0.2-1 s later; disks are network storage (fsync 5 ms)',
  settings: { diskLatency: NETWORK_STORAGE_DISK },
  schedule: (rng, cluster) => electionBlackoutSchedule(rng, cluster),
};

const WARMUP_US = 2_000_000;
/** The cut falls within this much of the kill, or the watch gives up (an election takes 0.15-0.6 s). */
const WATCH_US = 1_500_000;
/** After the successor's election: before the fsyncs of its votes (5 ms) can have completed. */
const CUT_AFTER_US_MAX = 3_000;
const DOWN_US_MIN = 200_000;
const DOWN_US_MAX = 1_000_000;
/** The killed leader's own restart, after the blackout's (a start of a node that is up is skipped). */
const OLD_LEADER_DOWN_US_MIN = 2_000_000;
const OLD_LEADER_DOWN_US_MAX = 3_000_000;
/** The longest an episode lasts: every node it took down is up again by then. */
const EPISODE_US = Math.max(WATCH_US + DOWN_US_MAX, OLD_LEADER_DOWN_US_MAX);
const GAP_US_MIN = 500_000;
const GAP_US_MAX = 2_000_000;

export function electionBlackoutSchedule(rng: Rng, cluster: ClusterShape): TimedFault[] {
  const windowEndUs = faultWindowEndUs(cluster);
  const out: TimedFault[] = [];
  // Bounded: every episode advances time by at least EPISODE_US + GAP_US_MIN.
  for (let t = WARMUP_US; t + EPISODE_US <= windowEndUs; t += EPISODE_US + rng.intBetween(GAP_US_MIN, GAP_US_MAX)) {
    for (const fault of electionBlackoutEpisode(rng).inject) out.push({ atUs: t, fault });
  }
  return out;
}

/** One episode, at one instant: the leader killed, and the blackout armed for its successor's election (random draws these too). */
export function electionBlackoutEpisode(rng: Rng): FaultEpisode {
  return {
    inject: [
      { kind: 'crash-leader', downUs: rng.intBetween(OLD_LEADER_DOWN_US_MIN, OLD_LEADER_DOWN_US_MAX) },
      { kind: 'blackout-next-election', afterUs: rng.intBetween(0, CUT_AFTER_US_MAX), withinUs: WATCH_US, downUs: rng.intBetween(DOWN_US_MIN, DOWN_US_MAX) },
    ],
    // Every node is started again by the episode's own faults.
    undo: [],
    spanUs: EPISODE_US,
  };
}
