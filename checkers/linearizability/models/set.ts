// A set: add v inserts v; read returns every element. The state is the sorted list of the
// elements' canonical texts, so equal sets have equal states whatever the insertion order.
// Must never mutate a state.

import type { Adapter, HistoryEvent } from '../history';
import type { Model } from '../types';
import { canonical, hashString, showValue } from '../values';

export type SetInput = { readonly f: 'add'; readonly value: unknown } | { readonly f: 'read' };
/** add: true; read: the elements read (any order). */
export type SetOutput = unknown;

export function setModel(initial: readonly unknown[] = []): Model<readonly string[], SetInput, SetOutput> {
  const initialState = [...new Set(initial.map(canonical))].sort();
  return {
    name: 'set',
    init: () => initialState,
    step(elements, input, output) {
      if (input.f === 'add') {
        const element = canonical(input.value);
        return elements.includes(element) ? [elements] : [[...elements, element].sort()];
      }
      if (output === undefined) return [elements];
      if (!Array.isArray(output)) return [];
      const read = [...new Set((output as unknown[]).map(canonical))].sort();
      return read.length === elements.length && read.every((e, k) => e === elements[k]) ? [elements] : [];
    },
    equal: (a, b) => a === b || (a.length === b.length && a.every((e, k) => e === b[k])),
    hash: (elements) => hashString(elements.join('\u0000')),
    describeOperation(input, output) {
      if (input.f === 'add') return `add(${showValue(input.value)})`;
      return `read() -> ${output === undefined ? '?' : `#{${(output as unknown[]).map(showValue).join(' ')}}`}`;
    },
    describeState: (elements) => `#{${elements.map((e) => showValue(JSON.parse(e) as unknown)).join(' ')}}`,
  };
}

export const setAdapter: Adapter<SetInput, SetOutput> = (invoke: HistoryEvent, completion: HistoryEvent | null) => {
  if (invoke.f === 'add') return { kind: 'op', input: { f: 'add', value: invoke.value ?? null }, output: completion === null ? undefined : true };
  if (invoke.f === 'read') {
    if (completion === null) return { kind: 'drop' };
    const read = completion.value ?? [];
    if (!Array.isArray(read)) return { kind: 'error', message: `:read should return a collection of elements, found ${showValue(read)}` };
    return { kind: 'op', input: { f: 'read' }, output: read };
  }
  return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected :add, :read)` };
};
