// The queue model's linearizableLast hook: which indeterminate enqueues it lets the search try
// last, and that this is what keeps a long history with a few of them decidable.

import { describe, expect, it } from 'vitest';
import { checkOperations } from '../check';
import type { Operation } from '../types';
import { fifoQueueModel, type QueueInput } from './fifo-queue';

type QueueOp = Operation<QueueInput, unknown>;

const enqueue = (client: number, value: string, call: number, ret: number | null): QueueOp =>
  ret === null ? { client, input: { f: 'enqueue', value }, call, return: null } : { client, input: { f: 'enqueue', value }, output: true, call, return: ret };
const dequeue = (client: number, output: unknown, call: number, ret: number | null): QueueOp =>
  ret === null ? { client, input: { f: 'dequeue' }, call, return: null } : { client, input: { f: 'dequeue' }, output, call, return: ret };

/**
 * Three clients: two enqueue and dequeue in overlapping pairs (so the search has real choices),
 * keeping the queue `backlog` long; the third issues `lost` enqueues that never return and whose
 * values nobody dequeues (a client whose node was cut off).
 */
function longHistory(rounds: number, lost: number, backlog: number): QueueOp[] {
  const ops: QueueOp[] = [];
  let t = 0;
  for (let i = 0; i < backlog; i++) ops.push(enqueue(1, `b${i}`, t, (t += 2)));
  let head = 0;
  const tail: string[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % Math.max(1, Math.floor(rounds / lost)) === 0 && ops.filter((o) => o.client === 3).length < lost) ops.push(enqueue(3, `lost${r}`, t, null));
    ops.push(enqueue(1, `a${r}`, t, t + 3), enqueue(2, `c${r}`, t + 1, t + 4));
    tail.push(`a${r}`, `c${r}`);
    t += 5;
    // Each dequeue returns the head, which is always a value enqueued long before (the backlog).
    const first = head < backlog ? `b${head}` : (tail[head - backlog] as string);
    const second = head + 1 < backlog ? `b${head + 1}` : (tail[head + 1 - backlog] as string);
    ops.push(dequeue(1, first, t, t + 1), dequeue(2, second, t + 2, t + 3));
    head += 2;
    t += 5;
  }
  return ops;
}

describe('fifo-queue: indeterminate enqueues nobody observed are tried last', () => {
  it('names exactly the never-returned enqueues whose value no dequeue returned', () => {
    const ops = [enqueue(1, 'x', 0, null), enqueue(2, 'y', 1, null), enqueue(3, 'z', 2, 5), dequeue(4, 'y', 6, 8), dequeue(5, null, 9, null)];
    const last = fifoQueueModel().linearizableLast?.(ops);
    expect([...(last ?? [])]).toEqual([0]);
  });

  it('keeps a long history with several of them decidable within a small memory bound, which it is not without the hook', () => {
    const ops = longHistory(150, 4, 20);
    const bound = { memoryLimitEntries: 20_000 };
    expect(checkOperations(fifoQueueModel(), ops, bound).verdict).toBe('ok');
    // Without the hook (and without the pruning, which rescues this history on its own).
    const { linearizableLast: _unused, deadEnd: _pruning, ...withoutHook } = fifoQueueModel();
    expect(checkOperations(withoutHook, ops, bound).verdict).toBe('unknown');
  });

  it('still finds the violation when a dequeue returns a value out of order', () => {
    const ops = longHistory(40, 3, 10);
    // Swap the outputs of one pair of sequential dequeues of client 1 and 2 far apart in time.
    const deqs = ops.filter((o) => o.input.f === 'dequeue');
    const a = deqs[4] as QueueOp;
    const b = deqs[30] as QueueOp;
    ops[ops.indexOf(a)] = { ...a, output: b.output };
    ops[ops.indexOf(b)] = { ...b, output: a.output };
    expect(checkOperations(fifoQueueModel(), ops, { memoryLimitEntries: 20_000 }).verdict).toBe('illegal');
  });
});

/**
 * Two clients enqueue in overlapping pairs and dequeue only the first `observed` rounds' values:
 * the rest pile up unobserved behind them (a queue that grows, as the cache workload's does).
 * `swapped`: each pair comes out the other way round (c before a), which only the dequeues reveal.
 */
function backlogHistory(rounds: number, observed: number, swapped = false): QueueOp[] {
  const ops: QueueOp[] = [];
  let t = 0;
  for (let r = 0; r < rounds; r++) {
    ops.push(enqueue(1, `a${r}`, t, t + 3), enqueue(2, `c${r}`, t + 1, t + 4));
    t += 5;
  }
  for (let r = 0; r < observed; r++) {
    const [first, second] = swapped ? [`c${r}`, `a${r}`] : [`a${r}`, `c${r}`];
    ops.push(dequeue(1, first, t, t + 1), dequeue(2, second, t + 2, t + 3));
    t += 5;
  }
  return ops;
}

