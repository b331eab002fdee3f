// Single-register models: `register` (read, write) and `cas-register` (read, write, cas [from to]),
// the model of Jepsen's etcd tests and Knossos's cas-register. The register starts at nil unless
// configured. Must never mutate a state: states are plain values shared by the search.

import type { Adapter, HistoryEvent } from '../history';
import type { Model } from '../types';
import { hashValue, showValue, valueEquals } from '../values';

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: unknown }
  | { readonly f: 'cas'; readonly from: unknown; readonly to: unknown };

/** read: the value read; write: true; cas: true when it swapped, false when the compare failed. */
export type RegisterOutput = unknown;

export function registerModel(initial: unknown = null, name = 'register'): Model<unknown, RegisterInput, RegisterOutput> {
  return {
    name,
    init: () => initial,
    step(state, input, output) {
      switch (input.f) {
        case 'read':
          return output === undefined || valueEquals(state, output) ? [state] : [];
        case 'write':
          return [input.value];
        case 'cas': {
          const matches = valueEquals(state, input.from);
          if (output === undefined) return [matches ? input.to : state];
          if (output === true) return matches ? [input.to] : [];
          return matches ? [] : [state];
        }
      }
    },
    equal: valueEquals,
    hash: hashValue,
    describeOperation(input, output) {
      switch (input.f) {
        case 'read':
          return `read() -> ${showValue(output)}`;
        case 'write':
          return `write(${showValue(input.value)})${output === undefined ? ' -> ?' : ''}`;
        case 'cas':
          return `cas(${showValue(input.from)}, ${showValue(input.to)}) -> ${output === undefined ? '?' : output === true ? 'ok' : 'failed'}`;
      }
    },
    describeState: (state) => showValue(state),
  };
}

export function casRegisterModel(initial: unknown = null): Model<unknown, RegisterInput, RegisterOutput> {
  return registerModel(initial, 'cas-register');
}

/**
 * Reads register operations from Jepsen events. A cas that completed with :fail is a compare that
 * did not match (the register held something else), as in Porcupine's etcd tests; a read whose
 * result is unknown constrains nothing and is dropped.
 */
export function registerAdapter(allowCas: boolean): Adapter<RegisterInput, RegisterOutput> {
  return (invoke: HistoryEvent, completion: HistoryEvent | null) => {
    switch (invoke.f) {
      case 'read':
        if (completion === null || completion.type === 'fail') return { kind: 'drop' };
        return { kind: 'op', input: { f: 'read' }, output: completion.value ?? null };
      case 'write':
        if (completion?.type === 'fail') return { kind: 'drop' };
        return { kind: 'op', input: { f: 'write', value: invoke.value ?? null }, output: completion === null ? undefined : true };
      case 'cas': {
        if (!allowCas) break;
        const pair = invoke.value;
        if (!Array.isArray(pair) || pair.length !== 2) {
          return { kind: 'error', message: `:cas expects a value [from to], got ${showValue(pair)}` };
        }
        const output = completion === null ? undefined : completion.type === 'ok';
        return { kind: 'op', input: { f: 'cas', from: pair[0], to: pair[1] }, output };
      }
    }
    const known = allowCas ? ':read, :write, :cas' : ':read, :write';
    return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected ${known})` };
  };
}
