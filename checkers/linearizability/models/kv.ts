// The key-value model of Porcupine's kv tests: get, put and append on string values per key, a
// key never written reads as "". Keys are independent, so the model partitions by key; checked
// unsplit, the state is the whole map. Each value carries a polynomial hash that an append
// updates from the appended text alone, so hashing a state never re-reads long strings.
// Must never mutate a state.

import type { Adapter, HistoryEvent } from '../history';
import type { Model, Operation } from '../types';
import { mix32, showValue } from '../values';

export type KvInput = { readonly f: 'get' | 'put' | 'append'; readonly key: string; readonly value: string };
/** get: the string read; put and append: true. */
export type KvOutput = string | true;

/** A map from key slot to value; slots are numbered per model instance in first-seen order. */
export interface KvState {
  readonly values: readonly (HashedString | undefined)[];
  readonly hash: number;
}

export interface HashedString {
  readonly text: string;
  readonly hash: number;
}

export function kvModel(initial: Readonly<Record<string, string>> = {}): Model<KvState, KvInput, KvOutput> {
  const slots = new Map<string, number>();
  const names: string[] = [];
  const slotOf = (key: string): number => {
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = names.length;
      slots.set(key, slot);
      names.push(key);
    }
    return slot;
  };
  const initialValues: (HashedString | undefined)[] = [];
  let initialHash = 0;
  for (const key of Object.keys(initial).sort()) {
    const slot = slotOf(key);
    const value = hashed(initial[key]!);
    initialValues[slot] = value;
    initialHash ^= slotHash(slot, value);
  }
  const initialState: KvState = { values: initialValues, hash: initialHash };

  return {
    name: 'kv',
    init: () => initialState,
    step(state, input, output) {
      const slot = slotOf(input.key);
      const current = state.values[slot];
      if (input.f === 'get') {
        if (output === undefined) return [state];
        return output === (current?.text ?? '') ? [state] : [];
      }
      const next = input.f === 'put' ? hashed(input.value) : appended(current, input.value);
      const values = state.values.slice();
      values[slot] = next;
      return [{ values, hash: state.hash ^ slotHash(slot, current) ^ slotHash(slot, next) }];
    },
    equal(a, b) {
      if (a === b) return true;
      if (a.hash !== b.hash) return false;
      const length = Math.max(a.values.length, b.values.length);
      for (let slot = 0; slot < length; slot++) {
        if ((a.values[slot]?.text ?? '') !== (b.values[slot]?.text ?? '')) return false;
      }
      return true;
    },
    hash: (state) => state.hash,
    partition: (ops) => partitionByKey(ops, (input) => input.key),
    describePart: (ops) => `key ${JSON.stringify(ops[0]?.input.key ?? '')}`,
    describeOperation(input, output) {
      if (input.f === 'get') return `get(${JSON.stringify(input.key)}) -> ${output === undefined ? '?' : JSON.stringify(output)}`;
      return `${input.f}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})`;
    },
    describeState(state) {
      const entries: string[] = [];
      state.values.forEach((value, slot) => {
        if (value !== undefined && value.text !== '') entries.push(`${JSON.stringify(names[slot])} ${JSON.stringify(value.text)}`);
      });
      return `{${entries.join(', ')}}`;
    },
  };
}

export const kvAdapter: Adapter<KvInput, KvOutput> = (invoke: HistoryEvent, completion: HistoryEvent | null) => {
  if (invoke.f !== 'get' && invoke.f !== 'put' && invoke.f !== 'append') {
    return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected :get, :put, :append)` };
  }
  if (invoke.key === undefined) return { kind: 'error', message: `:${invoke.f} needs a :key` };
  if (invoke.f === 'get') {
    if (completion === null) return { kind: 'drop' };
    const read = completion.value ?? '';
    if (typeof read !== 'string') return { kind: 'error', message: `:get should return a string, found ${showValue(read)}` };
    return { kind: 'op', input: { f: 'get', key: invoke.key, value: '' }, output: read };
  }
  const value = invoke.value ?? '';
  if (typeof value !== 'string') return { kind: 'error', message: `:${invoke.f} expects a string value, found ${showValue(value)}` };
  return { kind: 'op', input: { f: invoke.f, key: invoke.key, value }, output: completion === null ? undefined : true };
};

/** Groups operations by key, parts in the order their keys first appear. */
export function partitionByKey<I, O>(ops: readonly Operation<I, O>[], keyOf: (input: I) => string): Operation<I, O>[][] {
  const parts = new Map<string, Operation<I, O>[]>();
  for (const op of ops) {
    const key = keyOf(op.input);
    let part = parts.get(key);
    if (part === undefined) {
      part = [];
      parts.set(key, part);
    }
    part.push(op);
  }
  return [...parts.values()];
}

// ---------------------------------------------------------------------------------------------
// Helpers

const base = 0x01000193;

/** Polynomial hash of a string: sum of code units times base^(distance from the end), mod 2^32. */
function hashed(text: string): HashedString {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, base) + text.charCodeAt(i)) | 0;
  return { text, hash: h };
}

/** hash(a + b) = hash(a) * base^|b| + hash(b): only the appended text is read. */
function appended(current: HashedString | undefined, suffix: string): HashedString {
  let h = current?.hash ?? 0;
  for (let i = 0; i < suffix.length; i++) h = (Math.imul(h, base) + suffix.charCodeAt(i)) | 0;
  return { text: (current?.text ?? '') + suffix, hash: h };
}

/** A slot's contribution to the map hash; "" (or never written) contributes nothing. */
function slotHash(slot: number, value: HashedString | undefined): number {
  if (value === undefined || value.text === '') return 0;
  return mix32(slot + 1, value.hash);
}
