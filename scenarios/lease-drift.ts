// lease-drift: the worst clock drift the lease margin must cover, aimed where it hurts, over and
// over. Each episode sets every server's clock 5 % fast, then the current leader's 5 % slow, and
// cuts that leader off from the other servers (clients keep every link): the old leader times its
// lease on a slow clock while the voters behind it time their vote refusal on fast ones, and the
// first of them to time out campaigns at once. Episodes are short (a new leader is elected within
// two election timeouts), so a run holds a dozen of them, each a fresh chance for the two leases
// to overlap.
//
// Why a correct node passes. Let T be electionTimeoutMinUs, b the node's clockDriftBound (10 %)
// and d = 5 % the drift, never exceeded here (every drift is +-CLOCK_DRIFT_PPM_BOUND or 0; there
// are no clock jumps, and the lease and the vote refusal are timed on the monotonic clock anyway).
// The old leader's lease runs (1 - b) T on its lease clock from when it SENT the round a quorum Q1
// confirmed; on a clock never slower than 1 - d that is at most (1 - b) T / (1 - d) true time. A
// new leader needs the votes of a quorum Q2, and the pre-votes before them; Q1 and Q2 share a
// voter, which RECEIVED that round after it was sent and refuses both for T on a clock never
// faster than 1 + d, at least T / (1 + d) true time (if that voter is the candidate itself, its
// election timer, reset by the same message, fires no sooner than T on the same clock; there are
// no leadership transfers here, the one case that skips the refusal). A new lease can only begin after the
// election, so the leases never overlap while (1 - b)(1 + d) <= 1 - d, i.e. d <= b / (2 - b) =
// 5.26 %, which 5 % is within (see scenarios/clock-skew.ts). Setting the drifts back to zero
// mid-lease only moves each clock's rate towards 1, inside the same bounds. Check-quorum may only
// end the old leadership earlier. Nothing else is faulty: disks, network delivery and the
// election timeouts are the defaults.
//
// Why the planted bug lease-without-drift-margin fails it: with no margin the lease is T on a
// clock 5 % slow, T / 0.95 = 1.053 T true, while the voters' refusal ends T / 1.05 = 0.952 T after
// they received the round: a window of about 0.1 T (15 ms for T = 150 ms), in which a voter whose
// randomised timeout was drawn near T wins pre-vote and vote and confirms its own lease (a few
// network round trips) while the old leader still believes its lease. The raft-invariants
// monitor's lease safety fails as soon as two nodes hold a valid lease at the same true time.

import type { Fault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { CLOCK_DRIFT_PPM_BOUND } from './clock-skew';
import { cycle, type CycleOptions, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

/**
 * Short episodes: an isolated leader is replaced within two election timeouts (0.3 s by
 * default), so a hold of 0.5-1 s sees the whole fail-over; the gap lets the old leader rejoin as a
 * follower and the new one settle before the next episode aims at it.
 */
export const LEASE_DRIFT_CYCLE: CycleOptions = { warmupUs: 2_000_000, holdUsMin: 500_000, holdUsMax: 1_000_000, gapUsMin: 300_000, gapUsMax: 800_000 };

export const leaseDrift: Scenario = {
  name: 'lease-drift',
  description: `the leader's clock ${CLOCK_DRIFT_PPM_BOUND / 1e4} % slow, every other ${CLOCK_DRIFT_PPM_BOUND / 1e4} % fast (the bound the lease margin covers), then the leader cut off; short episodes, over and over`,
  schedule: (rng, cluster) => cycle(rng, cluster, () => leaseDriftEpisode(cluster), LEASE_DRIFT_CYCLE),
};

/** Every server fast, then the leader (resolved when the fault fires) slow and cut off; undone: every drift zero, network healed. */
export function leaseDriftEpisode(cluster: ClusterShape): FaultEpisode {
  const fast = cluster.members.map((node): Fault => ({ kind: 'clock-drift', node, driftPpm: CLOCK_DRIFT_PPM_BOUND }));
  const steady = cluster.members.map((node): Fault => ({ kind: 'clock-drift', node, driftPpm: 0 }));
  // Same instant, in this order: the leader that is slowed is the leader that is cut off.
  return { inject: [...fast, { kind: 'clock-drift-leader', driftPpm: -CLOCK_DRIFT_PPM_BOUND }, { kind: 'isolate-leader' }], undo: [...steady, { kind: 'heal' }] };
}
