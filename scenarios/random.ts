// random: swarm testing. Each seed switches on a random subset of every fault kind (partitions,
// message loss, crashes, pauses, clock faults, disk faults, and the faults aimed at the leader: killed or cut
// off, cut off beside a client, slowed at the drift bound or stepped back while it is cut off,
// killed with every node's power cut at its successor's election) and mixes them,
// so that across seeds every combination gets its turn and no single kind drowns the others out.

import { clockEpisode } from './clock-skew';
import { crashEpisode } from './crash';
import { diskEpisode } from './disk';
import { electionBlackoutEpisode } from './election-blackout';
import { leaderEpisode } from './leader-faults';
import { leaseDriftEpisode } from './lease-drift';
import { leaderClockStepEpisode } from './leader-clock-step';
import { staleLeaderEpisode } from './stale-leader';
import { cycle, randomMinority, type FaultEpisode } from './generate';
import { partitionEpisode } from './partition';
import { messageLossEpisode } from './message-loss';
import { pauseEpisode } from './pause';
import type { Scenario } from './scenario';

const KINDS = ['partition', 'crash', 'pause', 'clock', 'disk', 'leader', 'stale-leader', 'lease-drift', 'election-blackout', 'message-loss', 'leader-clock-step'] as const;

export const random: Scenario = {
  name: 'random',
  description: 'swarm testing: a seeded subset of all fault kinds at once',
  schedule: (rng, cluster) => {
    const enabled = KINDS.filter(() => rng.chance(0.5));
    if (enabled.length === 0) enabled.push(rng.pick(KINDS));
    const damaged = randomMinority(rng, cluster.members);
    const episodes: Record<(typeof KINDS)[number], () => FaultEpisode> = {
      partition: () => partitionEpisode(rng, cluster),
      crash: () => crashEpisode(rng, cluster),
      pause: () => pauseEpisode(rng, cluster),
      clock: () => clockEpisode(rng, cluster),
      disk: () => diskEpisode(rng, damaged),
      leader: () => leaderEpisode(rng),
      'stale-leader': () => staleLeaderEpisode(rng, cluster),
      'lease-drift': () => leaseDriftEpisode(cluster),
      'election-blackout': () => electionBlackoutEpisode(rng),
      'message-loss': () => messageLossEpisode(rng, cluster),
      'leader-clock-step': () => leaderClockStepEpisode(rng),
    };
    return cycle(rng, cluster, () => episodes[rng.pick(enabled)]());
  },
};
