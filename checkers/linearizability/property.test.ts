// Property tests: the search agrees with the brute-force reference on thousands of random small
// histories of every model (and of a non-deterministic model); histories produced by a
// sequential run with random overlapping intervals are always linearizable; and giving one read
// a value nobody wrote makes them not linearizable.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForceLinearizable } from './brute-force';
import { checkOperations } from './check';
import { counterModel } from './models/counter';
import { fifoQueueModel } from './models/fifo-queue';
import { kvModel } from './models/kv';
import type { KvInput, KvOutput } from './models/kv';
import { multiRegisterModel } from './models/multi-register';
import type { MicroOp } from './models/multi-register';
import { mutexModel } from './models/mutex';
import { casRegisterModel, registerModel } from './models/register';
import type { RegisterInput } from './models/register';
import { setModel } from './models/set';
import type { Model, Operation } from './types';

/** A model under test with generators for a random operation and for a correct sequential run. */
interface Subject {
  readonly name: string;
  readonly model: () => Model<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A random input with a random (possibly wrong) output. */
  readonly randomOp: fc.Arbitrary<{ input: unknown; output: unknown }>;
  /** A random input; run() computes its correct output from a state. */
  readonly randomInput: fc.Arbitrary<unknown>;
  readonly run: (state: any, input: any) => { output: unknown; next: unknown }; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Replaces a read's output with a value no operation can produce, or null if op is not a read. */
  readonly corruptRead: (input: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const small = fc.integer({ min: 0, max: 2 });
const smallOrNil = fc.oneof(small, fc.constant(null));
const keys = fc.constantFrom('a', 'b');

/** A register that may silently lose a write: a non-deterministic model. */
function lossyRegisterModel(): Model<number, { f: 'read' } | { f: 'write'; value: number }, number | true> {
  return {
    name: 'lossy-register',
    init: () => 0,
    step: (state, input, output) => {
      if (input.f === 'write') return [input.value, state];
      return output === undefined || output === state ? [state] : [];
    },
    hash: (state) => state,
    equal: (a, b) => a === b,
    describeOperation: (input, output) => `${input.f} ${String(output)}`,
    describeState: String,
  };
}

/** A mutex whose step rejects an impossible acquire or release even when its outcome is unknown. */
function strictMutexModel(): Model<boolean, { f: 'acquire' | 'release' }, true> {
  return {
    name: 'strict-mutex',
    init: () => false,
    step: (held, input) => (input.f === 'acquire' ? (held ? [] : [true]) : held ? [false] : []),
    hash: (held) => (held ? 1 : 0),
    equal: (a, b) => a === b,
    describeOperation: (input) => input.f,
    describeState: String,
  };
}

const subjects: Subject[] = [
  {
    name: 'register',
    model: () => registerModel(null),
    randomOp: fc.oneof(
      fc.record({ input: fc.constant({ f: 'read' }), output: smallOrNil }),
      fc.record({ input: fc.record({ f: fc.constant('write'), value: small }), output: fc.constant(true) }),
    ),
    randomInput: fc.oneof(fc.constant({ f: 'read' }), fc.record({ f: fc.constant('write'), value: small })),
    run: (state, input: RegisterInput) => (input.f === 'read' ? { output: state, next: state } : { output: true, next: (input as { value: unknown }).value }),
    corruptRead: (input: RegisterInput) => (input.f === 'read' ? 99 : null),
  },
  {
    name: 'cas-register',
    model: () => casRegisterModel(null),
    randomOp: fc.oneof(
      fc.record({ input: fc.constant({ f: 'read' }), output: smallOrNil }),
      fc.record({ input: fc.record({ f: fc.constant('write'), value: small }), output: fc.constant(true) }),
      fc.record({ input: fc.record({ f: fc.constant('cas'), from: smallOrNil, to: small }), output: fc.boolean() }),
    ),
    randomInput: fc.oneof(
      fc.constant({ f: 'read' }),
      fc.record({ f: fc.constant('write'), value: small }),
      fc.record({ f: fc.constant('cas'), from: smallOrNil, to: small }),
    ),
    run: (state, input: RegisterInput) => {
      if (input.f === 'read') return { output: state, next: state };
      if (input.f === 'write') return { output: true, next: input.value };
      return state === input.from ? { output: true, next: input.to } : { output: false, next: state };
    },
    corruptRead: (input: RegisterInput) => (input.f === 'read' ? 99 : null),
  },
  {
    name: 'kv',
    model: () => kvModel(),
    randomOp: fc.oneof(
      fc.record({ input: fc.record({ f: fc.constant('get'), key: keys, value: fc.constant('') }), output: fc.constantFrom('', 'x', 'y', 'xy', 'yx', 'xx') }),
      fc.record({ input: fc.record({ f: fc.constantFrom('put', 'append'), key: keys, value: fc.constantFrom('x', 'y') }), output: fc.constant(true) }),
    ),
    randomInput: fc.record({ f: fc.constantFrom('get', 'put', 'append'), key: keys, value: fc.constantFrom('x', 'y') }),
    run: (state: Record<string, string>, input: KvInput) => {
      const current = state[input.key] ?? '';
      if (input.f === 'get') return { output: current as KvOutput, next: state };
      return { output: true, next: { ...state, [input.key]: input.f === 'put' ? input.value : current + input.value } };
    },
    corruptRead: (input: KvInput) => (input.f === 'get' ? 'never written' : null),
  },
  {
    name: 'multi-register',
    model: () => multiRegisterModel(),
    randomOp: fc
      .array(fc.record({ f: fc.constantFrom('read', 'write'), key: fc.constantFrom('x', 'y'), value: smallOrNil }), { minLength: 1, maxLength: 2 })
      .map((micro) => ({ input: micro.map((m) => ({ ...m, value: m.f === 'read' ? null : m.value })), output: micro })),
    randomInput: fc.array(fc.record({ f: fc.constantFrom('read', 'write'), key: fc.constantFrom('x', 'y'), value: small }), { minLength: 1, maxLength: 2 }),
    run: (state: Record<string, unknown>, input: MicroOp[]) => {
      const next = { ...state };
      const output = input.map((m) => {
        if (m.f === 'read') return { ...m, value: next[m.key] ?? null };
        next[m.key] = m.value;
        return m;
      });
      return { output, next };
    },
    corruptRead: (input: MicroOp[]) => (input.some((m) => m.f === 'read') ? input.map((m) => (m.f === 'read' ? { ...m, value: 99 } : m)) : null),
  },
  {
    name: 'mutex',
    model: () => mutexModel(false),
    randomOp: fc.record({ input: fc.record({ f: fc.constantFrom('acquire', 'release') }), output: fc.constant(true) }),
    randomInput: fc.constant({ f: 'toggle' }),
    run: (held: boolean) => ({ output: true, next: !held }),
    corruptRead: () => null,
  },
  {
    name: 'strict-mutex (pending operations may never happen)',
    model: strictMutexModel,
    randomOp: fc.record({ input: fc.record({ f: fc.constantFrom('acquire', 'release') }), output: fc.constant(true) }),
    randomInput: fc.constant({ f: 'toggle' }),
    run: (held: boolean) => ({ output: true, next: !held }),
    corruptRead: () => null,
  },
  {
    name: 'fifo-queue',
    model: () => fifoQueueModel([]),
    randomOp: fc.oneof(
      fc.record({ input: fc.record({ f: fc.constant('enqueue'), value: small }), output: fc.constant(true) }),
      fc.record({ input: fc.constant({ f: 'dequeue' }), output: smallOrNil }),
    ),
    randomInput: fc.oneof(fc.record({ f: fc.constant('enqueue'), value: small }), fc.constant({ f: 'dequeue' })),
    run: (queue: unknown[], input: { f: string; value?: unknown }) => {
      if (input.f === 'enqueue') return { output: true, next: [...queue, input.value] };
      return queue.length === 0 ? { output: null, next: queue } : { output: queue[0], next: queue.slice(1) };
    },
    corruptRead: (input: { f: string }) => (input.f === 'dequeue' ? 99 : null),
  },
  {
    name: 'set',
    model: () => setModel([]),
    randomOp: fc.oneof(
      fc.record({ input: fc.record({ f: fc.constant('add'), value: small }), output: fc.constant(true) }),
      fc.record({ input: fc.constant({ f: 'read' }), output: fc.uniqueArray(small, { maxLength: 3 }) }),
    ),
    randomInput: fc.oneof(fc.record({ f: fc.constant('add'), value: small }), fc.constant({ f: 'read' })),
    run: (elements: number[], input: { f: string; value?: number }) => {
      if (input.f === 'add') return { output: true, next: elements.includes(input.value!) ? elements : [...elements, input.value!] };
      return { output: [...elements].reverse(), next: elements };
    },
    corruptRead: (input: { f: string }) => (input.f === 'read' ? [99] : null),
  },
  {
    name: 'counter',
    model: () => counterModel(0),
    randomOp: fc.oneof(
      fc.record({ input: fc.record({ f: fc.constant('add'), amount: fc.integer({ min: -1, max: 2 }) }), output: fc.constant(true) }),
      fc.record({ input: fc.constant({ f: 'read' }), output: fc.integer({ min: 0, max: 4 }) }),
    ),
    randomInput: fc.oneof(fc.record({ f: fc.constant('add'), amount: fc.integer({ min: -1, max: 2 }) }), fc.constant({ f: 'read' })),
    run: (total: number, input: { f: string; amount?: number }) =>
      input.f === 'add' ? { output: true, next: total + input.amount! } : { output: total, next: total },
    corruptRead: (input: { f: string }) => (input.f === 'read' ? 1000 : null),
  },
  {
    name: 'lossy-register (non-deterministic)',
    model: lossyRegisterModel,
    randomOp: fc.oneof(
      fc.record({ input: fc.constant({ f: 'read' }), output: small }),
      fc.record({ input: fc.record({ f: fc.constant('write'), value: small }), output: fc.constant(true) }),
    ),
    randomInput: fc.oneof(fc.constant({ f: 'read' }), fc.record({ f: fc.constant('write'), value: small })),
    run: (state: number, input: { f: string; value?: number }) =>
      input.f === 'read' ? { output: state, next: state } : { output: true, next: input.value! },
    corruptRead: (input: { f: string }) => (input.f === 'read' ? 99 : null),
  },
];

/** Random intervals: some operations overlap, some never return. */
const interval = fc.record({
  call: fc.integer({ min: 0, max: 12 }),
  length: fc.integer({ min: 0, max: 6 }),
  pending: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
});

function randomHistory(subject: Subject): fc.Arbitrary<Operation[]> {
  return fc.array(fc.tuple(subject.randomOp, interval, fc.integer({ min: 0, max: 3 })), { minLength: 0, maxLength: 8 }).map((items) =>
    items.map(([op, time, client]) => {
      const base = { client, input: op.input, call: time.call };
      return time.pending ? { ...base, return: null } : { ...base, output: op.output, return: time.call + time.length };
    }),
  );
}

/**
 * A correct sequential run: operation k takes effect at time 10k+5; its interval is widened at
 * random around that point, so intervals overlap but never contradict the real order.
 */
function sequentialHistory(subject: Subject): fc.Arbitrary<Operation[]> {
  const before = fc.integer({ min: 0, max: 25 });
  return fc.array(fc.tuple(subject.randomInput, before, before), { minLength: 1, maxLength: 30 }).map((items) => {
    const model = subject.model();
    let state: unknown = subject.name === 'kv' || subject.name === 'multi-register' ? {} : subject.name === 'set' || subject.name === 'fifo-queue' ? [] : model.init();
    if (subject.name.includes('mutex')) state = false;
    return items.map(([rawInput, early, late], k) => {
      let input = rawInput;
      if (subject.name.includes('mutex')) input = { f: state ? 'release' : 'acquire' };
      const { output, next } = subject.run(state, input);
      state = next;
      const point = 10 * k + 5;
      return { client: k, input, output, call: Math.max(0, point - early), return: point + late };
    });
  });
}

describe('search agrees with the brute-force reference', () => {
  for (const subject of subjects) {
    it(`gives the reference's verdict on random small ${subject.name} histories`, () => {
      const verdicts = new Set<string>();
      fc.assert(
        fc.property(randomHistory(subject), (ops) => {
          const expected = bruteForceLinearizable(subject.model(), ops);
          const result = checkOperations(subject.model(), ops, { explain: false });
          expect(result.verdict).toBe(expected ? 'ok' : 'illegal');
          verdicts.add(result.verdict);
        }),
        { numRuns: 400 },
      );
      // Both verdicts must occur, or the comparison proves little.
      expect([...verdicts].sort()).toEqual(['illegal', 'ok']);
    });
  }
});

describe('sequential runs with random overlaps', () => {
  for (const subject of subjects) {
    it(`are linearizable for ${subject.name}`, () => {
      fc.assert(
        fc.property(sequentialHistory(subject), (ops) => {
          expect(checkOperations(subject.model(), ops).verdict).toBe('ok');
        }),
        { numRuns: 150 },
      );
    });
    if (subject.name.includes('mutex')) continue;
    it(`are not linearizable for ${subject.name} once one read returns a value nobody wrote`, () => {
      fc.assert(
        fc.property(sequentialHistory(subject), fc.nat(), (ops, pick) => {
          const reads = ops.map((op, k) => (subject.corruptRead(op.input) === null ? -1 : k)).filter((k) => k >= 0);
          fc.pre(reads.length > 0);
          const k = reads[pick % reads.length]!;
          const corrupted = ops.map((op, j) => (j === k ? { ...op, output: subject.corruptRead(op.input) } : op));
          expect(checkOperations(subject.model(), corrupted).verdict).toBe('illegal');
        }),
        { numRuns: 150 },
      );
    });
  }
});
