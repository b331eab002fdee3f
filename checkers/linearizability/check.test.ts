// The checker's API on small hand-written histories: the textbook register examples as
// operations and as events, touching intervals, operations that never returned, budgets that
// give `unknown`, P-compositionality, non-deterministic models, and the errors a history can
// have when converted from Jepsen events.

import { describe, expect, it } from 'vitest';
import { checkEvents, checkHistory, checkOperations } from './check';
import { historyToOperations } from './history';
import type { HistoryEvent } from './history';
import { kvAdapter, kvModel } from './models/kv';
import { registerAdapter, registerModel } from './models/register';
import type { RegisterInput } from './models/register';
import type { CallReturnEvent, Model, Operation } from './types';

type RegOp = Operation<RegisterInput, unknown>;
const write = (client: number, value: number, call: number, ret: number | null): RegOp =>
  ret === null ? { client, input: { f: 'write', value }, call, return: null } : { client, input: { f: 'write', value }, output: true, call, return: ret };
const read = (client: number, value: unknown, call: number, ret: number): RegOp => ({ client, input: { f: 'read' }, output: value, call, return: ret });

describe('single register', () => {
  it('accepts reads of an overlapping write in either order (linearizable)', () => {
    const ops = [write(0, 100, 0, 100), read(1, 100, 25, 75), read(2, 0, 30, 60)];
    expect(checkOperations(registerModel(0), ops).verdict).toBe('ok');
  });

  it('rejects a read of the old value after a read of the new one completed (not linearizable)', () => {
    const ops = [write(0, 200, 0, 100), read(1, 200, 10, 30), read(2, 0, 40, 90)];
    const result = checkOperations(registerModel(0), ops);
    expect(result.verdict).toBe('illegal');
    expect(result.parts[0]!.stuck!.op).toBe(2);
  });

  it('gives the same verdicts for the same histories written as call and return events', () => {
    const w = { f: 'write', value: 100 } as const;
    const r = { f: 'read' } as const;
    const ok: CallReturnEvent<RegisterInput, unknown>[] = [
      { kind: 'call', id: 0, client: 0, value: w },
      { kind: 'call', id: 1, client: 1, value: r },
      { kind: 'call', id: 2, client: 2, value: r },
      { kind: 'return', id: 2, client: 2, value: 0 },
      { kind: 'return', id: 1, client: 1, value: 100 },
      { kind: 'return', id: 0, client: 0, value: true },
    ];
    expect(checkEvents(registerModel(0), ok).verdict).toBe('ok');
    const bad: CallReturnEvent<RegisterInput, unknown>[] = [
      { kind: 'call', id: 0, client: 0, value: w },
      { kind: 'call', id: 1, client: 1, value: r },
      { kind: 'return', id: 1, client: 1, value: 100 },
      { kind: 'call', id: 2, client: 2, value: r },
      { kind: 'return', id: 2, client: 2, value: 0 },
      { kind: 'return', id: 0, client: 0, value: true },
    ];
    expect(checkEvents(registerModel(0), bad).verdict).toBe('illegal');
  });

  it('treats intervals that touch at one instant as concurrent', () => {
    // The read returns at 10, exactly when the write is called: either order is allowed.
    expect(checkOperations(registerModel(0), [read(0, 1, 0, 10), write(1, 1, 10, 20)]).verdict).toBe('ok');
    expect(checkOperations(registerModel(0), [read(0, 1, 0, 9), write(1, 1, 10, 20)]).verdict).toBe('illegal');
  });

  it('lets an operation that never returned take effect any time after its call', () => {
    expect(checkOperations(registerModel(0), [write(0, 5, 0, null), read(1, 0, 10, 20), read(2, 5, 30, 40)]).verdict).toBe('ok');
  });

  it('lets an operation that never returned never take effect', () => {
    expect(checkOperations(registerModel(0), [write(0, 5, 0, null), read(1, 0, 10, 20)]).verdict).toBe('ok');
  });

  it('never lets an operation that never returned take effect before its call', () => {
    expect(checkOperations(registerModel(0), [read(1, 5, 0, 10), write(0, 5, 20, null)]).verdict).toBe('illegal');
  });

  it('finds the empty history linearizable', () => {
    const result = checkOperations(registerModel(0), []);
    expect(result.verdict).toBe('ok');
    expect(result.parts).toEqual([]);
  });
});

describe('bounds give unknown, never a verdict', () => {
  // Many concurrent writes and a final impossible read: illegal only after a long search.
  const hard: RegOp[] = [...Array.from({ length: 12 }, (_, k) => write(k, k, 0, 100)), read(99, 1000, 200, 300)];

  it('returns unknown when the step budget runs out', () => {
    const result = checkOperations(registerModel(0), hard, { maxSteps: 5000 });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('step budget');
    expect(result.steps).toBeLessThanOrEqual(5000);
  });

  it('returns unknown when the stop predicate says so', () => {
    let polls = 0;
    const result = checkOperations(registerModel(0), hard, { shouldStop: () => ++polls > 1 });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('stopped');
  });

  it('returns unknown when the memo cache reaches its bound', () => {
    const result = checkOperations(registerModel(0), hard, { memoryLimitEntries: 100 });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('memory');
  });

  it('reaches the verdict with no bound', () => {
    expect(checkOperations(registerModel(0), hard, { explain: false }).verdict).toBe('illegal');
  });
});

