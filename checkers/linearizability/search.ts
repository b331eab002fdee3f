// The search for one part of a history: Wing & Gong's depth-first search over linearization
// points, with Lowe's memoisation of (set of linearized operations, model state) pairs, over a
// doubly linked list of call and return entries as in Porcupine. Non-deterministic models are
// handled by searching over sets of states (a step maps a set to the set of all successors).
//
// Must never read the clock or any randomness: a search is bounded only by the deterministic step
// quota its caller gives each run and the cache-size bound; running out gives `unknown` (the
// caller's), never a guessed verdict.

import { assert } from './assert';
import type { Model, Operation, Verdict } from './types';

export interface SearchOutcome {
  readonly verdict: Verdict;
  readonly reason?: string;
  readonly steps: number;
  /** Indices into the part's operations: the longest linearized sequence the search reached. */
  readonly longest: number[];
  /** Index of the operation whose return ended the longest sequence; -1 when the part is ok. */
  readonly stuck: number;
  /** Per operation, the longest linearized sequence containing it (only when tracked). */
  readonly perOpLongest: (readonly number[] | null)[] | null;
}

/**
 * The search of one part, resumable so that the caller can interleave several parts (and stop
 * at the first illegal one) deterministically. `ops` are the part's operations; outcomes refer to
 * them by index. With trackPerOp it also records each operation's longest partial linearization
 * (slower: it walks the stack at every backtrack).
 */
export class PartSearch<S, I, O> {
  /** Steps taken so far. */
  steps = 0;
  private outcome: SearchOutcome | null = null;
  private readonly n: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly zobrist: Int32Array;
  private readonly stepper: StateSetStepper<S, I, O>;
  private readonly hashState: (state: S) => number;
  private readonly bits: Uint32Array;
  private bitsHash = 0;
  private cache: MemoCache<S> | null;
  // The stack of linearized calls: the call entry and the states before it.
  private readonly stackEntry: Int32Array;
  private readonly stackStates: (readonly S[])[];
  private depth = 0;
  private states: readonly S[];
  private entry: number;
  private longest: number[] = [];
  private longestLen = -1;
  private stuck = -1;
  private readonly perOpLen: Int32Array | null;
  /** prefixMinLen[p] = the least perOpLen among the operations at stack positions 0..p. */
  private readonly prefixMinLen: Int32Array | null;
  private readonly perOpSeq: (readonly number[] | null)[] | null;

  constructor(
    model: Model<S, I, O>,
    private readonly ops: readonly Operation<I, O>[],
    trackPerOp: boolean,
  ) {
    const n = ops.length;
    this.n = n;
    const list = buildEntryList(ops, model.linearizableLast?.(ops) ?? NONE_LAST, model.linearizableAtReturn?.(ops) ?? NONE_LAST);
    this.next = list.next;
    this.prev = list.prev;
    this.zobrist = zobristKeys(n);
    this.stepper = new StateSetStepper(model, model.deadEnd?.(ops) ?? null);
    this.hashState = model.hash ?? constantHash;
    const words = (n + 31) >>> 5;
    this.bits = new Uint32Array(words);
    this.cache = new MemoCache<S>(words, model.equal ?? Object.is);
    this.stackEntry = new Int32Array(n);
    this.stackStates = new Array<readonly S[]>(n);
    this.states = [model.init()];
    this.entry = this.next[2 * n]!;
    this.perOpLen = trackPerOp ? new Int32Array(n) : null;
    this.prefixMinLen = trackPerOp ? new Int32Array(n) : null;
    this.perOpSeq = trackPerOp ? new Array<readonly number[] | null>(n).fill(null) : null;
    if (n === 0) this.outcome = { verdict: 'ok', steps: 0, longest: [], stuck: -1, perOpLongest: this.perOpSeq };
  }

  /** Memo-cache entries held (0 once finished: the cache is released). */
  get cacheEntries(): number {
    return this.cache?.size ?? 0;
  }

  /** The outcome once the search has finished, else null. */
  get finished(): SearchOutcome | null {
    return this.outcome;
  }

