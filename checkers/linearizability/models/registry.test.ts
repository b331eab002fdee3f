// Every registered model read from a small Jepsen EDN history: one linearizable and one not,
// through the registry's adapter, plus --initial handling. Proves each adapter reads the event
// shapes its README row promises.

import { describe, expect, it } from 'vitest';
import { checkHistory } from '../check';
import { parseJepsenEdn } from '../formats/jepsen-edn';
import { findModel, modelRegistry } from './registry';

/** Checks an EDN history (one operation map per line) with a registered model. */
function verdict(name: string, lines: string[], initial?: unknown): string {
  const entry = findModel(name);
  if (entry === undefined) throw new Error(`no model ${name}`);
  const created = entry.create(initial);
  if (!created.ok) throw new Error(created.message);
  const parsed = parseJepsenEdn(lines.join('\n'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const checked = checkHistory(created.configured.model, created.configured.adapt, parsed.history);
  if (!checked.ok) return `error: ${checked.error.message}`;
  return checked.result.verdict;
}

const op = (p: number, type: string, f: string, value: string, extra = ''): string => `{:process ${p}, :type :${type}, :f :${f}, :value ${value}${extra}}`;

describe('registered models read Jepsen histories', () => {
  const cases: [string, string[], string[]][] = [
    [
      'register',
      [op(0, 'invoke', 'write', '1'), op(0, 'ok', 'write', '1'), op(1, 'invoke', 'read', 'nil'), op(1, 'ok', 'read', '1')],
      [op(0, 'invoke', 'write', '1'), op(0, 'ok', 'write', '1'), op(1, 'invoke', 'read', 'nil'), op(1, 'ok', 'read', 'nil')],
    ],
    [
      'cas-register',
      [op(0, 'invoke', 'cas', '[nil 2]'), op(0, 'ok', 'cas', '[nil 2]'), op(1, 'invoke', 'read', 'nil'), op(1, 'ok', 'read', '2')],
      [op(0, 'invoke', 'cas', '[1 2]'), op(0, 'ok', 'cas', '[1 2]')],
    ],
    [
      'kv',
      [op(0, 'invoke', 'append', '"x"', ', :key "k"'), op(0, 'ok', 'append', '"x"', ', :key "k"'), op(1, 'invoke', 'get', 'nil', ', :key "k"'), op(1, 'ok', 'get', '"x"', ', :key "k"')],
      [op(0, 'invoke', 'put', '"x"', ', :key "k"'), op(0, 'ok', 'put', '"x"', ', :key "k"'), op(1, 'invoke', 'get', 'nil', ', :key "j"'), op(1, 'ok', 'get', '"x"', ', :key "j"')],
    ],
    [
      'multi-register',
      [op(0, 'invoke', 'txn', '[[:write :x 1] [:write :y 2]]'), op(0, 'ok', 'txn', '[[:write :x 1] [:write :y 2]]'), op(1, 'invoke', 'txn', '[[:read :x nil] [:read :y nil]]'), op(1, 'ok', 'txn', '[[:read :x 1] [:read :y 2]]')],
      [op(0, 'invoke', 'txn', '[[:write :x 1] [:write :y 2]]'), op(0, 'ok', 'txn', '[[:write :x 1] [:write :y 2]]'), op(1, 'invoke', 'txn', '[[:read :x nil] [:read :y nil]]'), op(1, 'ok', 'txn', '[[:read :x 1] [:read :y nil]]')],
    ],
    [
      'mutex',
      [op(0, 'invoke', 'acquire', 'nil'), op(0, 'ok', 'acquire', 'nil'), op(0, 'invoke', 'release', 'nil'), op(0, 'ok', 'release', 'nil'), op(1, 'invoke', 'acquire', 'nil'), op(1, 'ok', 'acquire', 'nil')],
      [op(0, 'invoke', 'acquire', 'nil'), op(0, 'ok', 'acquire', 'nil'), op(1, 'invoke', 'acquire', 'nil'), op(1, 'ok', 'acquire', 'nil')],
    ],
    [
      'fifo-queue',
      [op(0, 'invoke', 'enqueue', '1'), op(0, 'ok', 'enqueue', '1'), op(0, 'invoke', 'enqueue', '2'), op(0, 'ok', 'enqueue', '2'), op(1, 'invoke', 'dequeue', 'nil'), op(1, 'ok', 'dequeue', '1')],
      [op(0, 'invoke', 'enqueue', '1'), op(0, 'ok', 'enqueue', '1'), op(0, 'invoke', 'enqueue', '2'), op(0, 'ok', 'enqueue', '2'), op(1, 'invoke', 'dequeue', 'nil'), op(1, 'ok', 'dequeue', '2')],
    ],
    [
      'set',
      [op(0, 'invoke', 'add', '1'), op(0, 'ok', 'add', '1'), op(1, 'invoke', 'add', '2'), op(1, 'ok', 'add', '2'), op(2, 'invoke', 'read', 'nil'), op(2, 'ok', 'read', '#{2 1}')],
      [op(0, 'invoke', 'add', '1'), op(0, 'ok', 'add', '1'), op(2, 'invoke', 'read', 'nil'), op(2, 'ok', 'read', '#{}')],
    ],
    [
      'counter',
      [op(0, 'invoke', 'add', '2'), op(0, 'ok', 'add', '2'), op(1, 'invoke', 'add', '3'), op(2, 'invoke', 'read', 'nil'), op(2, 'ok', 'read', '5')],
      [op(0, 'invoke', 'add', '2'), op(0, 'ok', 'add', '2'), op(2, 'invoke', 'read', 'nil'), op(2, 'ok', 'read', '3')],
    ],
  ];

  it('covers every registered model', () => {
    expect(cases.map(([name]) => name).sort()).toEqual(modelRegistry.map((m) => m.name).sort());
  });

  it.each(cases)('%s: accepts a linearizable history and rejects one that is not', (name, good, bad) => {
    expect(verdict(name, good)).toBe('ok');
    expect(verdict(name, bad)).toBe('illegal');
  });
});

describe('--initial', () => {
  it('starts each model from the configured value', () => {
    expect(verdict('register', [op(0, 'invoke', 'read', 'nil'), op(0, 'ok', 'read', '7')], 7)).toBe('ok');
    expect(verdict('kv', [op(0, 'invoke', 'get', 'nil', ', :key "a"'), op(0, 'ok', 'get', '"x"', ', :key "a"')], { a: 'x' })).toBe('ok');
    expect(verdict('multi-register', [op(0, 'invoke', 'txn', '[[:read :x nil]]'), op(0, 'ok', 'txn', '[[:read :x 3]]')], { x: 3 })).toBe('ok');
    expect(verdict('mutex', [op(0, 'invoke', 'release', 'nil'), op(0, 'ok', 'release', 'nil')], true)).toBe('ok');
    expect(verdict('fifo-queue', [op(0, 'invoke', 'dequeue', 'nil'), op(0, 'ok', 'dequeue', '9')], [9])).toBe('ok');
    expect(verdict('set', [op(0, 'invoke', 'read', 'nil'), op(0, 'ok', 'read', '[4]')], [4])).toBe('ok');
    expect(verdict('counter', [op(0, 'invoke', 'read', 'nil'), op(0, 'ok', 'read', '10')], 10)).toBe('ok');
  });

  it('rejects an initial value of the wrong shape with a message', () => {
    for (const [name, bad] of [['kv', 3], ['multi-register', [1]], ['mutex', 'yes'], ['fifo-queue', 1], ['set', 'x'], ['counter', 1.5]] as const) {
      const created = findModel(name)!.create(bad);
      expect(created.ok, name).toBe(false);
    }
  });
});

describe('multi-register partitioning', () => {
  const parts = (lines: string[]): string[] => {
    const created = findModel('multi-register')!.create(undefined);
    if (!created.ok) throw new Error(created.message);
    const parsed = parseJepsenEdn(lines.join('\n'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const checked = checkHistory(created.configured.model, created.configured.adapt, parsed.history);
    if (!checked.ok) throw new Error(checked.error.message);
    return checked.result.parts.map((part) => part.label);
  };

  it('checks registers never touched by one transaction as separate parts', () => {
    expect(parts([op(0, 'invoke', 'txn', '[[:write :x 1]]'), op(0, 'ok', 'txn', '[[:write :x 1]]'), op(1, 'invoke', 'txn', '[[:write :y 1]]'), op(1, 'ok', 'txn', '[[:write :y 1]]')])).toEqual([
      'registers x',
      'registers y',
    ]);
  });

  it('checks registers connected through a transaction together', () => {
    const lines = [
      op(0, 'invoke', 'txn', '[[:write :x 1]]'),
      op(0, 'ok', 'txn', '[[:write :x 1]]'),
      op(1, 'invoke', 'txn', '[[:write :y 1]]'),
      op(1, 'ok', 'txn', '[[:write :y 1]]'),
      op(2, 'invoke', 'txn', '[[:read :z nil] [:read :y nil]]'),
      op(2, 'ok', 'txn', '[[:read :z nil] [:read :y 1]]'),
    ];
    expect(parts(lines)).toEqual(['registers x', 'registers y z']);
  });
});
