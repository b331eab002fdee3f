// membership: the cluster starts with three voters and two spare servers; operators add spares as
// learners, promote them once caught up, and remove voters (the leader among them, when the draw
// picks it), all through joint consensus while clients keep working. The generator tracks the
// membership it asked for; a request the leader refuses (a change already in progress, a learner
// not caught up) simply leaves the cluster as it was, which the next requests take in their stride.

import type { NodeId } from '../src/host/contract';
import type { TimedFault } from '../sim/nemesis/schedule';
import { assert } from '../src/util/assert';
import { faultWindowEndUs, type Scenario } from './scenario';

const INITIAL_VOTERS = 3;

export const membership: Scenario = {
  name: 'membership',
  description: 'three voters and two spares: learners added and promoted, voters (the leader included) removed, by joint consensus',
  settings: { initialVoters: INITIAL_VOTERS },
  schedule: (rng, cluster) => {
    assert(cluster.members.length >= INITIAL_VOTERS, 'membership needs at least three servers');
    let voters: NodeId[] = cluster.members.slice(0, INITIAL_VOTERS);
    let spares: NodeId[] = cluster.members.slice(INITIAL_VOTERS);
    const out: TimedFault[] = [];
    const endUs = faultWindowEndUs(cluster);
    // Bounded: each step moves time forward by at least 1.5 s.
    for (let t = 2_000_000; t < endUs - 1_500_000; t += rng.intBetween(1_500_000, 3_000_000)) {
      if (spares.length > 0 && (voters.length <= INITIAL_VOTERS || rng.chance(0.5))) {
        const added = rng.pick(spares);
        out.push({ atUs: t, fault: { kind: 'change-membership', voters, learners: [added] } });
        voters = [...voters, added];
        spares = spares.filter((s) => s !== added);
        out.push({ atUs: t + 1_000_000, fault: { kind: 'change-membership', voters, learners: [] } });
      } else {
        const removed = rng.pick(voters);
        voters = voters.filter((v) => v !== removed);
        spares = [...spares, removed];
        out.push({ atUs: t, fault: { kind: 'change-membership', voters, learners: [] } });
      }
    }
    return out;
  },
};