  /**
   * Runs at most quotaSteps more steps. Returns the outcome when the search finishes (also when
   * the cache would exceed entriesMax, which gives `unknown`), else null.
   */
  run(quotaSteps: number, entriesMax: number): SearchOutcome | null {
    if (this.outcome !== null) return this.outcome;
    assert(quotaSteps > 0, 'a run has a positive step quota');
    const { next, prev, zobrist, stepper, hashState, bits, stackEntry, stackStates, ops, perOpLen, perOpSeq, prefixMinLen } = this;
    const cache = this.cache!;
    const head = 2 * this.n;
    let { depth, states, entry, bitsHash } = this;
    let steps = 0;
    let result: SearchOutcome | null = null;
    while (next[head] !== nil) {
      if (steps >= quotaSteps) break;
      steps += 1;
      assert(entry !== nil, 'the walk never falls off the end of the entry list');
      if ((entry & 1) === 0) {
        // A call entry: try to linearize its operation now.
        const op = entry >>> 1;
        const nextStates = stepper.step(states, ops[op]!);
        if (nextStates !== null) {
          const word = op >>> 5;
          const mask = (1 << (op & 31)) >>> 0;
          const candidateHash = bitsHash ^ zobrist[op]!;
          const key = (candidateHash ^ Math.imul(stepper.hashSet(nextStates, hashState), 0x9e3779b1)) | 0;
          if (!cache.contains(key, bits, word, mask, nextStates)) {
            if (cache.size >= entriesMax) {
              result = this.finish('unknown', steps, `memory bound reached (${entriesMax} cache entries)`);
              break;
            }
            cache.insert(key, bits, word, mask, nextStates);
            stackEntry[depth] = entry;
            stackStates[depth] = states;
            if (prefixMinLen !== null && perOpLen !== null) {
              const own = perOpLen[op]!;
              prefixMinLen[depth] = depth === 0 ? own : Math.min(prefixMinLen[depth - 1]!, own);
            }
            depth += 1;
            states = nextStates;
            bits[word] = (bits[word]! | mask) >>> 0;
            bitsHash = candidateHash;
            lift(next, prev, entry);
            entry = next[head]!;
            continue;
          }
        }
        entry = next[entry]!;
        continue;
      }
      // A return entry whose call is not linearized yet: this branch is dead; backtrack.
      if (depth > this.longestLen) {
        this.longestLen = depth;
        this.longest = stackOps(stackEntry, depth);
        this.stuck = entry >>> 1;
      }
      if (perOpLen !== null && perOpSeq !== null && prefixMinLen !== null && depth > 0 && prefixMinLen[depth - 1]! < depth) {
        // Some operation on the stack has no partial linearization this long yet. prefixMinLen
        // is non-increasing up the stack, so those operations sit above the last position whose
        // prefix minimum already reaches this depth: walk down only that far.
        const seq = stackOps(stackEntry, depth);
        let k = depth - 1;
        for (; k >= 0 && prefixMinLen[k]! < depth; k--) {
          const op = stackEntry[k]! >>> 1;
          if (depth > perOpLen[op]!) {
            perOpLen[op] = depth;
            perOpSeq[op] = seq;
          }
        }
        for (let j = k + 1; j < depth; j++) prefixMinLen[j] = depth;
      }
      if (depth === 0) {
        result = this.finish('illegal', steps);
        break;
      }
      depth -= 1;
      const callEntry = stackEntry[depth]!;
      const op = callEntry >>> 1;
      states = stackStates[depth]!;
      stackStates[depth] = emptyStates as readonly S[];
      bits[op >>> 5] = (bits[op >>> 5]! & ~(1 << (op & 31))) >>> 0;
      bitsHash ^= zobrist[op]!;
      unlift(next, prev, callEntry);
      entry = next[callEntry]!;
    }
    assert(depth >= 0 && depth <= this.n, 'the stack never holds more than every operation');
    assert(result !== null || steps === quotaSteps || next[head] === nil, 'a run stops early only when it finishes');
    this.depth = depth;
    this.states = states;
    this.entry = entry;
    this.bitsHash = bitsHash;
    if (result === null && next[head] === nil) {
      assert(depth === this.n, 'an ok part has every operation linearized');
      const all = stackOps(stackEntry, depth);
      if (perOpSeq !== null) perOpSeq.fill(all);
      this.longest = all;
      result = this.finish('ok', steps);
    }
    if (result === null) this.steps += steps;
    return result;
  }

  private finish(verdict: Verdict, stepsThisRun: number, reason?: string): SearchOutcome {
    this.steps += stepsThisRun;
    this.cache = null;
    this.outcome = {
      verdict,
      ...(reason !== undefined ? { reason } : {}),
      steps: this.steps,
      longest: this.longest,
      stuck: verdict === 'ok' ? -1 : this.stuck,
      perOpLongest: this.perOpSeq,
    };
    return this.outcome;
  }
}

