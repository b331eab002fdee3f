// The planted bugs: each switch, off by default, shown to change behaviour only when on, so
// the workbench can later prove its checks catch them.

import { describe, expect, it } from 'vitest';
import { NO_BUGS } from './config';
import type { RaftBugs } from './config';
import { durable, entriesOfTerms, feed, makeNode, ofKind, persistAll, sent } from './testing/fixtures';
import { TestCluster, text } from './testing/network';
import type { RaftNode } from './node';

const VOTERS = ['n1', 'n2', 'n3'];

function bugs(on: Partial<RaftBugs>): { bugs: RaftBugs } {
  return { bugs: { ...NO_BUGS, ...on } };
}

describe('commitPriorTermByCounting (Figure 8)', () => {
  function leaderOfTerm3WithTerm2Entry(on: boolean): RaftNode {
    const n = makeNode('n1', VOTERS, durable({ term: 2, entries: entriesOfTerms([1, 2]) }), { preVote: false, ...bugs({ commitPriorTermByCounting: on }) });
    feed(n, 0, { kind: 'start' });
    persistAll(n, 300_000, feed(n, 300_000, { kind: 'timerFired', timer: 'election' }));
    feed(n, 300_001, { kind: 'receive', from: 'n2', message: { type: 'voteResponse', preVote: false, term: 3, granted: true } });
    expect(n.inspect().role).toBe('leader');
    // n2 holds index 2 (term 2); the no-op of term 3 is not yet durable anywhere.
    feed(n, 300_002, { kind: 'receive', from: 'n2', message: { type: 'appendResponse', term: 3, success: true, matchIndex: 2, rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0, round: 1 } });
    return n;
  }
  it('off: a majority holding an earlier term’s entry does not commit it', () => {
    expect(leaderOfTerm3WithTerm2Entry(false).inspect().commitIndex).toBe(0);
  });
  it('on: the leader commits it by counting', () => {
    expect(leaderOfTerm3WithTerm2Entry(true).inspect().commitIndex).toBe(2);
  });
});

describe('voteBeforeDurable', () => {
  function grant(on: boolean): ReturnType<typeof feed> {
    const n = makeNode('n2', VOTERS, durable({ term: 1 }), bugs({ voteBeforeDurable: on }));
    feed(n, 0, { kind: 'start' });
    return feed(n, 200_000, { kind: 'receive', from: 'n1', message: { type: 'requestVote', preVote: false, term: 2, lastIndex: 0, lastTerm: 0, transfer: false } });
  }
  it('off: the grant waits for the vote to be durable', () => {
    const out = grant(false);
    expect(ofKind(out, 'persistState')).toHaveLength(1);
    expect(sent(out)).toEqual([]);
  });
  it('on: the grant leaves before the vote is durable', () => {
    const out = grant(true);
    expect(ofKind(out, 'persistState')).toHaveLength(1);
    expect(sent(out).map((s) => s.message)).toEqual([{ type: 'voteResponse', preVote: false, term: 2, granted: true }]);
  });
});

describe('leaseWithoutDriftMargin', () => {
  function leaseLengthUs(on: boolean): number {
    const c = new TestCluster({ voters: VOTERS, config: bugs({ leaseWithoutDriftMargin: on }) });
    c.passTime(300_000);
    c.elect('n1');
    c.fire('n1', 'heartbeat');
    const sentUs = c.node('n1').clockUs;
    c.deliverAll();
    return (c.node('n1').core.inspect().leaseExpiryUs ?? 0) - sentUs;
  }
  it('off: the lease is the minimum election timeout shortened by the drift bound', () => {
    expect(leaseLengthUs(false)).toBe(135_000);
  });
  it('on: the lease is the full minimum election timeout', () => {
    expect(leaseLengthUs(true)).toBe(150_000);
  });
});

describe('readWithoutLeadershipCheck', () => {
  function deposedLeaderReads(on: boolean): number {
    const c = new TestCluster({ voters: VOTERS, config: bugs({ readWithoutLeadershipCheck: on }) });
    c.passTime(300_000);
    c.elect('n1');
    c.deliverAll();
    c.isolate('n1');
    c.passTime(300_000);
    c.fire('n2', 'election');
    c.deliverAll();
    expect(c.leaders().sort()).toEqual(['n1', 'n2']);
    c.input('n2', { kind: 'propose', requestId: 'w', data: text('new') });
    c.deliverAll();
    c.input('n1', { kind: 'read', requestId: 'q1', mode: 'read-index' });
    c.input('n1', { kind: 'read', requestId: 'q2', mode: 'lease' });
    return c.outputsOf('readReady', 'n1').length;
  }
  it('off: a deposed leader answers no linearizable read', () => {
    expect(deposedLeaderReads(false)).toBe(0);
  });
  it('on: a deposed leader answers from its stale state', () => {
    expect(deposedLeaderReads(true)).toBe(2);
  });
});

describe('ackAppendBeforeDurable', () => {
  function append(on: boolean): ReturnType<typeof feed> {
    const n = makeNode('n2', VOTERS, durable({ term: 1 }), bugs({ ackAppendBeforeDurable: on }));
    feed(n, 0, { kind: 'start' });
    return feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 1, prevIndex: 0, prevTerm: 0, entries: entriesOfTerms([1]), commitIndex: 0, round: 1 } });
  }
  it('off: the acknowledgement waits for the entries to be durable', () => {
    const out = append(false);
    expect(ofKind(out, 'appendLog')).toHaveLength(1);
    expect(sent(out)).toEqual([]);
  });
  it('on: the acknowledgement leaves before the entries are durable', () => {
    const out = append(true);
    expect(sent(out).map((s) => s.message)).toMatchObject([{ type: 'appendResponse', success: true, matchIndex: 1 }]);
  });
});

describe('installSnapshotDiscardsNewerEntries', () => {
  function install(on: boolean): RaftNode {
    const n = makeNode('n2', VOTERS, durable({ term: 1, entries: entriesOfTerms([1, 1, 1, 1, 1]) }), bugs({ installSnapshotDiscardsNewerEntries: on }));
    feed(n, 0, { kind: 'start' });
    const meta = { lastIndex: 3, lastTerm: 1, config: { voters: VOTERS, votersOld: null, learners: [] } };
    feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'installSnapshot', term: 1, meta, offset: 0, data: text('s'), done: true, round: 1 } });
    return n;
  }
  it('off: entries after a matching snapshot are kept (§7)', () => {
    expect(install(false).inspect().lastLogIndex).toBe(5);
  });
  it('on: they are discarded', () => {
    expect(install(true).inspect().lastLogIndex).toBe(3);
  });
});
