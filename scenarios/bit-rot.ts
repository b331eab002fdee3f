// bit-rot: a bit flipped in what recovery reads back of the WAL. On a minority of nodes, chosen
// once, each episode arms a one-shot bit flip on the next read of the first WAL segment and then
// crashes the node, so that the read is recovery's; the node restarts when the episode ends. The
// flip lands anywhere in the segment: in a record's header, its payload, or its checksum. A
// recovery that checks every record's checksum refuses the damaged record; one that skips the
// payload's check replays an entry that no other node has, and the Raft monitor's state-machine
// safety sees the two apply different commands at one index. The disk scenario arms the same flip
// in 3 episodes of 32, among its other faults (3 of its first 30 seeds catch that bug, against 17
// here); here every episode is one.
//
// Why a correct node passes: a record whose checksum fails is never taken as valid. The stored
// bytes stay intact (the flip is on the read), so recovery reads a file that looks damaged once
// more, finds it clean and starts; damage that stayed would fail it closed (src/storage/recovery.ts).
// At most a minority is ever damaged, so a majority stays whole and the cluster stays live.

import type { Rng } from '../sim/rng/streams';
import { FIRST_WAL_SEGMENT } from './disk';
import { cycle, randomMinority, type FaultEpisode } from './generate';
import type { NodeId } from '../src/host/contract';
import type { Scenario } from './scenario';

export const bitRot: Scenario = {
  name: 'bit-rot',
  description: 'a bit flipped in the WAL as recovery reads it back, on a minority of nodes, each time after a crash; restarted',
  schedule: (rng, cluster) => {
    const damaged = randomMinority(rng, cluster.members);
    return cycle(rng, cluster, () => bitRotEpisode(rng, damaged));
  },
};

export function bitRotEpisode(rng: Rng, damaged: readonly NodeId[]): FaultEpisode {
  const node = rng.pick(damaged);
  return { inject: [{ kind: 'disk-fault', node, fault: { kind: 'bit-flip', path: FIRST_WAL_SEGMENT } }, { kind: 'crash', node }], undo: [{ kind: 'start', node }] };
}
