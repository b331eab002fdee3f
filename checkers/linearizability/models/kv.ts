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

/**
 * A map from key to string, flat to keep the search's garbage small: [mapHash, text0, hash0,
 * text1, hash1, ...] where key slots are numbered per model instance in first-seen order; a
 * missing or undefined slot holds "". hash_i is the polynomial hash of text_i.
 */
export type KvState = readonly (string | number | undefined)[];

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
  const initialState: (string | number | undefined)[] = [0];
  for (const key of Object.keys(initial).sort()) {
    const slot = slotOf(key);
    const text = initial[key]!;
    const hash = appendHash(0, text);
    initialState[1 + 2 * slot] = text;
    initialState[2 + 2 * slot] = hash;
    initialState[0] = (initialState[0] as number) ^ slotHash(slot, text, hash);
  }

  return {
    name: 'kv',
    init: () => initialState,
    step(state, input, output) {
      const slot = slotOf(input.key);
      const current = textAt(state, slot);
      if (input.f === 'get') {
        if (output === undefined) return [state];
        return output === current ? [state] : [];
      }
      const currentHash = hashAt(state, slot);
      const text = input.f === 'put' ? input.value : current + input.value;
      const hash = appendHash(input.f === 'put' ? 0 : currentHash, input.value);
      const next = state.slice();
      next[1 + 2 * slot] = text;
      next[2 + 2 * slot] = hash;
      next[0] = (state[0] as number) ^ slotHash(slot, current, currentHash) ^ slotHash(slot, text, hash);
      return [next];
    },
    equal(a, b) {
      if (a === b) return true;
      if (a[0] !== b[0]) return false;
      const slots = Math.max(a.length, b.length) >>> 1;
      for (let slot = 0; slot < slots; slot++) if (textAt(a, slot) !== textAt(b, slot)) return false;
      return true;
    },
    hash: (state) => state[0] as number,
    partition: (ops) => partitionByKey(ops, (input) => input.key),
    describePart: (ops) => `key ${JSON.stringify(ops[0]?.input.key ?? '')}`,
    describeOperation(input, output) {
      if (input.f === 'get') return `get(${JSON.stringify(input.key)}) -> ${output === undefined ? '?' : JSON.stringify(output)}`;
      return `${input.f}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})`;
    },
    describeState(state) {
      const entries: string[] = [];
      const sorted = names.map((name, slot) => ({ name, slot })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const { name, slot } of sorted) {
        const text = textAt(state, slot);
        if (text !== '') entries.push(`${JSON.stringify(name)} ${JSON.stringify(text)}`);
      }
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

function textAt(state: KvState, slot: number): string {
  return (state[1 + 2 * slot] as string | undefined) ?? '';
}

function hashAt(state: KvState, slot: number): number {
  return (state[2 + 2 * slot] as number | undefined) ?? 0;
}

/**
 * Polynomial hash of text appended to a string whose hash is `prefix`:
 * hash(a + b) = hash(a) * base^|b| + hash(b) (mod 2^32), so only the appended text is read.
 */
function appendHash(prefix: number, text: string): number {
  let h = prefix;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, base) + text.charCodeAt(i)) | 0;
  return h;
}

/** A slot's contribution to the map hash; "" (or never written) contributes nothing. */
function slotHash(slot: number, text: string, hash: number): number {
  return text === '' ? 0 : mix32(slot + 1, hash);
}
