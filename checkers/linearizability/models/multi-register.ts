// Knossos's multi-register: each operation is a transaction (`:f :txn`) of micro-operations
// `[:read k v]` / `[:write k v]` over named registers, applied atomically. Registers not in the
// initial map hold nil. Registers touched by one transaction must be checked together, so the
// model partitions the history into groups of registers connected by shared transactions.
// Must never mutate a state.

import { assert } from '../assert';
import type { Adapter, HistoryEvent } from '../history';
import type { Model, Operation } from '../types';
import { canonical, hashString, showValue, valueEquals } from '../values';

export interface MicroOp {
  readonly f: 'read' | 'write';
  readonly key: string;
  readonly value: unknown;
}

/** The invocation's micro-operations (read values are ignored). */
export type TxnInput = readonly MicroOp[];
/** The completion's micro-operations, with the values the reads returned. */
export type TxnOutput = readonly MicroOp[];
export type RegisterMap = Readonly<Record<string, unknown>>;

export function multiRegisterModel(initial: RegisterMap = {}): Model<RegisterMap, TxnInput, TxnOutput> {
  return {
    name: 'multi-register',
    init: () => initial,
    step(state, input, output) {
      const micro = output ?? input;
      let next: Record<string, unknown> | null = null;
      for (const op of micro) {
        const current = next !== null ? next[op.key] : state[op.key];
        if (op.f === 'read') {
          if (output !== undefined && !valueEquals(current ?? null, op.value)) return [];
        } else {
          next ??= { ...state };
          next[op.key] = op.value;
        }
      }
      return [next ?? state];
    },
    equal: (a, b) => a === b || canonicalMap(a) === canonicalMap(b),
    hash: (state) => hashString(canonicalMap(state)),
    partition: partitionByRegisters,
    describePart: (ops) => `registers ${[...new Set(ops.flatMap((op) => op.input.map((m) => m.key)))].sort().join(' ')}`,
    describeOperation(input, output) {
      const shown = (output ?? input).map((m) => `[${m.f} ${m.key} ${m.f === 'read' && output === undefined ? '?' : showValue(m.value)}]`);
      return `txn [${shown.join(' ')}]`;
    },
    describeState: (state) => showValue(dropNils(state)),
  };
}

export const multiRegisterAdapter: Adapter<TxnInput, TxnOutput> = (invoke: HistoryEvent, completion: HistoryEvent | null) => {
  if (invoke.f !== 'txn') return { kind: 'error', message: `unknown function :${invoke.f} for this model (expected :txn)` };
  const input = readTxn(invoke.value);
  if (typeof input === 'string') return { kind: 'error', message: input };
  if (completion === null) return { kind: 'op', input };
  const output = readTxn(completion.value);
  if (typeof output === 'string') return { kind: 'error', message: output };
  if (output.length !== input.length || output.some((m, k) => m.f !== input[k]!.f || m.key !== input[k]!.key)) {
    return { kind: 'error', message: 'the completed :txn has different micro-operations than its invocation' };
  }
  return { kind: 'op', input, output };
};

// ---------------------------------------------------------------------------------------------
// Helpers

function readTxn(value: unknown): TxnInput | string {
  if (!Array.isArray(value)) return `:txn expects a vector of [:read k v] / [:write k v], found ${showValue(value)}`;
  const micro: MicroOp[] = [];
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length !== 3) return `expected a micro-operation [f k v], found ${showValue(item)}`;
    const [f, key, v] = item as [unknown, unknown, unknown];
    const kind = f === 'read' || f === 'r' ? 'read' : f === 'write' || f === 'w' ? 'write' : null;
    if (kind === null) return `expected :read or :write in a micro-operation, found ${showValue(f)}`;
    if (typeof key !== 'string' && typeof key !== 'number') return `expected a register name, found ${showValue(key)}`;
    micro.push({ f: kind, key: String(key), value: v ?? null });
  }
  return micro;
}

function dropNils(state: RegisterMap): RegisterMap {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(state)) if (state[key] !== null && state[key] !== undefined) out[key] = state[key];
  return out;
}

function canonicalMap(state: RegisterMap): string {
  return canonical(dropNils(state));
}

/** Groups transactions whose register sets are connected (union-find over register names). */
function partitionByRegisters(ops: readonly Operation<TxnInput, TxnOutput>[]): Operation<TxnInput, TxnOutput>[][] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    for (let guard = 0; parent.get(root) !== root; guard++) {
      assert(guard <= parent.size, 'union-find parents never form a cycle');
      root = parent.get(root)!;
    }
    parent.set(key, root);
    return root;
  };
  for (const op of ops) {
    for (const m of op.input) if (!parent.has(m.key)) parent.set(m.key, m.key);
    const first = op.input[0];
    if (first === undefined) continue;
    for (const m of op.input) {
      const a = find(first.key);
      const b = find(m.key);
      if (a !== b) parent.set(b, a);
    }
  }
  const parts = new Map<string, Operation<TxnInput, TxnOutput>[]>();
  for (const op of ops) {
    const group = op.input[0] === undefined ? '' : find(op.input[0].key);
    let part = parts.get(group);
    if (part === undefined) {
      part = [];
      parts.set(group, part);
    }
    part.push(op);
  }
  return [...parts.values()];
}
