import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../workload/history';
import { durabilityVerdict, linearizabilityVerdict, livenessVerdict, topicVerdict } from './history-checks';

let index = 0;
function ev(process: string, type: HistoryEvent['type'], f: string, key: string, value: unknown, time: number): HistoryEvent {
  return { index: index++, process, type, f, key, value, time, op: `${f} ${key}` };
}

describe('end-of-run checks over the history', () => {
  it('linearizability: a read of an overwritten value after the overwrite completed fails, naming the key and the operation', () => {
    index = 0;
    const ok = [ev('c1', 'invoke', 'write', 'map:m/k', 'a', 1), ev('c1', 'ok', 'write', 'map:m/k', 'a', 2), ev('c2', 'invoke', 'read', 'map:m/k', null, 3), ev('c2', 'ok', 'read', 'map:m/k', 'a', 4)];
    expect(linearizabilityVerdict(ok).verdict).toBe('pass');
    const stale = [...ok, ev('c1', 'invoke', 'write', 'map:m/k', 'b', 5), ev('c1', 'ok', 'write', 'map:m/k', 'b', 6), ev('c2', 'invoke', 'read', 'map:m/k', null, 7), ev('c2', 'ok', 'read', 'map:m/k', 'a', 8)];
    const v = linearizabilityVerdict(stale);
    expect(v.verdict).toBe('fail');
    expect(v.summary).toContain('map:m/k is not linearizable');
  });

  it('durability: a final counter read below the acknowledged increments fails; within the indeterminate ones passes', () => {
    index = 0;
    const adds = [ev('c1', 'invoke', 'add', 'long:ctr', 1, 1), ev('c1', 'ok', 'add', 'long:ctr', 1, 2), ev('c2', 'invoke', 'add', 'long:ctr', 1, 3), ev('c2', 'info', 'add', 'long:ctr', 1, 4)];
    const read = (n: number) => [ev('c3', 'invoke', 'read', 'long:ctr', null, 5), ev('c3', 'ok', 'read', 'long:ctr', n, 6)];
    expect(durabilityVerdict([...adds, ...read(0)], 'long:ctr').verdict).toBe('fail');
    expect(durabilityVerdict([...adds, ...read(1)], 'long:ctr').verdict).toBe('pass');
    expect(durabilityVerdict([...adds, ...read(2)], 'long:ctr').verdict).toBe('pass');
    expect(durabilityVerdict([...adds, ...read(3)], 'long:ctr').verdict).toBe('fail');
    expect(durabilityVerdict(adds, 'long:ctr').verdict).toBe('unknown');
  });

  it('durability: an increment acknowledged while the final read was in flight may or may not be in it (regression: crash seed 14)', () => {
    index = 0;
    const before = [ev('c1', 'invoke', 'add', 'long:ctr', 1, 1), ev('c1', 'ok', 'add', 'long:ctr', 1, 2)];
    const concurrent = (n: number) => [
      ev('c2', 'invoke', 'add', 'long:ctr', 1, 3),
      ev('c3', 'invoke', 'read', 'long:ctr', null, 4),
      ev('c3', 'ok', 'read', 'long:ctr', n, 5),
      ev('c2', 'ok', 'add', 'long:ctr', 1, 6),
    ];
    expect(durabilityVerdict([...before, ...concurrent(1)], 'long:ctr').verdict).toBe('pass');
    expect(durabilityVerdict([...before, ...concurrent(2)], 'long:ctr').verdict).toBe('pass');
    expect(durabilityVerdict([...before, ...concurrent(0)], 'long:ctr').verdict).toBe('fail');
    expect(durabilityVerdict([...before, ...concurrent(3)], 'long:ctr').verdict).toBe('fail');
  });

  it('topic order: two reads that disagree on a sequence number fail', () => {
    index = 0;
    const r = (p: string, first: number, messages: string[], t: number) => [ev(p, 'invoke', 'read-topic', 'topic:t', null, t), ev(p, 'ok', 'read-topic', 'topic:t', { first, messages }, t + 1)];
    expect(topicVerdict([...r('c1', 1, ['a', 'b'], 1), ...r('c2', 2, ['b'], 3)]).verdict).toBe('pass');
    expect(topicVerdict([...r('c1', 1, ['a', 'b'], 1), ...r('c2', 2, ['x'], 3)]).verdict).toBe('fail');
    // A read that began after a publish was acknowledged must see it.
    const publish = [ev('c3', 'invoke', 'publish', 'topic:t', 'c', 5), ev('c3', 'ok', 'publish', 'topic:t', 3, 6)];
    expect(topicVerdict([...r('c1', 1, ['a', 'b'], 1), ...publish, ...r('c2', 1, ['a', 'b'], 7)]).verdict).toBe('fail');
  });

  it('liveness: a key with no success within the bound after healing fails', () => {
    index = 0;
    const h = [ev('c1', 'invoke', 'read', 'map:m/a', null, 10), ev('c1', 'ok', 'read', 'map:m/a', null, 20), ev('c2', 'invoke', 'read', 'map:m/b', null, 10), ev('c2', 'ok', 'read', 'map:m/b', null, 500)];
    expect(livenessVerdict(h, 0, 100).verdict).toBe('fail');
    expect(livenessVerdict(h, 0, 1000).verdict).toBe('pass');
  });
});
