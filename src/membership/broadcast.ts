// The queue of updates waiting to be piggybacked on protocol messages (SWIM's dissemination
// component). Each update is sent at most `limit` times, fewest-sent first, so fresh news goes
// out before old. Bounded: when full, the most-sent (then oldest) entry is dropped. Never
// reorders by anything but (transmissions, arrival sequence), so output is deterministic.

import { assert } from '../util/assert';
import type { MemberUpdate } from './types';

interface Entry {
  readonly update: MemberUpdate;
  /** Arrival order; breaks ties deterministically. */
  readonly seq: number;
  transmissions: number;
}

export class BroadcastQueue {
  private readonly capacity: number;
  private entries: Entry[] = [];
  private nextSeq = 0;

  constructor(capacity: number) {
    assert(Number.isSafeInteger(capacity) && capacity >= 1, 'broadcast capacity must be a positive integer');
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Queue an update. It replaces every queued update about the same member, except that a
   * suspect update only replaces the suspect update from the same suspecter: distinct suspecters
   * are Lifeguard's independent confirmations and each must travel.
   */
  enqueue(update: MemberUpdate): void {
    this.entries = this.entries.filter((e) => !supersededBy(e.update, update));
    if (this.entries.length >= this.capacity) this.dropOne();
    this.entries.push({ update, seq: this.nextSeq, transmissions: 0 });
    this.nextSeq += 1;
    assert(this.entries.length <= this.capacity, 'broadcast queue over capacity');
  }

  /**
   * Take up to `max` updates to piggyback on one message, counting the transmission; updates
   * sent `limit` times are retired.
   */
  take(max: number, limit: number): MemberUpdate[] {
    assert(max >= 0 && limit >= 1, 'take needs max >= 0 and limit >= 1');
    if (max === 0 || this.entries.length === 0) return [];
    const order = [...this.entries].sort((a, b) => a.transmissions - b.transmissions || a.seq - b.seq);
    const chosen = order.slice(0, max);
    for (const entry of chosen) entry.transmissions += 1;
    this.entries = this.entries.filter((e) => e.transmissions < limit);
    assert(chosen.length <= max, 'piggyback over cap');
    return chosen.map((e) => e.update);
  }

  /** The queued updates in queue order (for tests and debugging). */
  snapshot(): { readonly update: MemberUpdate; readonly transmissions: number }[] {
    return this.entries.map((e) => ({ update: e.update, transmissions: e.transmissions }));
  }

  private dropOne(): void {
    let victim = 0;
    for (let i = 1; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      const v = this.entries[victim]!;
      if (e.transmissions > v.transmissions || (e.transmissions === v.transmissions && e.seq < v.seq)) victim = i;
    }
    this.entries.splice(victim, 1);
  }
}

function supersededBy(queued: MemberUpdate, incoming: MemberUpdate): boolean {
  if (queued.member !== incoming.member) return false;
  if (queued.status === 'suspect' && incoming.status === 'suspect' && queued.incarnation === incoming.incarnation) {
    return queued.by === incoming.by;
  }
  return true;
}
