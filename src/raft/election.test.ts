// Elections, read like the paper: §5.1 terms, §5.2 leader election, §5.4.1 the election
// restriction, thesis §9.6 pre-vote, thesis §6.2 check-quorum, leader stickiness (§4.2.3), and
// durability of term and vote before any reply that depends on them.

import { describe, expect, it } from 'vitest';
import { durable, entriesOfTerms, feed, makeNode, ofKind, persistAll, sent } from './testing/fixtures';
import { TestCluster } from './testing/network';
import type { RaftNode } from './node';

const VOTERS = ['n1', 'n2', 'n3'];

function startedAt(node: RaftNode, nowUs = 0): number {
  const timers = ofKind(feed(node, nowUs, { kind: 'start' }), 'setTimer');
  const t = timers.find((x) => x.timer === 'election');
  if (t === undefined) throw new Error('no election timer');
  return t.atLocalUs;
}

describe('§5.2 leader election', () => {
  it('arms a randomized election timeout within [min, max) on start', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const at = startedAt(makeNode('n1', VOTERS, durable(), {}, seed));
      expect(at).toBeGreaterThanOrEqual(150_000);
      expect(at).toBeLessThan(300_000);
      seen.add(at);
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('a follower that hears nothing starts a pre-vote for term+1 without raising its own term (thesis §9.6)', () => {
    const n = makeNode('n1', VOTERS, durable({ term: 4 }));
    const at = startedAt(n);
    const out = feed(n, at, { kind: 'timerFired', timer: 'election' });
    expect(n.inspect().role).toBe('pre-candidate');
    expect(n.inspect().term).toBe(4);
    expect(ofKind(out, 'persistState')).toEqual([]);
    expect(sent(out).map((s) => [s.to, s.message])).toEqual([
      ['n2', { type: 'requestVote', preVote: true, term: 5, lastIndex: 0, lastTerm: 0, transfer: false }],
      ['n3', { type: 'requestVote', preVote: true, term: 5, lastIndex: 0, lastTerm: 0, transfer: false }],
    ]);
  });

  it('after a pre-vote quorum the candidate raises its term and votes for itself, and asks for votes only once that is durable', () => {
    const n = makeNode('n1', VOTERS, durable({ term: 4 }));
    const at = startedAt(n);
    feed(n, at, { kind: 'timerFired', timer: 'election' });
    const out = feed(n, at + 1, { kind: 'receive', from: 'n2', message: { type: 'voteResponse', preVote: true, term: 5, granted: true } });
    expect(n.inspect().role).toBe('candidate');
    expect(n.inspect().term).toBe(5);
    expect(n.inspect().votedFor).toBe('n1');
    expect(ofKind(out, 'persistState')).toMatchObject([{ term: 5, votedFor: 'n1' }]);
    expect(sent(out)).toEqual([]);
    const after = persistAll(n, at + 2, out);
    expect(sent(after, 'requestVote').map((s) => s.to)).toEqual(['n2', 'n3']);
    expect(sent(after, 'requestVote')[0]?.message).toMatchObject({ preVote: false, term: 5 });
  });

  it('a candidate with a majority becomes leader and appends a no-op of its own term (§5.2, §8)', () => {
    const n = makeNode('n1', VOTERS, durable({ term: 1, entries: entriesOfTerms([1, 1]) }), { preVote: false });
    const at = startedAt(n);
    persistAll(n, at, feed(n, at, { kind: 'timerFired', timer: 'election' }));
    const out = feed(n, at + 1, { kind: 'receive', from: 'n3', message: { type: 'voteResponse', preVote: false, term: 2, granted: true } });
    expect(n.inspect().role).toBe('leader');
    expect(ofKind(out, 'appendLog')).toMatchObject([{ truncateFrom: null, entries: [{ index: 3, term: 2, kind: 'noop' }] }]);
    expect(sent(out, 'appendEntries').map((s) => s.to)).toEqual(['n2', 'n3']);
    expect(sent(out, 'appendEntries')[0]?.message).toMatchObject({ term: 2, prevIndex: 2, prevTerm: 1 });
  });

  it('a single-node candidate counts its own vote only after it is durable', () => {
    const n = makeNode('n1', ['n1'], durable());
    const at = startedAt(n);
    const out = feed(n, at, { kind: 'timerFired', timer: 'election' });
    expect(n.inspect().role).toBe('candidate');
    const ps = ofKind(out, 'persistState');
    expect(ps).toHaveLength(1);
    feed(n, at, { kind: 'persisted', syncId: ps[0]?.syncId ?? -1 });
    expect(n.inspect().role).toBe('leader');
  });

  it('§5.2 a voter grants one vote per term, and sends it only after the vote is durable', () => {
    const n = makeNode('n2', VOTERS, durable({ term: 1 }));
    startedAt(n);
    const ask = { type: 'requestVote' as const, preVote: false, term: 2, lastIndex: 0, lastTerm: 0, transfer: false };
    const out = feed(n, 200_000, { kind: 'receive', from: 'n1', message: ask });
    expect(ofKind(out, 'persistState')).toMatchObject([{ term: 2, votedFor: 'n1' }]);
    expect(sent(out)).toEqual([]);
    const after = persistAll(n, 200_001, out);
    expect(sent(after)).toEqual([{ to: 'n1', message: { type: 'voteResponse', preVote: false, term: 2, granted: true } }]);
    const second = feed(n, 200_002, { kind: 'receive', from: 'n3', message: ask });
    expect(sent(second)).toEqual([{ to: 'n3', message: { type: 'voteResponse', preVote: false, term: 2, granted: false } }]);
  });

  it('§5.4.1 a voter rejects a candidate whose log is less up-to-date', () => {
    const n = makeNode('n2', VOTERS, durable({ term: 3, entries: entriesOfTerms([1, 3]) }));
    startedAt(n);
    const older = feed(n, 200_000, { kind: 'receive', from: 'n1', message: { type: 'requestVote', preVote: false, term: 4, lastIndex: 5, lastTerm: 2, transfer: false } });
    const reply = persistAll(n, 200_000, older);
    expect(sent([...older, ...reply], 'voteResponse').map((s) => s.message)).toEqual([{ type: 'voteResponse', preVote: false, term: 4, granted: false }]);
    expect(n.inspect().votedFor).toBeNull();
  });

  it('§5.1 a node that sees a higher term adopts it and becomes a follower; its reply waits for the term to be durable', () => {
    const n = makeNode('n2', VOTERS, durable({ term: 1 }));
    startedAt(n);
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'heartbeat', term: 7, commitIndex: 0, round: 1 } });
    expect(n.inspect().term).toBe(7);
    expect(n.inspect().leaderId).toBe('n1');
    expect(sent(out)).toEqual([]);
    expect(sent(persistAll(n, 11, out))).toEqual([{ to: 'n1', message: { type: 'heartbeatResponse', term: 7, round: 1 } }]);
  });

  it('pre-vote changes neither the voter’s term nor its vote', () => {
    const n = makeNode('n2', VOTERS, durable({ term: 3 }));
    startedAt(n);
    const out = feed(n, 200_000, { kind: 'receive', from: 'n1', message: { type: 'requestVote', preVote: true, term: 4, lastIndex: 0, lastTerm: 0, transfer: false } });
    expect(n.inspect().term).toBe(3);
    expect(n.inspect().votedFor).toBeNull();
    expect(ofKind(out, 'persistState')).toEqual([]);
    expect(sent(out)).toEqual([{ to: 'n1', message: { type: 'voteResponse', preVote: true, term: 4, granted: true } }]);
  });

  it('leader stickiness: a follower that heard from its leader within the minimum election timeout ignores a newer campaign', () => {
    const n = makeNode('n2', VOTERS, durable({ term: 1 }));
    startedAt(n);
    persistAll(n, 400_000, feed(n, 400_000, { kind: 'receive', from: 'n1', message: { type: 'heartbeat', term: 1, commitIndex: 0, round: 1 } }));
    const ask = { type: 'requestVote' as const, preVote: false, term: 2, lastIndex: 0, lastTerm: 0, transfer: false };
    const inside = feed(n, 400_000 + 149_999, { kind: 'receive', from: 'n3', message: ask });
    expect(sent(inside)).toEqual([]);
    expect(n.inspect().term).toBe(1);
    const outside = feed(n, 400_000 + 150_000, { kind: 'receive', from: 'n3', message: ask });
    expect(n.inspect().term).toBe(2);
    expect(sent(persistAll(n, 600_000, outside))).toEqual([{ to: 'n3', message: { type: 'voteResponse', preVote: false, term: 2, granted: true } }]);
  });

  it('a node that just restarted refuses votes for one minimum election timeout (it may have backed a lease)', () => {
    const n = makeNode('n2', VOTERS, durable({ term: 1 }));
    startedAt(n, 1_000_000);
    const ask = { type: 'requestVote' as const, preVote: false, term: 2, lastIndex: 0, lastTerm: 0, transfer: false };
    expect(sent(feed(n, 1_100_000, { kind: 'receive', from: 'n3', message: ask }))).toEqual([]);
    expect(n.inspect().term).toBe(1);
  });

  it('learners never campaign', () => {
    const n = makeNode('n4', VOTERS, durable(), { initialLearners: ['n4'] });
    const at = startedAt(n);
    const out = feed(n, at, { kind: 'timerFired', timer: 'election' });
    expect(n.inspect().role).toBe('follower');
    expect(sent(out)).toEqual([]);
    expect(ofKind(out, 'setTimer')).toHaveLength(1);
  });
});