describe('fifo-queue: enqueues nobody dequeued are tried at their return', () => {
  it('names exactly the returned enqueues whose value no dequeue returned, and none when a dequeue outcome is unknown', () => {
    const ops = [enqueue(1, 'x', 0, 3), enqueue(2, 'y', 1, null), enqueue(3, 'z', 2, 5), dequeue(4, 'x', 6, 8), dequeue(5, null, 0, 1)];
    expect([...(fifoQueueModel().linearizableAtReturn?.(ops) ?? [])]).toEqual([2]);
    const unknownDequeue = [...ops, dequeue(6, null, 9, null)];
    expect([...(fifoQueueModel().linearizableAtReturn?.(unknownDequeue) ?? [])]).toEqual([]);
  });

  it('keeps a long backlog of unobserved values decidable within a small memory bound, which it is not without the hook', () => {
    // The first dequeue's value is the second enqueued: the search must revisit its first choice
    // with every later unobserved pair already ordered one way or the other.
    const ops = backlogHistory(40, 1);
    const first = ops.findIndex((o) => o.input.f === 'dequeue');
    ops[first] = { ...(ops[first] as QueueOp), output: 'c0' };
    ops[first + 1] = { ...(ops[first + 1] as QueueOp), output: 'a0' };
    const bound = { memoryLimitEntries: 20_000 };
    expect(checkOperations(fifoQueueModel(), ops, bound).verdict).toBe('ok');
    const { linearizableAtReturn: _unused, deadEnd: _pruning, ...withoutHook } = fifoQueueModel();
    expect(checkOperations(withoutHook, ops, bound).verdict).toBe('unknown');
  });

  it('still finds an empty dequeue after an unobserved enqueue returned, and a value dequeued from behind one', () => {
    expect(checkOperations(fifoQueueModel(), [enqueue(1, 'x', 0, 2), dequeue(2, null, 3, 4)]).verdict).toBe('illegal');
    expect(checkOperations(fifoQueueModel(), [enqueue(1, 'x', 0, 2), enqueue(2, 'y', 3, 4), dequeue(3, 'y', 5, 6)]).verdict).toBe('illegal');
    // Concurrent with the empty dequeue, the enqueue may follow it.
    expect(checkOperations(fifoQueueModel(), [enqueue(1, 'x', 0, 4), dequeue(2, null, 1, 2)]).verdict).toBe('ok');
  });
});

describe('fifo-queue: an enqueue behind a value that must leave after it is a dead end at once', () => {
  /** `pairs` pairs of concurrent enqueues, then every value dequeued, each pair the other way round. */
  const swappedPairs = (pairs: number): QueueOp[] => backlogHistory(pairs, pairs, true);

  it('decides a backlog whose order only its dequeues reveal, which the search alone cannot within the bound', () => {
    const ops = swappedPairs(40);
    const bound = { memoryLimitEntries: 20_000 };
    expect(checkOperations(fifoQueueModel(), ops, bound).verdict).toBe('ok');
    const { deadEnd: _unused, ...withoutPruning } = fifoQueueModel();
    expect(checkOperations(withoutPruning, ops, bound).verdict).toBe('unknown');
  });

  it('names the dead ends exactly: behind a value dequeued later, or behind one never dequeued unless a dequeue is of unknown outcome', () => {
    const ops = [enqueue(1, 'u', 0, 1), enqueue(2, 'v', 2, 3), enqueue(3, 'w', 4, 5), dequeue(4, 'v', 6, 7), dequeue(5, 'u', 8, 9)];
    const dead = fifoQueueModel().deadEnd?.(ops);
    if (dead === null || dead === undefined) throw new Error('distinct values: the pruning applies');
    const enqueueOf = (value: string): QueueOp => ops.find((o) => o.input.f === 'enqueue' && o.input.value === value) as QueueOp;
    expect(dead(['u', 'v'], enqueueOf('v'))).toBe(true); // v must leave before u, yet is behind it
    expect(dead(['v', 'u'], enqueueOf('u'))).toBe(false);
    expect(dead(['w', 'v'], enqueueOf('v'))).toBe(true); // w is never dequeued: v would wait forever
    expect(dead(['v', 'w'], enqueueOf('w'))).toBe(false); // w is never dequeued: it may wait behind anything
    const withUnknown = fifoQueueModel().deadEnd?.([...ops, dequeue(6, null, 10, null)]);
    expect(withUnknown?.(['w', 'v'], enqueueOf('v'))).toBe(false); // the unknown dequeue may have taken w
    expect(fifoQueueModel().deadEnd?.([...ops, enqueue(7, 'u', 11, 12)])).toBeNull(); // a repeated value
  });

  it('still finds a violation: values dequeued in the opposite order of their sequential enqueues', () => {
    const ops = [enqueue(1, 'x', 0, 1), enqueue(1, 'y', 2, 3), dequeue(2, 'y', 4, 5), dequeue(2, 'x', 6, 7)];
    expect(checkOperations(fifoQueueModel(), ops).verdict).toBe('illegal');
  });
});
