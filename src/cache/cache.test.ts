import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LogEntry } from '../raft/types';
import { BinaryReader, DecodeError } from './binary';
import { decodeEnvelope, decodeOp, decodeResult, encodeEnvelope, encodeOp, encodeResult, type Envelope } from './codec';
import type { CacheResult, WriteCommand } from './commands';
import { CacheStateMachine } from './machine';
import { CacheStore } from './store';

const str = fc.string({ maxLength: 12 });
const long = fc.integer({ min: -1_000_000, max: 1_000_000 });
const writeArb: fc.Arbitrary<WriteCommand> = fc.oneof(
  fc.record({ op: fc.constant('map.put' as const), name: str, key: str, value: str }),
  fc.record({ op: fc.constant('map.delete' as const), name: str, key: str }),
  fc.record({ op: fc.constant('map.putIfAbsent' as const), name: str, key: str, value: str }),
  fc.record({ op: fc.constant('map.cas' as const), name: str, key: str, expected: fc.option(str, { nil: null }), value: str }),
  fc.record({ op: fc.constant('queue.offer' as const), name: str, value: str }),
  fc.record({ op: fc.constant('queue.poll' as const), name: str }),
  fc.record({ op: fc.constant('topic.publish' as const), name: str, message: str }),
  fc.record({ op: fc.constant('long.set' as const), name: str, value: long }),
  fc.record({ op: fc.constant('long.incrementAndGet' as const), name: str, delta: long }),
  fc.record({ op: fc.constant('long.compareAndSet' as const), name: str, expected: long, value: long }),
);

let index = 0;
function entry(e: Envelope): LogEntry {
  return { index: ++index, term: 1, kind: 'command', data: encodeEnvelope(e), config: null };
}
const put = (key: string, value: string, serial: number, sessionId = 's1', stampUs = serial): LogEntry =>
  entry({ sessionId, serial, stampUs, command: { op: 'map.put', name: 'm', key, value } });

describe('cache codec', () => {
  it('every write round-trips through an envelope', () => {
    fc.assert(
      fc.property(writeArb, str, fc.nat(), fc.nat(), (command, sessionId, serial, stampUs) => {
        const e: Envelope = { sessionId, serial, stampUs, command };
        expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e);
      }),
    );
  });

  it('every result round-trips', () => {
    const resultArb: fc.Arbitrary<CacheResult> = fc.oneof(
      fc.record({ kind: fc.constant('value' as const), value: fc.option(str, { nil: null }) }),
      fc.record({ kind: fc.constant('applied' as const), applied: fc.boolean(), current: fc.option(str, { nil: null }) }),
      fc.record({ kind: fc.constant('number' as const), value: long }),
      fc.record({ kind: fc.constant('messages' as const), first: fc.nat(), messages: fc.array(str, { maxLength: 5 }) }),
      fc.record({ kind: fc.constant('error' as const), code: fc.constantFrom('SESSION_EXPIRED' as const, 'STALE_SERIAL' as const, 'LIMIT' as const, 'BAD_COMMAND' as const), message: str }),
    );
    fc.assert(
      fc.property(resultArb, (r) => {
        expect(decodeResult(encodeResult(r))).toEqual(r);
      }),
    );
  });

  it('arbitrary bytes never decode into anything but a value or a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const decode of [() => decodeEnvelope(bytes), () => decodeResult(bytes), () => decodeOp(new BinaryReader(bytes))]) {
          try {
            decode();
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        }
      }),
    );
  });

  it('a read cannot be smuggled into the log', () => {
    const bytes = encodeOp({ op: 'map.get', name: 'm', key: 'k' }).finish();
    const forged = new Uint8Array([1, 2, 0x73, 0x31, 1, 1, ...bytes]);
    expect(() => decodeEnvelope(forged)).toThrow(/cannot be a log entry/);
  });
});

