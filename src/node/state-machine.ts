// The replicated state machine a replica applies committed entries to. The cache (src/cache) is
// the real one; ChainStateMachine is the smallest honest one: it folds every applied command into
// a running hash, so two replicas that applied the same commands in the same order hold the same
// digest, and its snapshot is that digest and count.

import { assert } from '../util/assert';
import type { LogEntry } from '../raft/types';

export interface ReplicatedStateMachine {
  /** Applies one committed entry (commands only) and returns the result for its client. */
  apply(entry: LogEntry): Uint8Array;
  /** An image of everything applied so far. */
  snapshot(): Uint8Array;
  /** Replaces the state with a snapshot image. */
  restore(image: Uint8Array): void;
}

export class ChainStateMachine implements ReplicatedStateMachine {
  private digest = 0x811c9dc5;
  private count = 0;

  apply(entry: LogEntry): Uint8Array {
    let h = this.digest;
    for (let i = 0; i < entry.data.length; i++) h = Math.imul(h ^ (entry.data[i] as number), 0x01000193);
    this.digest = Math.imul(h ^ (entry.index & 0xff), 0x01000193) >>> 0;
    this.count++;
    return encode(this.digest, this.count);
  }

  snapshot(): Uint8Array {
    return encode(this.digest, this.count);
  }

  restore(image: Uint8Array): void {
    assert(image.length === 8, `chain snapshot must be 8 bytes, got ${image.length}`);
    const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
    this.digest = view.getUint32(0);
    this.count = view.getUint32(4);
  }
}

function encode(digest: number, count: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, digest >>> 0);
  view.setUint32(4, count >>> 0);
  return out;
}