describe('pre-vote and check-quorum in a cluster', () => {
  it('a partitioned follower keeps its term under pre-vote and does not depose the leader when it rejoins', () => {
    const c = new TestCluster({ voters: VOTERS });
    c.passTime(300_000);
    c.elect('n1');
    expect(c.leaders()).toEqual(['n1']);
    c.isolate('n3');
    for (let i = 0; i < 5; i++) {
      c.fire('n3', 'election');
      c.deliverAll();
    }
    expect(c.node('n3').core.inspect().term).toBe(1);
    c.heal();
    c.fire('n1', 'heartbeat');
    c.deliverAll();
    expect(c.leaders()).toEqual(['n1']);
    expect(c.node('n1').core.inspect().term).toBe(1);
  });

  it('without pre-vote the same partitioned follower raises its term on every timeout', () => {
    const c = new TestCluster({ voters: VOTERS, config: { preVote: false } });
    c.passTime(300_000);
    c.elect('n1');
    c.isolate('n3');
    for (let i = 0; i < 3; i++) {
      c.fire('n3', 'election');
      c.deliverAll();
    }
    expect(c.node('n3').core.inspect().term).toBe(4);
  });

  it('check-quorum: a leader cut off from the majority steps down after an election timeout (thesis §6.2)', () => {
    const c = new TestCluster({ voters: VOTERS });
    c.passTime(300_000);
    c.elect('n1');
    c.fire('n1', 'election'); // first tick: both followers answered since the election
    expect(c.leaders()).toEqual(['n1']);
    c.isolate('n1');
    c.fire('n1', 'heartbeat');
    c.deliverAll();
    c.fire('n1', 'election');
    expect(c.node('n1').core.inspect().role).toBe('follower');
    expect(c.node('n1').events).toContainEqual({ type: 'stepDown', reason: 'check-quorum', term: 1 });
  });

  it('with check-quorum off, the cut-off leader keeps believing it leads', () => {
    const c = new TestCluster({ voters: VOTERS, config: { checkQuorum: false } });
    c.passTime(300_000);
    c.elect('n1');
    c.isolate('n1');
    c.fire('n1', 'election');
    c.fire('n1', 'election');
    expect(c.node('n1').core.inspect().role).toBe('leader');
  });
});
