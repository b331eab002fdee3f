// The history parsers: EDN values, Jepsen EDN histories (vector or one map per line, comments,
// missing commas, tagged records), Porcupine's etcd logs, the workbench's JSON format, and the
// errors each gives for malformed input, with the line of the problem.

import { describe, expect, it } from 'vitest';
import { readEdnValue } from './edn';
import { parseJepsenEdn } from './jepsen-edn';
import { parseJepsenLog } from './jepsen-log';
import { parseJsonHistory } from './json';

describe('EDN values', () => {
  it('reads scalars, keywords as names, collections, sets, tags and discards', () => {
    const read = readEdnValue('{:a [1 -2 3.5 nil true "s\\"q"] :b #{:x} :c (1 2) #_ :skipped :d #inst "2020" :e 1/2 :f \\a}');
    expect(read).toEqual({ ok: true, value: { a: [1, -2, 3.5, null, true, 's"q'], b: ['x'], c: [1, 2], d: '2020', e: 0.5, f: 'a' } });
  });

  it('reports an unclosed collection with the line it was opened on', () => {
    const read = readEdnValue('[1\n2\n');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.message).toContain('opened on line 1');
  });

  it('rejects a map with an odd number of forms', () => {
    const read = readEdnValue('{:a}');
    expect(read.ok).toBe(false);
  });
});

describe('jepsen-edn', () => {
  it('reads one map per line with comments, missing commas and any extra keys', () => {
    const text = [
      '; a comment',
      '{:process 0 :type :invoke :f :write :value 3 :time 10 :index 0 :extra "x"}',
      '{:process 0, :type :ok, :f :write, :value 3}',
      '{:process :nemesis, :type :info, :f :start, :value nil}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
    ].join('\n');
    const parsed = parseJepsenEdn(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.history).toEqual([
      { process: 0, type: 'invoke', f: 'write', value: 3, time: 10, index: 0, line: 2 },
      { process: 0, type: 'ok', f: 'write', value: 3, line: 3 },
      { process: 1, type: 'invoke', f: 'get', key: 'k', value: null, line: 5 },
    ]);
  });

  it('reads a vector of operation maps, including tagged records, each with its own line', () => {
    const parsed = parseJepsenEdn('[{:process 0, :type :invoke, :f :read}\n #jepsen.history.Op{:process 0, :type :ok, :f :read, :value 1}]');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.history.map((e) => [e.type, e.line])).toEqual([['invoke', 1], ['ok', 2]]);
  });

  it('names the line and what was expected for a bad :type', () => {
    const parsed = parseJepsenEdn('{:process 0, :type :invoke, :f :read}\n{:process 0, :type :done, :f :read}');
    expect(parsed).toEqual({ ok: false, error: { line: 2, message: expect.stringContaining(':invoke, :ok, :fail or :info') } });
  });

  it('names the line of a form that is not a map', () => {
    const parsed = parseJepsenEdn('{:process 0, :type :invoke, :f :read}\n\n[1 2]');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.line).toBe(3);
  });

  it('names the line of a syntax error', () => {
    const parsed = parseJepsenEdn('{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :read, :value "x}');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toEqual({ line: 2, message: expect.stringContaining('never closed') });
  });
});

describe('jepsen-log', () => {
  it('reads operation lines and ignores log noise', () => {
    const text = ['INFO  jepsen.util - 3\t:invoke\t:cas\t[3 0]', 'some other line', 'INFO  jepsen.util - 3\t:fail\t:cas\t[3 0]'].join('\n');
    const parsed = parseJepsenLog(text);
    expect(parsed).toEqual({
      ok: true,
      history: [
        { process: 3, type: 'invoke', f: 'cas', value: [3, 0], line: 1 },
        { process: 3, type: 'fail', f: 'cas', value: [3, 0], line: 3 },
      ],
    });
  });

  it('names the line of an operation line it cannot read', () => {
    const parsed = parseJepsenLog('INFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:okay\t:read\t3');
    expect(parsed).toEqual({ ok: false, error: { line: 2, message: expect.stringContaining(':okay') } });
  });
});

describe('json (loom-history/1)', () => {
  it('reads the wrapped form and a bare array alike', () => {
    const events = [
      { process: 'c1', type: 'invoke', f: 'put', key: 'a', value: 'x', time: 5 },
      { process: 'c1', type: 'ok', f: 'put', key: 'a', value: 'x', time: 9 },
    ];
    const wrapped = parseJsonHistory(JSON.stringify({ format: 'loom-history/1', events }, null, 2));
    const bare = parseJsonHistory(JSON.stringify(events));
    expect(wrapped.ok && bare.ok).toBe(true);
    if (wrapped.ok && bare.ok) {
      expect(wrapped.history.map(({ line: _line, ...rest }) => rest)).toEqual(events);
      expect(bare.history.map(({ line: _line, ...rest }) => rest)).toEqual(events);
    }
  });

  it('names the line of a malformed event', () => {
    const text = '[\n{"process": 1, "type": "invoke", "f": "read"},\n{"process": 1, "type": "maybe", "f": "read"}\n]';
    const parsed = parseJsonHistory(text);
    expect(parsed).toEqual({ ok: false, error: { line: 3, message: expect.stringContaining('event 1') } });
  });

  it('rejects a time that is not integer microseconds', () => {
    const parsed = parseJsonHistory('[{"process": 1, "type": "invoke", "f": "read", "time": 1.5}]');
    expect(parsed.ok).toBe(false);
  });

  it('rejects events whose time goes backwards', () => {
    const parsed = parseJsonHistory('[{"process": 1, "type": "invoke", "f": "read", "time": 10},\n{"process": 1, "type": "ok", "f": "read", "time": 9}]');
    expect(parsed).toEqual({ ok: false, error: { line: 2, message: expect.stringContaining('time order') } });
  });

  it('reports invalid JSON as an error, not an exception', () => {
    const parsed = parseJsonHistory('[\n{"process": 1,,}\n]');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain('invalid JSON');
  });
});