/**
 * Applies operations to sets of states. Shared by the search and by the explanation, which
 * replays a linearization to describe the states along it.
 */
export class StateSetStepper<S, I, O> {
  constructor(
    private readonly model: Model<S, I, O>,
    /** The model's pruning for this part (see Model.deadEnd), or null. */
    private readonly deadEnd: ((state: S, op: Operation<I, O>) => boolean) | null = null,
  ) {}

  /** The model's successors of a state, without those the model's pruning says lead nowhere. */
  private successors(state: S, op: Operation<I, O>): readonly S[] {
    const result = this.model.step(state, op.input, op.output);
    const deadEnd = this.deadEnd;
    if (deadEnd === null || result.length === 0) return result;
    return result.filter((next) => !deadEnd(next, op));
  }

  /** The set of states after op from any of `states`, or null when op is illegal from all of them. */
  step(states: readonly S[], op: Operation<I, O>): readonly S[] | null {
    const pending = op.return === null;
    if (states.length === 1) {
      const only = states[0]!;
      const result = this.successors(only, op);
      // Reuse the caller's array when the state did not change (a read): less to allocate and keep.
      if (result.length === 1) return result[0] === only ? states : result;
      if (result.length === 0) return pending ? states : null;
      return this.dedup(result);
    }
    const all: S[] = [];
    for (const state of states) {
      const result = this.successors(state, op);
      if (result.length === 0 && pending) all.push(state);
      for (const r of result) all.push(r);
    }
    if (all.length === 0) return null;
    return this.dedup(all);
  }

  /** An order-independent hash of a set of states. */
  hashSet(states: readonly S[], hashState: (s: S) => number): number {
    if (states.length === 1) return hashState(states[0]!) | 0;
    let sum = 0;
    for (const s of states) sum = (sum + (hashState(s) | 0)) | 0;
    return sum;
  }