describe('P-compositionality', () => {
  const kvEvents = (rows: [number, HistoryEvent['type'], string, string, unknown][]): HistoryEvent[] =>
    rows.map(([process, type, f, key, value], k) => ({ process, type, f, key, value, line: k + 1 }));
  const history = kvEvents([
    [0, 'invoke', 'put', 'a', 'x'],
    [0, 'ok', 'put', 'a', 'x'],
    [1, 'invoke', 'get', 'b', null],
    [1, 'ok', 'get', 'b', 'never'],
    [0, 'invoke', 'get', 'a', null],
    [0, 'ok', 'get', 'a', 'x'],
  ]);

  it('checks each key as its own part and reports the worst verdict', () => {
    const checked = checkHistory(kvModel(), kvAdapter, history, { stopAtFirstIllegal: false });
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.result.verdict).toBe('illegal');
    expect(checked.result.parts.map((p) => [p.label, p.verdict])).toEqual([
      ['key "a"', 'ok'],
      ['key "b"', 'illegal'],
    ]);
  });

  it('checks the whole map as one part when asked not to partition', () => {
    const checked = checkHistory(kvModel(), kvAdapter, history, { noPartition: true });
    expect(checked.ok && checked.result.parts.length).toBe(1);
    expect(checked.ok && checked.result.verdict).toBe('illegal');
  });

  it('asserts that a partition returns each operation exactly once', () => {
    const broken: Model<unknown, RegisterInput, unknown> = { ...registerModel(0), partition: (ops) => [ops.slice(1)] };
    expect(() => checkOperations(broken, [write(0, 1, 0, 1), read(1, 1, 2, 3)])).toThrow(/partition/);
  });
});

describe('non-deterministic models', () => {
  // A register whose writes may be lost: after write(1) the state is 0 or 1.
  const lossy: Model<number, { f: 'write'; v: number } | { f: 'read' }, unknown> = {
    name: 'lossy',
    init: () => 0,
    step: (s, input, output) => (input.f === 'write' ? [input.v, s] : output === s ? [s] : []),
    hash: (s) => s,
    equal: (a, b) => a === b,
    describeOperation: (input, output) => (input.f === 'write' ? `write(${input.v})` : `read() -> ${String(output)}`),
    describeState: String,
  };
  const op = (input: { f: 'write'; v: number } | { f: 'read' }, output: unknown, call: number, ret: number) => ({ client: call, input, output, call, return: ret });

  it('tracks every state a step may lead to', () => {
    const ops = [op({ f: 'write', v: 1 }, true, 0, 1), op({ f: 'read' }, 0, 2, 3), op({ f: 'write', v: 2 }, true, 4, 5), op({ f: 'read' }, 2, 6, 7)];
    expect(checkOperations(lossy, ops).verdict).toBe('ok');
  });

  it('describes the set of states along the longest prefix of a violation', () => {
    const ops = [op({ f: 'write', v: 1 }, true, 0, 1), op({ f: 'read' }, 7, 2, 3)];
    const result = checkOperations(lossy, ops);
    expect(result.verdict).toBe('illegal');
    expect(result.parts[0]!.longestPrefix).toEqual([{ op: 0, statesAfter: ['1', '0'] }]);
    expect(result.parts[0]!.stuck).toEqual({ op: 1, statesBefore: ['1', '0'], concurrent: [] });
  });
});

describe('converting Jepsen events', () => {
  const ev = (process: number, type: HistoryEvent['type'], f: string, value: unknown, line: number): HistoryEvent => ({ process, type, f, value, line });
  const adapt = registerAdapter(true);

  it('rejects an :ok with no :invoke, naming its line', () => {
    expect(historyToOperations([ev(0, 'ok', 'read', 1, 7)], adapt)).toEqual({ ok: false, error: { line: 7, message: expect.stringContaining('no :invoke') } });
  });

  it('rejects a process that invokes twice without completing', () => {
    const result = historyToOperations([ev(0, 'invoke', 'read', null, 1), ev(0, 'invoke', 'write', 1, 2)], adapt);
    expect(result).toEqual({ ok: false, error: { line: 2, message: expect.stringContaining('has not completed') } });
  });

  it('rejects a function the model does not know', () => {
    const result = historyToOperations([ev(0, 'invoke', 'increment', 1, 1), ev(0, 'ok', 'increment', 1, 2)], adapt);
    expect(result).toEqual({ ok: false, error: { line: 2, message: expect.stringContaining('unknown function :increment') } });
  });

  it('drops :fail operations and leaves :info and unfinished ones open-ended', () => {
    const result = historyToOperations(
      [ev(0, 'invoke', 'write', 1, 1), ev(0, 'fail', 'write', 1, 2), ev(1, 'invoke', 'write', 2, 3), ev(1, 'info', 'write', 2, 4), ev(2, 'invoke', 'write', 3, 5)],
      adapt,
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.operations.map((op) => [op.input, op.return])).toEqual([[{ f: 'write', value: 2 }, null], [{ f: 'write', value: 3 }, null]]);
  });
});

it('produces identical results for identical inputs (determinism)', () => {
  const ops = [write(0, 1, 0, 10), write(1, 2, 0, 10), read(2, 1, 11, 12), read(3, 2, 13, 14)];
  expect(JSON.stringify(checkOperations(registerModel(0), ops))).toBe(JSON.stringify(checkOperations(registerModel(0), ops)));
});
