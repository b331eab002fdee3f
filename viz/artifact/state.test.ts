// Proves the cluster replay: seeking through checkpoints gives exactly the state of a replay from
// the start; the records of a hand-written trace change the state the way they say.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RunArtifact, TraceRecord } from './artifact';
import { ClusterReplay, positionAtTime } from './state';
import { fixture } from '../testing/cached';

function runOf(records: Omit<TraceRecord, 'seq'>[]): RunArtifact {
  const trace = records.map((r, seq) => ({ ...r, seq }));
  return { format: 'loom-run/1', seed: 1, scenario: 'hand', config: {}, schedule: [], summary: {}, verdicts: [], history: [], trace };
}

const rec = (trueUs: number, node: string | null, kind: TraceRecord['kind'], fields: TraceRecord['fields'] = {}, localUs: number | null = null): Omit<TraceRecord, 'seq'> => ({ trueUs, localUs, node, kind, fields });

describe('ClusterReplay', () => {
  it('seeking with checkpoints equals replaying from the start with none', () => {
    const run = fixture();
    const fast = new ClusterReplay(run, 97);
    const slow = new ClusterReplay(run, run.trace.length + 1);
    fc.assert(
      fc.property(fc.integer({ min: -1, max: run.trace.length - 1 }), (p) => {
        expect(fast.at(p)).toEqual(slow.at(p));
      }),
      { numRuns: 25 },
    );
  });

  it('seeking backward after forward gives the same state as seeking there first', () => {
    const run = fixture();
    const replay = new ClusterReplay(run, 500);
    const first = replay.at(1234);
    replay.at(run.trace.length - 1);
    expect(replay.at(1234)).toEqual(first);
  });

  it('follows roles, terms, commit, lease and crash from note records', () => {
    const run = runOf([
      rec(0, 'n1', 'start', { incarnation: 0 }, 0),
      rec(0, 'n2', 'start', { incarnation: 0 }, 0),
      rec(10, 'n1', 'note', { event: 'roleChanged', from: 'follower', to: 'leader', term: 3 }, 10),
      rec(11, 'n1', 'note', { event: 'commitAdvanced', from: 0, to: 7 }, 11),
      rec(12, 'n1', 'note', { event: 'leaseAcquired', expiryLocalUs: 500 }, 12),
      rec(20, 'n1', 'crash', { cause: 'nemesis', lostWrites: 2, tornWrites: 1 }, 20),
    ]);
    const replay = new ClusterReplay(run, 2);
    const leading = replay.at(4).nodes.find((n) => n.id === 'n1');
    expect(leading).toMatchObject({ status: 'up', role: 'leader', term: 3, commitIndex: 7, leaseExpiryLocalUs: 500, leaderId: 'n1' });
    const crashed = replay.at(5).nodes.find((n) => n.id === 'n1');
    expect(crashed).toMatchObject({ status: 'crashed', role: '-', term: 3, leaseExpiryLocalUs: null });
    expect(crashed?.disk).toMatchObject({ lostWrites: 2, tornWrites: 1 });
    expect(replay.at(-1).nodes.every((n) => n.status === 'not started')).toBe(true);
  });

  it('tracks messages in flight per link and the partition groups', () => {
    const run = runOf([
      rec(0, 'n1', 'send', { to: 'n2', type: 'heartbeat' }, 0),
      rec(0, 'n1', 'send', { to: 'n3', type: 'heartbeat' }, 0),
      rec(1, null, 'partition', { spec: '{n1} | {n2 n3}', groups: 'n1 | n3 n2' }),
      rec(2, 'n2', 'deliver', { from: 'n1', type: 'heartbeat' }, 2),
      rec(3, 'n3', 'drop', { from: 'n1', reason: 'partition', type: 'heartbeat' }),
      rec(4, null, 'heal', {}),
    ]);
    const replay = new ClusterReplay(run, 3);
    expect(replay.at(1).inFlightTotal).toBe(2);
    expect(replay.at(2).groups).toEqual([['n1'], ['n2', 'n3']]);
    expect(replay.at(3).inFlight.map((m) => m.to)).toEqual(['n3']);
    expect(replay.at(4).inFlightTotal).toBe(0);
    expect(replay.at(5).partitionSpec).toBeNull();
    expect(replay.at(5).groups).toEqual([['n1', 'n2', 'n3']]);
  });

  it('knows paused and clock offsets, and counts disk work', () => {
    const run = runOf([
      rec(0, 'n1', 'start', { incarnation: 0 }, 0),
      rec(5, 'n1', 'clock', { jumpUs: 700, offsetUs: 700 }, 705),
      rec(6, 'n1', 'disk', { op: 'append', path: 'wal', bytes: 40, ok: true, code: null }, 706),
      rec(7, 'n1', 'disk', { op: 'fsync', path: 'wal', ok: false, code: 'EIO' }, 707),
      rec(8, 'n1', 'pause', {}, 708),
    ]);
    const state = new ClusterReplay(run).at(4);
    expect(state.nodes[0]).toMatchObject({ status: 'paused', clockOffsetUs: 700 });
    expect(state.nodes[0]?.disk).toMatchObject({ ops: 2, bytesWritten: 40, fsyncs: 1, errors: 1, lastError: 'fsync wal: EIO' });
  });

  it('atTime takes every record at or before the instant', () => {
    const run = fixture();
    const t = run.trace[2000]!.trueUs;
    const p = positionAtTime(run.trace, t);
    expect(run.trace[p]!.trueUs).toBe(t);
    if (p + 1 < run.trace.length) expect(run.trace[p + 1]!.trueUs).toBeGreaterThan(t);
    expect(new ClusterReplay(run).atTime(t).position).toBe(p);
  });
});
