// leader-churn: leaders cut off one after another, each soon after it was elected, the shape of
// Raft's Figure 8 (Ongaro and Ousterhout, §5.4.2). An episode cuts the leader off with a follower
// (what it appends meanwhile reaches that minority only), then watches for its successors and
// cuts each off in turn, with a follower, as soon as it appends its first entry (a client's
// write) or soon after its election, and finally heals. The sequence the paper draws is then a
// matter of course: S1 replicates an entry to a minority and is cut off; S5 is elected without it,
// takes a write of its own and is cut off; S1 or its follower, back among a majority, is elected
// again and replicates the old entry to a majority; it is cut off in turn, and S5's side can elect
// a leader whose log lacks that entry. Only the commit rule decides whether the entry was
// committed in between: a leader counts replicas only for entries of its own term (with the no-op
// at the start of its term to commit the rest), so a correct node never commits it and may lose it.
//
// Why a correct node passes: every fault is a partition that leaves a majority connected, the
// kind of failure Raft is proven safe under (any message loss, any sequence of elections), and
// every episode ends healed, so the run's healing period judges liveness as in any other scenario.
// Check-quorum is off, as in the Raft of the paper: a leader that was cut off lingers until it
// hears of a newer term, so a client bound to it waits out its attempt (1 s) instead of being sent
// at once to the next leader; that gives each successor time to be elected and to bring the
// others' logs in line before the first write reaches it. Leadership safety does not depend on
// check-quorum (the lease is confirmed by heartbeat rounds; stale-leader runs without it too).

import type { Fault, TimedFault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { assert } from '../src/util/assert';
import { faultWindowEndUs, type ClusterShape, type Scenario } from './scenario';

export const leaderChurn: Scenario = {
  name: 'leader-churn',
  description: 'the leader cut off with a follower, then each successor cut off in turn at its first write or soon after its election (Raft Figure 8), check-quorum off',
  settings: { raft: { checkQuorum: false } },
  schedule: (rng, cluster) => leaderChurnSchedule(rng, cluster),
};

const WARMUP_US = 2_000_000;
/** An episode holds long enough for a few successors: each waits out a client's 1 s attempt. */
const HOLD_US_MIN = 2_500_000;
const HOLD_US_MAX = 6_000_000;
const GAP_US_MIN = 500_000;
const GAP_US_MAX = 2_000_000;
/** How many successors an episode cuts off after the first leader. */
const SUCCESSORS_MAX = 3;

export function leaderChurnSchedule(rng: Rng, cluster: ClusterShape): TimedFault[] {
  const windowEndUs = faultWindowEndUs(cluster);
  const followersMax = Math.max(0, Math.floor((cluster.members.length - 1) / 2) - 1);
  const out: TimedFault[] = [];
  let t = WARMUP_US;
  // Bounded: every episode advances time by at least HOLD_US_MIN + GAP_US_MIN.
  while (t < windowEndUs) {
    const healAtUs = Math.min(t + rng.intBetween(HOLD_US_MIN, HOLD_US_MAX), windowEndUs);
    for (const fault of churnEpisode(rng, followersMax, healAtUs - t)) out.push({ atUs: t, fault });
    out.push({ atUs: healAtUs, fault: { kind: 'heal' } });
    t = healAtUs + rng.intBetween(GAP_US_MIN, GAP_US_MAX);
  }
  return out;
}

/** The faults one episode injects at its start; every cut falls within withinUs (before the heal). */
export function churnEpisode(rng: Rng, followersMax: number, withinUs: number): Fault[] {
  assert(withinUs > 0, 'an episode needs time');
  // Mostly as many followers as keep the cut-off side a minority (two holders of the entry out of
  // five are what keeps the three others from electing a leader without it), now and then fewer.
  const followers = (): number => (rng.int(4) === 0 ? rng.int(followersMax + 1) : followersMax);
  const alongFirst = followers();
  const first: Fault = alongFirst > 0 ? { kind: 'isolate-leader', followers: alongFirst } : { kind: 'isolate-leader' };
  const successors = 1 + rng.int(SUCCESSORS_MAX);
  const out: Fault[] = [first];
  for (let nth = 1; nth <= successors; nth++) {
    const onAppend = rng.int(3) !== 0;
    // At its first append, at once (the entry goes nowhere) or a little later (it reaches some);
    // or soon after its election, before or after the clients have found it.
    const afterUs = Math.min(withinUs, onAppend ? (rng.int(4) === 0 ? rng.intBetween(1, 20_000) : 0) : rng.intBetween(0, 300_000));
    const n = followers();
    out.push({ kind: 'isolate-next-leader', nth, trigger: onAppend ? 'append' : 'elected', afterUs, withinUs, ...(n > 0 ? { followers: n } : {}) });
  }
  return out;
}
