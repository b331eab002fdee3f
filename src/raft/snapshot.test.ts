// Snapshots and log compaction, read like §7 of the paper: a snapshot once the log exceeds the
// configured size, compaction, InstallSnapshot in chunks to a follower behind the compacted
// prefix (keeping log entries that follow a matching snapshot), and restart from snapshot + log.

import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { durable, entriesOfTerms, feed, makeNode, ofKind, sent } from './testing/fixtures';
import { TestCluster, text } from './testing/network';
import type { InstallSnapshotChunk, SnapshotMeta } from './types';

const META: SnapshotMeta = { lastIndex: 3, lastTerm: 1, config: { voters: ['n1', 'n2', 'n3'], votersOld: null, learners: [] } };

function chunk(offset: number, data: string, done: boolean): InstallSnapshotChunk {
  return { type: 'installSnapshot', term: 1, meta: META, offset, data: text(data), done, round: 1 };
}

describe('§7 taking a snapshot and compacting the log', () => {
  it('asks for a snapshot at the threshold, saves it durably, then compacts its log', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], config: { snapshotThresholdEntries: 5 } });
    c.passTime(300_000);
    c.elect('n1');
    for (let i = 0; i < 6; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`v${i}`) });
    c.deliverAll();
    const n1 = c.node('n1');
    const asked = n1.effects.filter((e) => e.kind === 'takeSnapshot');
    expect(asked.length).toBeGreaterThan(0);
    const saved = ofKind(n1.effects, 'saveSnapshot');
    expect(saved[0]).toMatchObject({ retainLog: true, meta: { lastIndex: 5, lastTerm: 1 } });
    const v = n1.core.inspect();
    expect(v.snapshotIndex).toBe(5);
    expect(v.log.map((e) => e.index)).toEqual([6, 7]);
    expect(n1.events).toContainEqual({ type: 'snapshotTaken', lastIndex: 5, lastTerm: 1 });
    expect(n1.disk.snapshot?.meta.lastIndex).toBe(5);
  });
});

describe('§7 InstallSnapshot in chunks', () => {
  it('assembles chunks in order, refuses a chunk at the wrong offset, and installs only once durable', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 1 }));
    feed(n, 0, { kind: 'start' });
    const first = feed(n, 10, { kind: 'receive', from: 'n1', message: chunk(0, 'abcd', false) });
    expect(sent(first).map((s) => s.message)).toMatchObject([{ type: 'installSnapshotResponse', nextOffset: 4, done: false }]);
    const skip = feed(n, 11, { kind: 'receive', from: 'n1', message: chunk(8, 'ijkl', true) });
    expect(sent(skip).map((s) => s.message)).toMatchObject([{ nextOffset: 4, done: false }]);
    const last = feed(n, 12, { kind: 'receive', from: 'n1', message: chunk(4, 'efgh', true) });
    const save = ofKind(last, 'saveSnapshot');
    expect(save).toMatchObject([{ meta: META, retainLog: false }]);
    expect(new TextDecoder().decode(save[0]?.data)).toBe('abcdefgh');
    expect(ofKind(last, 'installSnapshot')).toEqual([]);
    expect(sent(last)).toEqual([]);
    const persisted: ReturnType<typeof feed> = [];
    for (const e of last) if (e.kind === 'saveSnapshot' || e.kind === 'persistState') persisted.push(...feed(n, 13, { kind: 'persisted', syncId: e.syncId }));
    expect(ofKind(persisted, 'installSnapshot')).toMatchObject([{ meta: META }]);
    expect(sent(persisted).map((s) => s.message)).toMatchObject([{ type: 'installSnapshotResponse', done: true, matchIndex: 3 }]);
    const v = n.inspect();
    expect([v.snapshotIndex, v.commitIndex, v.appliedIndex]).toEqual([3, 3, 3]);
  });

  it('keeps the log entries after a snapshot whose last entry it already holds', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 1, entries: entriesOfTerms([1, 1, 1, 1, 1]) }));
    feed(n, 0, { kind: 'start' });
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: chunk(0, 'snap', true) });
    expect(ofKind(out, 'saveSnapshot')).toMatchObject([{ retainLog: true }]);
    expect(n.inspect().log.map((e) => e.index)).toEqual([4, 5]);
  });

  it('a follower cut off while the leader compacted catches up through chunks and ends with the same state', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], config: { snapshotThresholdEntries: 5, snapshotChunkBytes: 16 } });
    const monitor = new RaftInvariantMonitor();
    c.observer = (cl) => monitor.observe(cl.observation());
    c.passTime(300_000);
    c.elect('n1');
    c.isolate('n3');
    for (let i = 0; i < 12; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`value-${i}`) });
    c.deliverAll();
    expect(c.node('n1').core.inspect().snapshotIndex).toBeGreaterThan(0);
    c.heal();
    for (let i = 0; i < 20; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
    }
    const n3 = c.node('n3');
    const chunks = c.node('n1').effects.filter((e) => e.kind === 'send' && e.message.type === 'installSnapshot' && e.to === 'n3');
    expect(chunks.length).toBeGreaterThan(2);
    expect(n3.events.some((e) => e.type === 'snapshotInstalled')).toBe(true);
    expect(n3.commands).toEqual(c.node('n1').commands);
    expect(n3.commands).toHaveLength(12);
    expect(monitor.violations).toEqual([]);
  });
});

describe('restart from snapshot plus log', () => {
  it('a restarted node restores its snapshot, replays the committed log after it, and keeps its term and vote', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], config: { snapshotThresholdEntries: 4 } });
    const monitor = new RaftInvariantMonitor();
    c.observer = (cl) => monitor.observe(cl.observation());
    c.passTime(300_000);
    c.elect('n1');
    for (let i = 0; i < 7; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`v${i}`) });
    c.deliverAll();
    c.fire('n1', 'heartbeat');
    c.deliverAll();
    const before = c.node('n2');
    const commandsBefore = [...before.commands];
    const viewBefore = before.core.inspect();
    expect(viewBefore.snapshotIndex).toBeGreaterThan(0);
    c.crash('n2');
    c.restart('n2');
    const after = c.node('n2');
    const v = after.core.inspect();
    expect(after.effects.some((e) => e.kind === 'installSnapshot')).toBe(true);
    expect(after.commands).toEqual(commandsBefore);
    expect([v.term, v.votedFor, v.snapshotIndex, v.commitIndex, v.lastLogIndex]).toEqual([viewBefore.term, viewBefore.votedFor, viewBefore.snapshotIndex, viewBefore.commitIndex, viewBefore.lastLogIndex]);
    expect(monitor.violations).toEqual([]);
  });
});
