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
    // An enqueue that returned and whose value no dequeue returned can always be taken to happen
    // just before its return, provided no dequeue's outcome is unknown. In any valid order its
    // value, never dequeued, blocks every value enqueued after it: those are never dequeued either,
    // and no dequeue after it finds the queue empty. Moving it later within its interval therefore
    // only reorders it among values nobody dequeued, and every dequeue sees the same head. (A
    // dequeue of unknown outcome might have taken it, and moving it would change what that dequeue
    // took; so none may exist.) Without this, the orders of never-dequeued concurrent enqueues
    // multiply the states the search explores (partition seed 145: a backlog of 153 such values
    // exhausted the memory bound; with the hook it is decided in a few thousand steps).
    linearizableAtReturn(operations) {
      const atReturn = new Set<number>();
      const dequeued = new Set<string>();
      for (const op of operations) {
        if (op.input.f !== 'dequeue') continue;
        if (op.return === null || op.output === undefined) return atReturn;
        if (op.output !== null) dequeued.add(canonical(op.output));
      }
      operations.forEach((op, i) => {
        if (op.input.f === 'enqueue' && op.return !== null && !dequeued.has(canonical(op.input.value))) atReturn.add(i);
      });
      return atReturn;
    },
    // With distinct values, FIFO order ties each enqueue to its dequeue: a value enqueued behind u
    // must be dequeued after u. So a state in which v has just been enqueued behind a value u is a
    // dead end if v's dequeue returned before u's was called (v must leave first and cannot), or
    // if u is never dequeued and v is (u blocks it for good; unless a dequeue of unknown outcome
    // might have taken u). Without this the search finds out only at v's dequeue, hundreds of
    // operations later in a queue with a long backlog, after trying every order of what came
    // between (leader-faults seed 159: 687 operations, all completed, filled the memory bound).
    deadEnd(operations) {
      const dequeueOf = new Map<string, { readonly call: number; readonly ret: number }>();
      const enqueued = new Set<string>();
      let unknownDequeue = false;
      for (const op of operations) {
        if (op.input.f === 'enqueue') {
          const key = canonical(op.input.value);
          if (enqueued.has(key)) return null; // repeated values: no order follows from them
          enqueued.add(key);
        } else if (op.output === undefined || op.return === null) unknownDequeue = true;
        else if (op.output !== null) dequeueOf.set(canonical(op.output), { call: op.call, ret: op.return });
      }
      return (queue, op) => {
        if (op.input.f !== 'enqueue') return false;
        const mine = dequeueOf.get(canonical(op.input.value));
        if (mine === undefined) return false; // never dequeued: it waits behind anything
        for (let k = 0; k < queue.length - 1; k++) {
          const ahead = dequeueOf.get(canonical(queue[k]));
          if (ahead === undefined ? !unknownDequeue : mine.ret < ahead.call) return true;
        }
        return false;
      };
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
