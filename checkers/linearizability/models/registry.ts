// The models the command line (and the simulator) can name, with how `--initial` configures each
// and how each reads Jepsen events. Adding a model means adding one entry here (see
// checkers/README.md). Must never accept an initial value it cannot use: that is an error value.

import type { Adapter } from '../history';
import type { Model } from '../types';
import { showValue } from '../values';
import { counterAdapter, counterModel } from './counter';
import { fifoQueueAdapter, fifoQueueModel } from './fifo-queue';
import { kvAdapter, kvModel } from './kv';
import { multiRegisterAdapter, multiRegisterModel } from './multi-register';
import { mutexAdapter, mutexModel } from './mutex';
import { casRegisterModel, registerAdapter, registerModel } from './register';
import { setAdapter, setModel } from './set';

/**
 * A model ready to check a history: the model and how it reads events. The element types are
 * erased here (any) because the registry holds models of different types; each entry pairs a
 * model with the adapter written for it.
 */
export interface ConfiguredModel {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly model: Model<any, any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly adapt: Adapter<any, any>;
}

export interface ModelEntry {
  readonly name: string;
  readonly summary: string;
  /** What `--initial` accepts, and the default. */
  readonly initialHelp: string;
  create(initial: unknown): { ok: true; configured: ConfiguredModel } | { ok: false; message: string };
}

export const modelRegistry: readonly ModelEntry[] = [
  {
    name: 'register',
    summary: ':read, :write v',
    initialHelp: 'any value (default nil)',
    create: (initial) => ready(registerModel(initial ?? null), registerAdapter(false)),
  },
  {
    name: 'cas-register',
    summary: ':read, :write v, :cas [from to] (Jepsen etcd, Knossos)',
    initialHelp: 'any value (default nil)',
    create: (initial) => ready(casRegisterModel(initial ?? null), registerAdapter(true)),
  },
  {
    name: 'kv',
    summary: ':get, :put v, :append v with :key; string values, "" when never written; split by key',
    initialHelp: 'a map of string keys to strings, e.g. {"a" "x"} (default {})',
    create(initial) {
      if (initial === undefined) return ready(kvModel(), kvAdapter);
      if (!isMap(initial) || Object.values(initial).some((v) => typeof v !== 'string')) return invalid('kv', 'a map of strings to strings', initial);
      return ready(kvModel(initial as Record<string, string>), kvAdapter);
    },
  },
  {
    name: 'multi-register',
    summary: ':txn [[:read k v] [:write k v] ...] over named registers (Knossos); split by connected registers',
    initialHelp: 'a map of register names to values, e.g. {:x 0} (default: every register nil)',
    create(initial) {
      if (initial === undefined) return ready(multiRegisterModel(), multiRegisterAdapter);
      if (!isMap(initial)) return invalid('multi-register', 'a map of register names to values', initial);
      return ready(multiRegisterModel(initial), multiRegisterAdapter);
    },
  },
  {
    name: 'mutex',
    summary: ':acquire, :release',
    initialHelp: 'true if the lock starts held (default false)',
    create(initial) {
      if (initial !== undefined && typeof initial !== 'boolean') return invalid('mutex', 'true or false', initial);
      return ready(mutexModel(initial === true), mutexAdapter);
    },
  },
  {
    name: 'fifo-queue',
    summary: ':enqueue v, :dequeue (returns the value, nil when empty)',
    initialHelp: 'a vector of queued values, head first (default [])',
    create(initial) {
      if (initial !== undefined && !Array.isArray(initial)) return invalid('fifo-queue', 'a vector', initial);
      return ready(fifoQueueModel((initial as unknown[] | undefined) ?? []), fifoQueueAdapter);
    },
  },
  {
    name: 'set',
    summary: ':add v, :read (returns every element)',
    initialHelp: 'a vector or set of elements (default #{})',
    create(initial) {
      if (initial !== undefined && !Array.isArray(initial)) return invalid('set', 'a vector or set', initial);
      return ready(setModel((initial as unknown[] | undefined) ?? []), setAdapter);
    },
  },
  {
    name: 'counter',
    summary: ':add n (default 1), :read',
    initialHelp: 'an integer (default 0)',
    create(initial) {
      if (initial !== undefined && (typeof initial !== 'number' || !Number.isSafeInteger(initial))) return invalid('counter', 'an integer', initial);
      return ready(counterModel((initial as number | undefined) ?? 0), counterAdapter);
    },
  },
];

/** The entry with this name, or undefined. */
export function findModel(name: string): ModelEntry | undefined {
  return modelRegistry.find((entry) => entry.name === name);
}

// ---------------------------------------------------------------------------------------------
// Helpers

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ready(model: Model<any, any, any>, adapt: Adapter<any, any>): { ok: true; configured: ConfiguredModel } {
  return { ok: true, configured: { model, adapt } };
}

function invalid(name: string, expected: string, found: unknown): { ok: false; message: string } {
  return { ok: false, message: `--initial for ${name} must be ${expected}, found ${showValue(found)}` };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