describe('cache structures', () => {
  it('Map: put returns the previous value, putIfAbsent and cas apply only when their condition holds', () => {
    const s = new CacheStore();
    expect(s.write({ op: 'map.put', name: 'm', key: 'k', value: 'a' })).toEqual({ kind: 'value', value: null });
    expect(s.write({ op: 'map.put', name: 'm', key: 'k', value: 'b' })).toEqual({ kind: 'value', value: 'a' });
    expect(s.write({ op: 'map.putIfAbsent', name: 'm', key: 'k', value: 'c' })).toEqual({ kind: 'applied', applied: false, current: 'b' });
    expect(s.write({ op: 'map.cas', name: 'm', key: 'k', expected: 'x', value: 'c' })).toEqual({ kind: 'applied', applied: false, current: 'b' });
    expect(s.write({ op: 'map.cas', name: 'm', key: 'k', expected: 'b', value: 'c' })).toEqual({ kind: 'applied', applied: true, current: 'c' });
    expect(s.write({ op: 'map.cas', name: 'm', key: 'new', expected: null, value: 'z' })).toEqual({ kind: 'applied', applied: true, current: 'z' });
    expect(s.write({ op: 'map.delete', name: 'm', key: 'k' })).toEqual({ kind: 'value', value: 'c' });
    expect(s.read({ op: 'map.get', name: 'm', key: 'k' })).toEqual({ kind: 'value', value: null });
  });

  it('Queue is first in, first out; offer refuses past the bound', () => {
    const s = new CacheStore({ entriesPerMapMax: 10, queueLengthMax: 2, topicRetainedMax: 10, valueBytesMax: 100, structuresMax: 10, topicReadMax: 10 });
    s.write({ op: 'queue.offer', name: 'q', value: '1' });
    s.write({ op: 'queue.offer', name: 'q', value: '2' });
    expect(s.write({ op: 'queue.offer', name: 'q', value: '3' })).toEqual({ kind: 'applied', applied: false, current: null });
    expect(s.read({ op: 'queue.size', name: 'q' })).toEqual({ kind: 'number', value: 2 });
    expect(s.read({ op: 'queue.peek', name: 'q' })).toEqual({ kind: 'value', value: '1' });
    expect(s.write({ op: 'queue.poll', name: 'q' })).toEqual({ kind: 'value', value: '1' });
    expect(s.write({ op: 'queue.poll', name: 'q' })).toEqual({ kind: 'value', value: '2' });
    expect(s.write({ op: 'queue.poll', name: 'q' })).toEqual({ kind: 'value', value: null });
  });

  it('Topic: messages get increasing sequence numbers and subscribers read them in commit order, newest retained', () => {
    const s = new CacheStore({ entriesPerMapMax: 10, queueLengthMax: 10, topicRetainedMax: 3, valueBytesMax: 100, structuresMax: 10, topicReadMax: 10 });
    for (const m of ['a', 'b', 'c', 'd']) s.write({ op: 'topic.publish', name: 't', message: m });
    expect(s.read({ op: 'topic.read', name: 't', from: 1, max: 10 })).toEqual({ kind: 'messages', first: 2, messages: ['b', 'c', 'd'] });
    expect(s.read({ op: 'topic.read', name: 't', from: 3, max: 1 })).toEqual({ kind: 'messages', first: 3, messages: ['c'] });
  });

  it('AtomicLong: incrementAndGet, set and compareAndSet', () => {
    const s = new CacheStore();
    expect(s.write({ op: 'long.incrementAndGet', name: 'c', delta: 5 })).toEqual({ kind: 'number', value: 5 });
    expect(s.write({ op: 'long.compareAndSet', name: 'c', expected: 4, value: 9 })).toEqual({ kind: 'applied', applied: false, current: '5' });
    expect(s.write({ op: 'long.compareAndSet', name: 'c', expected: 5, value: 9 })).toEqual({ kind: 'applied', applied: true, current: '9' });
    expect(s.write({ op: 'long.set', name: 'c', value: -2 })).toEqual({ kind: 'number', value: -2 });
    expect(s.read({ op: 'long.get', name: 'c' })).toEqual({ kind: 'number', value: -2 });
  });
});

describe('cache state machine: sessions give exactly-once writes', () => {
  it('a retried write (same session and serial) returns the first result and is not applied again', () => {
    const m = new CacheStateMachine();
    const first = m.apply(entry({ sessionId: 's', serial: 1, stampUs: 1, command: { op: 'long.incrementAndGet', name: 'c', delta: 1 } }));
    const retry = m.apply(entry({ sessionId: 's', serial: 1, stampUs: 2, command: { op: 'long.incrementAndGet', name: 'c', delta: 1 } }));
    expect(decodeResult(retry)).toEqual(decodeResult(first));
    expect(m.read({ op: 'long.get', name: 'c' })).toEqual({ kind: 'number', value: 1 });
    expect(decodeResult(m.apply(entry({ sessionId: 's', serial: 0, stampUs: 3, command: { op: 'long.set', name: 'c', value: 7 } }))).kind).toBe('error');
    expect(m.read({ op: 'long.get', name: 'c' })).toEqual({ kind: 'number', value: 1 });
  });

  it('a session idle past its TTL expires, and its late retry fails instead of applying twice', () => {
    const m = new CacheStateMachine(undefined, { sessionsMax: 10, sessionTtlUs: 1_000, expiredRememberedMax: 10 });
    m.apply(put('k', 'v1', 1, 'old', 10));
    m.apply(put('k', 'v2', 1, 'other', 5_000));
    expect(decodeResult(m.apply(put('k', 'v1', 1, 'old', 5_001)))).toEqual({ kind: 'error', code: 'SESSION_EXPIRED', message: 'session old expired' });
    expect(m.read({ op: 'map.get', name: 'm', key: 'k' })).toEqual({ kind: 'value', value: 'v2' });
  });

  it('a malformed log entry is answered BAD_COMMAND on every replica, never a crash', () => {
    const m = new CacheStateMachine();
    const bad: LogEntry = { index: 1, term: 1, kind: 'command', data: new Uint8Array([9, 9, 9]), config: null };
    expect(decodeResult(m.apply(bad)).kind).toBe('error');
  });

  it('a replica restored from a snapshot behaves exactly like the one that took it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(writeArb, fc.constantFrom('a', 'b', 'c'), fc.nat({ max: 5 })), { maxLength: 40 }), fc.array(writeArb, { maxLength: 20 }), (before, after) => {
        const a = new CacheStateMachine();
        let stamp = 0;
        const serials = new Map<string, number>();
        const next = (session: string, command: WriteCommand, retry: boolean): LogEntry => {
          const serial = (serials.get(session) ?? 0) + (retry ? 0 : 1);
          serials.set(session, serial);
          return entry({ sessionId: session, serial, stampUs: ++stamp, command });
        };
        for (const [command, session, r] of before) a.apply(next(session, command, r === 0));
        const b = new CacheStateMachine();
        b.restore(a.snapshot());
        expect(b.snapshot()).toEqual(a.snapshot());
        for (const command of after) {
          const e = next('a', command, false);
          expect(b.apply(e)).toEqual(a.apply(e));
        }
        expect(b.snapshot()).toEqual(a.snapshot());
      }),
      { numRuns: 200 },
    );
  });
});
