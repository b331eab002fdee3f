// A counter: add n adds the integer n (negative to subtract); read returns the current total.
// Must never mutate a state (states are plain numbers).

import type { Adapter, HistoryEvent } from '../history';
import type { Model } from '../types';
import { hashValue, showValue } from '../values';

export type CounterInput = { readonly f: 'add'; readonly amount: number } | { readonly f: 'read' };
/** add: true; read: the total read. */
export type CounterOutput = number | true;

export function counterModel(initial = 0): Model<number, CounterInput, CounterOutput> {
  return {
    name: 'counter',
    init: () => initial,
    step(total, input, output) {
      if (input.f === 'add') return [total + input.amount];
      return output === undefined || output === total ? [total] : [];
    },
    equal: (a, b) => a === b,
    hash: hashValue,
    describeOperation(input, output) {
      if (input.f === 'add') return `add(${input.amount})`;
      return `read() -> ${showValue(output)}`;
    },
    describeState: (total) => String(total),
  };
}

export const counterAdapter: Adapter<CounterInput, CounterOutput> = (invoke: HistoryEvent, completion: HistoryEvent | null) => {
  if (invoke.f === 'add') {
    const amount = invoke.value ?? 1;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) return { kind: 'error', message: `:add expects an integer, found ${showValue(amount)}` };
    return { kind: 'op', input: { f: 'add', amount }, output: completion === null ? undefined : true };
  }
  if (invoke.f === 'read') {
    if (completion === null) return { kind: 'drop' };
    const total = completion.value;
    if (typeof total !== 'number') return { kind: 'error', message: `:read should return an integer, found ${showValue(total)}` };
    return { kind: 'op', input: { f: 'read' }, output: total };
  }
  return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected :add, :read)` };
};
