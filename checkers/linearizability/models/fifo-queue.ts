// A FIFO queue: enqueue v appends v; dequeue removes and returns the head. A dequeue that
// returned nil (or no value) saw an empty queue. The state is an immutable array, head first.
// Must never mutate a state.

import type { Adapter, HistoryEvent } from '../history';
import type { Model } from '../types';
import { canonical, hashString, showValue, valueEquals } from '../values';

export type QueueInput = { readonly f: 'enqueue'; readonly value: unknown } | { readonly f: 'dequeue' };
/** enqueue: true; dequeue: the value dequeued, null for an empty queue. */
export type QueueOutput = unknown;

export function fifoQueueModel(initial: readonly unknown[] = []): Model<readonly unknown[], QueueInput, QueueOutput> {
  return {
    name: 'fifo-queue',
    init: () => initial,
    step(queue, input, output) {
      if (input.f === 'enqueue') return [[...queue, input.value]];
      if (output === undefined) return queue.length === 0 ? [queue] : [queue.slice(1)];
      if (queue.length === 0) return output === null ? [queue] : [];
      return valueEquals(queue[0], output) ? [queue.slice(1)] : [];
    },
    // An enqueue with an unknown outcome whose value no dequeue returned can always go last: placed
    // earlier, its value never reached the head of a dequeue that returned, and a dequeue of unknown
    // outcome that took it can go last as well, so moving both to the end changes no result.
    linearizableLast(operations) {
      const dequeued = new Set<string>();
      for (const op of operations) if (op.input.f === 'dequeue' && op.output !== undefined && op.output !== null) dequeued.add(canonical(op.output));
      const last = new Set<number>();
      operations.forEach((op, i) => {
        if (op.input.f === 'enqueue' && op.return === null && !dequeued.has(canonical(op.input.value))) last.add(i);
      });
      return last;
    },
    equal: (a, b) => a === b || canonical(a) === canonical(b),
    hash: (queue) => hashString(canonical(queue)),
    describeOperation(input, output) {
      if (input.f === 'enqueue') return `enqueue(${showValue(input.value)})`;
      return `dequeue() -> ${showValue(output)}`;
    },
    describeState: (queue) => showValue(queue),
  };
}

export const fifoQueueAdapter: Adapter<QueueInput, QueueOutput> = (invoke: HistoryEvent, completion: HistoryEvent | null) => {
  if (invoke.f === 'enqueue') return { kind: 'op', input: { f: 'enqueue', value: invoke.value ?? null }, output: completion === null ? undefined : true };
  if (invoke.f === 'dequeue') return { kind: 'op', input: { f: 'dequeue' }, output: completion === null ? undefined : (completion.value ?? null) };
  return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected :enqueue, :dequeue)` };
};
