// swim: the faults a membership protocol must see through. Some members crash for good (every
// live member must declare them dead), others crash and restart with no memory, the network
// splits and heals, processes stall and resume. The run ends with a quiet tail long enough for
// the views to settle (twice the settling estimate of the swim system's configuration), so
// convergence can be judged. Messages are lost for a while (every link, or the links of one
// member), so accuracy is judged under loss: false suspicions must be refuted, and their rate is
// reported. Constant loss is a network setting: --config (network.defaultLink.lossProbability).

import type { NodeId } from '../src/host/contract';
import { detectionEstimateUs, settleEstimateUs, swimBounds } from '../sim/membership/bounds';
import { SIM_SWIM_CONFIG } from '../sim/membership/swim-system';
import type { Fault, TimedFault } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, DEFAULT_CYCLE, randomMinority, type FaultEpisode } from './generate';
import { randomPartition } from './partition';
import { HEAL_PERIOD_US, type ClusterShape, type Scenario } from './scenario';

/** How lossy a loss episode is: from a flaky path to a badly congested one. */
const LOSS_PROBABILITIES: readonly number[] = [0.05, 0.1, 0.2];

export const swim: Scenario = {
  name: 'swim',
  description: 'membership faults: permanent crashes, crash-restarts, partitions healed, pauses, message loss; a quiet tail to judge SWIM convergence',
  schedule: (rng, cluster) => swimSchedule(rng, cluster),
};

/** The fault-free tail of a swim run: twice the settling estimate, and never less than the system's healing period. */
export function swimQuietUs(members: number, systemQuietUs: number = HEAL_PERIOD_US): number {
  return Math.max(systemQuietUs, 2 * settleEstimateUs(SIM_SWIM_CONFIG, swimBounds(SIM_SWIM_CONFIG, members)));
}

export function swimSchedule(rng: Rng, cluster: ClusterShape): TimedFault[] {
  const { members, durationUs } = cluster;
  const quietUs = swimQuietUs(members.length, cluster.quietUs);
  const windowEndUs = durationUs - quietUs;
  if (members.length < 3 || windowEndUs <= DEFAULT_CYCLE.warmupUs) return [];
  // Permanent crashes first, early enough that detection can be judged before the run ends.
  const permanent = rng.shuffled(members).slice(0, Math.max(1, Math.floor(members.length / 5)));
  const detectionUs = detectionEstimateUs(SIM_SWIM_CONFIG, swimBounds(SIM_SWIM_CONFIG, members.length));
  const latestCrashUs = Math.min(windowEndUs, durationUs - 2 * detectionUs);
  const out: TimedFault[] = [];
  for (const node of permanent) {
    if (latestCrashUs >= DEFAULT_CYCLE.warmupUs) out.push({ atUs: rng.intBetween(DEFAULT_CYCLE.warmupUs, latestCrashUs), fault: { kind: 'crash', node } });
  }
  const others = members.filter((m) => !permanent.includes(m));
  // cycle() stops quietUs before the end of the shape it is given: end its window at ours.
  const window: ClusterShape = { members, durationUs, quietUs };
  out.push(...cycle(rng, window, () => swimEpisode(rng, members, others)));
  // Stable: faults at the same instant keep the order they were generated in.
  return out.sort((a, b) => a.atUs - b.atUs);
}

export function swimEpisode(rng: Rng, members: readonly NodeId[], others: readonly NodeId[]): FaultEpisode {
  switch (rng.int(4)) {
    case 0: {
      const victims = randomMinority(rng, others);
      return { inject: victims.map((node): Fault => ({ kind: 'crash', node })), undo: victims.map((node): Fault => ({ kind: 'start', node })) };
    }
    case 1:
      return { inject: [{ kind: 'partition', spec: randomPartition(rng, members) }], undo: [{ kind: 'heal' }] };
    case 2: {
      const node = rng.pick(others);
      return { inject: [{ kind: 'pause', node }], undo: [{ kind: 'resume', node }] };
    }
    default: {
      const probability = rng.pick(LOSS_PROBABILITIES);
      if (rng.int(2) === 0) return { inject: [{ kind: 'link-loss', probability }], undo: [{ kind: 'link-loss-end' }] };
      const node = rng.pick(members);
      const links = members.filter((m) => m !== node).flatMap((m) => [{ from: node, to: m }, { from: m, to: node }]);
      return { inject: [{ kind: 'link-loss', probability, links }], undo: [{ kind: 'link-loss-end' }] };
    }
  }
}
