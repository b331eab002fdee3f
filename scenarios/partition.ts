// partition: the network splits in every shape the simulator knows (majority/minority, one node
// isolated, a bridge node hearing both halves, a ring, a one-way cut) and heals, over and over.

import type { NodeId } from '../src/host/contract';
import { unreachable } from '../src/util/assert';
import type { PartitionSpec } from '../sim/net/partitions';
import type { Rng } from '../sim/rng/streams';
import { cycle, randomMinority, type FaultEpisode } from './generate';
import type { ClusterShape, Scenario } from './scenario';

export const partition: Scenario = {
  name: 'partition',
  description: 'network partitions of every shape (majority/minority, isolate, bridge, ring, one-way), each healed',
  schedule: (rng, cluster) => cycle(rng, cluster, () => partitionEpisode(rng, cluster)),
};

export function partitionEpisode(rng: Rng, cluster: ClusterShape): FaultEpisode {
  return { inject: [{ kind: 'partition', spec: randomPartition(rng, cluster.members, cluster.clients ?? []) }], undo: [{ kind: 'heal' }] };
}

type Shape = PartitionSpec['shape'];

/** A random partition; with clients, a minority sometimes takes one along (a client beside its node). */
export function randomPartition(rng: Rng, members: readonly NodeId[], clients: readonly NodeId[] = []): PartitionSpec {
  const shapes: Shape[] = ['majority-minority', 'isolate', 'bridge', 'one-way'];
  if (members.length >= 4) shapes.push('ring');
  const shape = rng.pick(shapes);
  const shuffled = rng.shuffled(members);
  switch (shape) {
    case 'majority-minority': {
      const minority = randomMinority(rng, members);
      return clients.length > 0 && rng.chance(0.5) ? { shape, minority, minorityClients: [rng.pick(clients)] } : { shape, minority };
    }
    case 'isolate':
      return { shape, node: shuffled[0] as NodeId };
    case 'bridge': {
      const half = Math.floor((members.length - 1) / 2);
      return { shape, bridge: shuffled[0] as NodeId, left: shuffled.slice(1, 1 + half), right: shuffled.slice(1 + half) };
    }
    case 'one-way': {
      const cut = 1 + rng.int(members.length - 1);
      return { shape, from: shuffled.slice(0, cut), to: shuffled.slice(cut) };
    }
    case 'ring':
      return { shape, order: shuffled };
    case 'groups':
      return { shape, groups: [shuffled.slice(0, 1), shuffled.slice(1)] };
    default:
      return unreachable(shape, 'partition shape');
  }
}
