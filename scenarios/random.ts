// random: swarm testing. Each seed switches on a random subset of every fault kind (partitions,
// crashes, pauses, clock faults, disk faults) and mixes them, so that across seeds every
// combination gets its turn and no single kind drowns the others out.

import { clockEpisode } from './clock-skew';
import { crashEpisode } from './crash';
import { diskEpisode } from './disk';
import { cycle, randomMinority, type FaultEpisode } from './generate';
import { partitionEpisode } from './partition';
import { pauseEpisode } from './pause';
import type { Scenario } from './scenario';

const KINDS = ['partition', 'crash', 'pause', 'clock', 'disk'] as const;

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
    };
    return cycle(rng, cluster, () => episodes[rng.pick(enabled)]());
  },
};
