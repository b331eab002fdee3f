// The piggyback queue: fewest-sent first, retired after the limit, bounded, and distinct
// suspecters kept apart.

import { describe, expect, it } from 'vitest';
import { BroadcastQueue } from './broadcast';
import { update } from './testing/transcript';

describe('broadcast queue', () => {
  it('hands out the least-sent updates first and retires each after `limit` transmissions', () => {
    const q = new BroadcastQueue(10);
    q.enqueue(update('a', 'alive', 0));
    q.enqueue(update('b', 'alive', 0));
    q.enqueue(update('c', 'alive', 0));
    expect(q.take(2, 2).map((u) => u.member)).toEqual(['a', 'b']);
    expect(q.take(2, 2).map((u) => u.member)).toEqual(['c', 'a']);
    expect(q.take(2, 2).map((u) => u.member)).toEqual(['b', 'c']);
    expect(q.take(2, 2)).toEqual([]);
  });

  it('a newer update about a member replaces the queued one and starts its count again', () => {
    const q = new BroadcastQueue(10);
    q.enqueue(update('a', 'alive', 0));
    q.take(1, 5);
    q.enqueue(update('a', 'suspect', 0, 'b'));
    expect(q.snapshot()).toEqual([{ update: update('a', 'suspect', 0, 'b'), transmissions: 0 }]);
  });

  it('suspect updates from distinct suspecters are kept side by side (Lifeguard confirmations)', () => {
    const q = new BroadcastQueue(10);
    q.enqueue(update('x', 'suspect', 1, 'b'));
    q.enqueue(update('x', 'suspect', 1, 'c'));
    q.enqueue(update('x', 'suspect', 1, 'b'));
    expect(q.snapshot().map((e) => e.update.by)).toEqual(['c', 'b']);
    q.enqueue(update('x', 'dead', 1, 'c'));
    expect(q.snapshot().map((e) => e.update.status)).toEqual(['dead']);
  });

  it('when full, drops the most-sent (then oldest) update', () => {
    const q = new BroadcastQueue(2);
    q.enqueue(update('a', 'alive', 0));
    q.enqueue(update('b', 'alive', 0));
    q.take(1, 10); // a sent once
    q.enqueue(update('c', 'alive', 0));
    expect(q.snapshot().map((e) => e.update.member)).toEqual(['b', 'c']);
    q.enqueue(update('d', 'alive', 0));
    expect(q.snapshot().map((e) => e.update.member)).toEqual(['c', 'd']);
    expect(q.size).toBe(2);
  });
});
