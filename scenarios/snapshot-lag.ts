// snapshot-lag: a follower on a slow link lags its leader, so the leader, which compacts its log
// often, keeps sending it InstallSnapshot for a prefix the follower's log already holds (its
// acknowledgements were still on the way when the leader compacted and probed it again). Every
// link duplicates and reorders messages. Over that, a zone fails: two of the other followers lose
// power at once, and a moment later the leader and the one follower left beside it are cut off
// from the rest, while the two crashed servers come back on the side of the slow follower.
//
// Why a correct node passes: every fault stays within what Raft tolerates for safety. At most
// two of five servers are ever down, disks survive every crash (fsync'd data is kept), messages
// are delayed, duplicated and reordered but never corrupted, and the partition leaves a majority
// (the slow follower and the two restarted servers) able to elect. Whatever was committed before
// the partition is on a majority that includes one of that side's servers, so its new leader has
// it (Leader Completeness) -- unless a follower dropped entries it had acknowledged. That is what
// the scenario is built to expose: when the two followers go down, the entries after the last one
// they stored can only commit with the slow follower's acknowledgement; if installing a snapshot
// then discards those entries from the slow follower's log (Raft §7 says keep a matching suffix),
// the only copies are on the side that the partition cuts away.
//
// The slow server is the last member; the generator draws the zone from the others.

import type { NodeId } from '../src/host/contract';
import type { Fault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario, ScenarioNetworkSettings } from './scenario';

/** Every link: duplication and reordering (up to 20 ms extra), as on a congested network. */
const NOISY_LINK = { duplicateProbability: 0.05, reorderProbability: 0.1, reorderDelayUsMax: 20_000 };

/** The slow follower's links, both ways: 20-40 ms a hop, well inside SWIM's 400 ms probe timeout. */
const SLOW_LINK = { ...NOISY_LINK, latency: { baseUs: 20_000, jitterUs: 20_000 } };

export function snapshotLagNetwork(members: readonly NodeId[]): ScenarioNetworkSettings {
  const slow = members[members.length - 1];
  const links = slow === undefined ? [] : members.filter((m) => m !== slow).flatMap((m) => [
    { from: m, to: slow, link: SLOW_LINK },
    { from: slow, to: m, link: SLOW_LINK },
  ]);
  return { defaultLink: NOISY_LINK, links };
}

export const snapshotLag: Scenario = {
  name: 'snapshot-lag',
  description: 'a follower on a slow link gets InstallSnapshot for entries it holds; logs compacted every 16 entries; dup/reorder; two followers crash, then the leader side is cut off',
  settings: { raft: { snapshotThresholdEntries: 16, inflightAppendsMax: 2 }, network: snapshotLagNetwork },
  schedule: (rng, cluster) =>
    cycle(rng, cluster, () => zoneFailure(rng, cluster), { warmupUs: 2_000_000, holdUsMin: 800_000, holdUsMax: 2_000_000, gapUsMin: 500_000, gapUsMax: 1_500_000 }),
};

/**
 * Crash a minority of the fast servers; after 10-150 ms cut the remaining fast servers (the
 * leader among them, usually) off from the slow one and restart the crashed ones on its side.
 */
function zoneFailure(rng: Rng, cluster: ClusterShape): FaultEpisode {
  const slow = cluster.members[cluster.members.length - 1];
  const fast = cluster.members.slice(0, -1);
  const crashCount = Math.floor((cluster.members.length - 1) / 2);
  if (slow === undefined || crashCount === 0 || fast.length <= crashCount) return { inject: [], undo: [] };
  const shuffled = rng.shuffled(fast);
  const crashed = shuffled.slice(0, crashCount).sort();
  const kept = shuffled.slice(crashCount).sort();
  const crash = crashed.map((node): Fault => ({ kind: 'crash', node }));
  const restart = crashed.map((node): Fault => ({ kind: 'start', node }));
  const cut: Fault = { kind: 'partition', spec: { shape: 'groups', groups: [kept, [...crashed, slow]] } };
  // The undo restarts them too (a start of a server that is up is skipped), in case the window
  // closes before the partition comes.
  return { inject: crash, then: { afterUs: rng.intBetween(50_000, 300_000), faults: [cut, ...restart] }, undo: [{ kind: 'heal' }, ...restart] };
}