  private dedup(states: readonly S[]): readonly S[] {
    const equal = this.model.equal ?? Object.is;
    const out: S[] = [];
    for (const s of states) {
      let dup = false;
      for (let k = 0; k < out.length && !dup; k++) dup = equal(out[k]!, s);
      if (!dup) out.push(s);
    }
    assert(out.length > 0, 'dedup keeps at least one state');
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * The memo cache of (linearized set, state set) pairs, as a chained hash table over flat typed
 * arrays: entry k's bitset lives in bitPool[k*words .. (k+1)*words). Avoiding one object and one
 * typed array per entry keeps the garbage collector out of the search's hot loop.
 */
class MemoCache<S> {
  size = 0;
  private capacity = 1024;
  private bitPool: Uint32Array;
  private keys = new Int32Array(this.capacity);
  private chain = new Int32Array(this.capacity);
  private states: (readonly S[])[] = [];
  private heads = new Int32Array(2048).fill(nil);

  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
  ) {
    this.bitPool = new Uint32Array(this.capacity * words);
  }

  /** Whether the cache holds (bits plus the bit (word, mask), states) under this key. */
  contains(key: number, bits: Uint32Array, word: number, mask: number, states: readonly S[]): boolean {
    const words = this.words;
    const pool = this.bitPool;
    for (let k = this.heads[key & (this.heads.length - 1)]!; k !== nil; k = this.chain[k]!) {
      if (this.keys[k] !== key) continue;
      const base = k * words;
      let same = true;
      for (let w = 0; w < words && same; w++) {
        const expected = w === word ? (bits[w]! | mask) >>> 0 : bits[w]!;
        same = pool[base + w] === expected;
      }
      if (same && sameStateSet(this.states[k]!, states, this.equal)) return true;
    }
    return false;
  }

  insert(key: number, bits: Uint32Array, word: number, mask: number, states: readonly S[]): void {
    if (this.size === this.capacity) this.grow();
    const k = this.size;
    const base = k * this.words;
    this.bitPool.set(bits, base);
    this.bitPool[base + word] = (bits[word]! | mask) >>> 0;
    this.keys[k] = key;
    this.states.push(states);
    const slot = key & (this.heads.length - 1);
    this.chain[k] = this.heads[slot]!;
    this.heads[slot] = k;
    this.size += 1;
    if (this.size > this.heads.length) this.rehash();
  }

  private grow(): void {
    this.capacity *= 2;
    const pool = new Uint32Array(this.capacity * this.words);
    pool.set(this.bitPool);
    this.bitPool = pool;
    const keys = new Int32Array(this.capacity);
    keys.set(this.keys);
    this.keys = keys;
    const chain = new Int32Array(this.capacity);
    chain.set(this.chain);
    this.chain = chain;
  }

  /** Doubles the head table so chains stay about one entry long on average. */
  private rehash(): void {
    const heads = new Int32Array(this.heads.length * 2).fill(nil);
    const mask = heads.length - 1;
    for (let k = 0; k < this.size; k++) {
      const slot = this.keys[k]! & mask;
      this.chain[k] = heads[slot]!;
      heads[slot] = k;
    }
    this.heads = heads;
  }
}

const nil = -1;
const emptyStates: readonly unknown[] = [];

function constantHash(): number {
  return 0;
}

/**
 * The entry list: entry 2i is operation i's call, 2i+1 its return; index 2n is the head sentinel.
 * Entries are linked in time order; at equal times calls come before returns (so touching
 * intervals count as concurrent), and never-returned operations return after everything else.
 */
const NONE_LAST: ReadonlySet<number> = new Set();

/**
 * The call and return entries in time order. An operation the model says may be linearized last
 * has its call entry moved to the end (before the returns of operations that never returned), so
 * the search tries it only once everything that returned is linearized. One the model says may be
 * linearized at its return has its call entry moved to its return time (before the returns at
 * that time, its own included), so the search tries it only at the end of its interval.
 */
function buildEntryList<I, O>(ops: readonly Operation<I, O>[], lastOps: ReadonlySet<number>, atReturnOps: ReadonlySet<number>): { next: Int32Array; prev: Int32Array } {
  const n = ops.length;
  const order: number[] = [];
  for (let e = 0; e < 2 * n; e++) order.push(e);
  for (const i of lastOps) assert(i >= 0 && i < n && ops[i]!.return === null, `linearizableLast named operation ${i}, which returned or does not exist`);
  for (const i of atReturnOps) assert(i >= 0 && i < n && ops[i]!.return !== null, `linearizableAtReturn named operation ${i}, which never returned or does not exist`);
  const timeOf = (e: number): number => {
    const op = ops[e >>> 1]!;
    if ((e & 1) === 0) {
      if (lastOps.has(e >>> 1)) return Number.POSITIVE_INFINITY;
      return atReturnOps.has(e >>> 1) ? (op.return as number) : op.call;
    }
    return op.return === null ? Number.POSITIVE_INFINITY : op.return;
  };
  order.sort((a, b) => {
    const ta = timeOf(a);
    const tb = timeOf(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    const kind = (a & 1) - (b & 1);
    if (kind !== 0) return kind;
    return a - b;
  });
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const head = 2 * n;
  let last = head;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = nil;
  prev[head] = nil;
  return { next, prev };
}

/** Removes a call entry and its return entry from the list (they can be restored by unlift). */
function lift(next: Int32Array, prev: Int32Array, call: number): void {
  const ret = call + 1;
  next[prev[call]!] = next[call]!;
  prev[next[call]!] = prev[call]!;
  next[prev[ret]!] = next[ret]!;
  if (next[ret] !== nil) prev[next[ret]!] = prev[ret]!;
}

/** Restores what lift removed; lifts and unlifts happen in stack order, so the links are intact. */
function unlift(next: Int32Array, prev: Int32Array, call: number): void {
  const ret = call + 1;
  next[prev[ret]!] = ret;
  if (next[ret] !== nil) prev[next[ret]!] = ret;
  next[prev[call]!] = call;
  prev[next[call]!] = call;
}

function stackOps(stackEntry: Int32Array, depth: number): number[] {
  const seq = new Array<number>(depth);
  for (let k = 0; k < depth; k++) seq[k] = stackEntry[k]! >>> 1;
  return seq;
}

function sameStateSet<S>(a: readonly S[], b: readonly S[], equal: (x: S, y: S) => boolean): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return equal(a[0]!, b[0]!);
  for (const x of a) {
    let found = false;
    for (let k = 0; k < b.length && !found; k++) found = equal(x, b[k]!);
    if (!found) return false;
  }
  return true;
}

/** Fixed pseudo-random 32-bit keys (splitmix32 from a constant seed) for incremental set hashing. */
function zobristKeys(n: number): Int32Array {
  const keys = new Int32Array(n);
  let seed = 0x2545f491;
  for (let i = 0; i < n; i++) {
    seed = (seed + 0x9e3779b9) | 0;
    let z = seed;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    keys[i] = z ^ (z >>> 16);
  }
  return keys;
}
