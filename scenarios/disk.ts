// disk: on a minority of nodes, one-shot disk faults (fsync EIO, ENOSPC, a bit flip on read, a
// misdirected write) followed by a crash and restart, so that the damage meets recovery; now and
// then a disk is wiped instead, and the node must rejoin as a new member (src/node/identity.ts).

import type { NodeId } from '../src/host/contract';
import type { DiskFaultSpec } from '../sim/nemesis/schedule';
import type { Rng } from '../sim/rng/streams';
import { cycle, randomMinority, type FaultEpisode } from './generate';
import type { Scenario } from './scenario';

const KINDS: readonly DiskFaultSpec['kind'][] = ['fsync-eio', 'enospc', 'bit-flip', 'misdirected-write'];

export const disk: Scenario = {
  name: 'disk',
  description: 'disk faults (fsync EIO, ENOSPC, bit flips, misdirected writes) on a minority, then crash and restart; wiped disks rejoin as new members',
  schedule: (rng, cluster) => {
    // The damaged nodes are chosen once: at most a minority of disks is ever faulty.
    const damaged = randomMinority(rng, cluster.members);
    return cycle(rng, cluster, () => diskEpisode(rng, damaged));
  },
};

/** The first WAL segment (src/storage/layout.ts: wal/<first LSN, 16 digits>.seg): where recovery reads the log. */
export const FIRST_WAL_SEGMENT = 'wal/0000000000000001.seg';

export function diskEpisode(rng: Rng, damaged: readonly NodeId[]): FaultEpisode {
  const node = rng.pick(damaged);
  if (rng.int(4) === 0) return { inject: [{ kind: 'crash', node }, { kind: 'wipe-disk', node }], undo: [{ kind: 'start', node }] };
  const kind = rng.pick(KINDS);
  // A bit flip fires on the next read of its path, and the next read is recovery's: aimed at the
  // WAL half the time (else at whatever is read first), so the log's checksums are put to the test.
  const fault: DiskFaultSpec = kind === 'bit-flip' && rng.chance(0.5) ? { kind, path: FIRST_WAL_SEGMENT } : { kind };
  return { inject: [{ kind: 'disk-fault', node, fault }, { kind: 'crash', node }], undo: [{ kind: 'start', node }] };
}
