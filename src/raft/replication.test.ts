// Log replication, read like the paper: §5.3 the AppendEntries consistency check and the follower
// logs of Figure 7, the fast back-off of §5.3 (conflicting term and index), §5.4.2 and the
// sequence of Figure 8 (never commit an earlier term's entry by counting), batching and the bound
// on in-flight appends, and durability before acknowledgements.

import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { durable, entriesOfTerms, feed, logTerms, makeNode, ofKind, persistAll, sent } from './testing/fixtures';
import { TestCluster, text } from './testing/network';
import type { RaftConfig } from './config';
import type { AppendResponse, DurableState, NodeId } from './types';

function electUntilLeader(c: TestCluster, id: NodeId, attemptsMax = 4): void {
  for (let i = 0; i < attemptsMax && !c.leaders().includes(id); i++) {
    c.passTime(300_000);
    c.fire(id, 'election');
    c.deliverAll();
  }
  expect(c.leaders()).toContain(id);
}

describe('§5.3 the AppendEntries consistency check', () => {
  const follower = (): ReturnType<typeof makeNode> => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 2, entries: entriesOfTerms([1, 1, 2]) }));
    feed(n, 0, { kind: 'start' });
    return n;
  };

  it('rejects when the follower has no entry at prevIndex, hinting its last index + 1', () => {
    const n = follower();
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 2, prevIndex: 6, prevTerm: 2, entries: [], commitIndex: 0, round: 1 } });
    expect(sent(out).map((s) => s.message)).toEqual([{ type: 'appendResponse', term: 2, success: false, matchIndex: 0, rejectedIndex: 6, conflictTerm: 0, conflictIndex: 4, round: 1 }]);
  });

  it('rejects a term mismatch at prevIndex, hinting the conflicting term and its first index', () => {
    const n = follower();
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 3, prevIndex: 2, prevTerm: 3, entries: [], commitIndex: 0, round: 1 } });
    const reply = [...out, ...persistAll(n, 10, out)];
    expect(sent(reply).map((s) => s.message)).toMatchObject([{ success: false, rejectedIndex: 2, conflictTerm: 1, conflictIndex: 1 }]);
  });

  it('deletes a conflicting suffix, appends the new entries, and acknowledges only after they are durable', () => {
    const n = follower();
    const entries = entriesOfTerms([3, 3], 3);
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 3, prevIndex: 2, prevTerm: 1, entries, commitIndex: 3, round: 5 } });
    expect(ofKind(out, 'appendLog')).toMatchObject([{ truncateFrom: 3, entries: [{ index: 3, term: 3 }, { index: 4, term: 3 }] }]);
    expect(sent(out)).toEqual([]);
    expect(logTerms(n)).toEqual([1, 1, 3, 3]);
    const after = persistAll(n, 11, out);
    expect(sent(after).map((s) => s.message)).toEqual([{ type: 'appendResponse', term: 3, success: true, matchIndex: 4, rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0, round: 5 }]);
    expect(n.inspect().commitIndex).toBe(3);
  });

  it('keeps entries that already match and never truncates on a duplicate, older append', () => {
    const n = follower();
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 2, prevIndex: 1, prevTerm: 1, entries: entriesOfTerms([1], 2), commitIndex: 0, round: 1 } });
    expect(ofKind(out, 'appendLog')).toEqual([]);
    expect(logTerms(n)).toEqual([1, 1, 2]);
    expect(sent(out).map((s) => s.message)).toMatchObject([{ success: true, matchIndex: 2 }]);
  });
});

// Figure 7: the leader of term 8 and the logs followers (a)-(f) may hold when it takes over.
const LEADER_LOG = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
const FIGURE7: Record<string, number[]> = {
  a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
  b: [1, 1, 1, 4],
  c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
  d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
  e: [1, 1, 1, 4, 4, 4, 4],
  f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
};

describe('Figure 7: a new leader brings every possible follower log in line with its own', () => {
  for (const [name, terms] of Object.entries(FIGURE7)) {
    it(`follower (${name}) ends with the leader's log`, () => {
      const logs: Record<NodeId, DurableState> = {
        L: durable({ term: 7, entries: entriesOfTerms(LEADER_LOG) }),
        x: durable({ term: 7, entries: entriesOfTerms(LEADER_LOG) }),
        f: durable({ term: 7, entries: entriesOfTerms(terms) }),
      };
      const c = new TestCluster({ voters: ['L', 'x', 'f'], durable: logs });
      electUntilLeader(c, 'L');
      expect(c.node('L').core.inspect().term).toBe(8);
      c.deliverAll();
      expect(logTerms(c.node('f').core)).toEqual([...LEADER_LOG, 8]);
      expect(c.node('f').core.inspect().log).toEqual(c.node('L').core.inspect().log);
    });
  }

  it('fast back-off skips whole conflicting terms: follower (f) needs 2 rejections, not 7', () => {
    const logs: Record<NodeId, DurableState> = {
      L: durable({ term: 7, entries: entriesOfTerms(LEADER_LOG) }),
      x: durable({ term: 7, entries: entriesOfTerms(LEADER_LOG) }),
      f: durable({ term: 7, entries: entriesOfTerms(FIGURE7.f ?? []) }),
    };
    const c = new TestCluster({ voters: ['L', 'x', 'f'], durable: logs });
    electUntilLeader(c, 'L');
    c.deliverAll();
    const rejections = c.node('f').effects.filter((e) => e.kind === 'send' && e.message.type === 'appendResponse' && e.message.term === 8 && !e.message.success);
    expect(rejections.map((e) => (e.kind === 'send' ? (e.message as AppendResponse).rejectedIndex : 0))).toEqual([10, 6]);
  });
});

describe('§5.4.2 and Figure 8: an entry from an earlier term is never committed by counting replicas', () => {
  function figure8(bugs: Partial<RaftConfig['bugs']>): { c: TestCluster; monitor: RaftInvariantMonitor; s1CommitAfterC: number } {
    const ids = ['s1', 's2', 's3', 's4', 's5'];
    const logs: Record<NodeId, DurableState> = {};
    for (const id of ids) logs[id] = durable({ term: 1, commitIndex: 1, entries: entriesOfTerms([1]) });
    const c = new TestCluster({
      voters: ids, durable: logs,
      config: { preVote: false, appendEntriesMax: 1, bugs: { ...noBugs(), ...bugs } },
    });
    const monitor = new RaftInvariantMonitor();
    c.observer = (cl) => monitor.observe(cl.observation());
    const to = (...targets: NodeId[]) => (e: { to: NodeId }) => targets.includes(e.to);
    // The planted bug appends no no-op at the start of a term: a client's write is then the
    // leader's first entry of its term, at the same index.
    const firstEntryOfTerm = (leader: NodeId) => {
      if (bugs.commitPriorTermByCounting === true) c.input(leader, { kind: 'propose', requestId: `w-${leader}`, data: new Uint8Array([1]) });
    };
    // (a) s1 leads term 2 and replicates its entry at index 2 to s2 only.
    c.passTime(300_000);
    c.fire('s1', 'election');
    c.deliverAll((e) => e.message.type === 'requestVote' || e.message.type === 'voteResponse');
    expect(c.leaders()).toEqual(['s1']);
    firstEntryOfTerm('s1');
    c.drop(to('s3', 's4', 's5'));
    c.deliverAll();
    // (b) s1 crashes; s5 leads term 3 with votes from s3, s4, s5 and appends index 2 of term 3, then crashes.
    c.crash('s1');
    c.passTime(300_000);
    c.fire('s5', 'election');
    c.deliverAll((e) => e.message.type === 'requestVote' || e.message.type === 'voteResponse');
    expect(c.leaders()).toEqual(['s5']);
    firstEntryOfTerm('s5');
    c.crash('s5');
    // (c) s1 restarts, leads term 4, and replicates index 2 (term 2) to s3 and s4: with s1 a
    // majority holds it (s2 does too, unknown to s1). Index 3 (term 4) reaches no one.
    c.restart('s1');
    c.drop(() => true);
    for (let i = 0; i < 3 && !c.leaders().includes('s1'); i++) {
      c.passTime(300_000);
      c.fire('s1', 'election');
      c.deliverAll((e) => e.message.type === 'requestVote' || e.message.type === 'voteResponse');
    }
    expect(c.leaders()).toEqual(['s1']);
    // Without a no-op nothing is sent yet: a heartbeat's answer shows the followers behind.
    if (bugs.commitPriorTermByCounting === true) c.fire('s1', 'heartbeat');
    c.drop(to('s2', 's5'));
    for (const f of ['s3', 's4']) {
      if (bugs.commitPriorTermByCounting === true) {
        c.deliver((e) => e.to === f); // the heartbeat
        c.deliver((e) => e.from === f); // its answer
      }
      c.deliver((e) => e.to === f); // probe for index 3: rejected
      c.deliver((e) => e.from === f); // the rejection
      c.deliver((e) => e.to === f); // index 2 of term 2
      c.deliver((e) => e.from === f); // its acknowledgement
    }
    c.drop(() => true);
    expect(c.node('s3').core.inspect().log.map((e) => e.term)).toEqual([1, 2]);
    const s1CommitAfterC = c.node('s1').core.inspect().commitIndex;
    // (d) s1 crashes; s5 restarts and wins term 5 with s2, s3, s4, then overwrites index 2.
    c.crash('s1');
    c.restart('s5');
    for (let i = 0; i < 3 && !c.leaders().includes('s5'); i++) {
      c.passTime(300_000);
      c.fire('s5', 'election');
      c.deliverAll();
    }
    expect(c.leaders()).toEqual(['s5']);
    c.fire('s5', 'heartbeat');
    c.deliverAll();
    return { c, monitor, s1CommitAfterC };
  }

  it('with the rule, s1 does not commit index 2 in (c), and s5 may safely overwrite it in (d)', () => {
    const { c, monitor, s1CommitAfterC } = figure8({});
    expect(s1CommitAfterC).toBe(1);
    expect(logTerms(c.node('s3').core)).toEqual([1, 3, 5]);
    expect(monitor.violations).toEqual([]);
  });

  it('with commitPriorTermByCounting, s1 commits index 2 in (c) and the monitor sees it lost in (d)', () => {
    const { monitor, s1CommitAfterC } = figure8({ commitPriorTermByCounting: true });
    expect(s1CommitAfterC).toBe(2);
    expect(monitor.violations.map((v) => v.invariant)).toContain('leader-completeness');
  });
});

describe('batching and its bounds', () => {
  it('sends at most inflightAppendsMax appends of at most appendEntriesMax entries to a follower, batching what waits', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], config: { appendEntriesMax: 4, inflightAppendsMax: 3 } });
    c.passTime(300_000);
    c.elect('n1');
    c.fire('n1', 'heartbeat');
    c.deliverAll();
    for (let i = 0; i < 50; i++) c.input('n1', { kind: 'propose', requestId: `r${i}`, data: text(`v${i}`) });
    const sizes: number[] = [];
    const unacked = (): number => c.inFlight.filter((e) => (e.to === 'n2' && e.message.type === 'appendEntries') || (e.from === 'n2' && e.message.type === 'appendResponse')).length;
    for (let k = 0; k < 1000; k++) {
      expect(unacked()).toBeLessThanOrEqual(3);
      const e = c.deliver((x) => x.to === 'n2' || x.from === 'n2');
      if (e === null) break;
      if (e.message.type === 'appendEntries' && e.message.entries.length > 0) sizes.push(e.message.entries.length);
    }
    expect(Math.max(...sizes)).toBe(4);
    expect(c.node('n2').core.inspect().lastLogIndex).toBe(c.node('n1').core.inspect().lastLogIndex);
  });

  it('bounds an append by bytes too (but always carries at least one entry)', () => {
    const c = new TestCluster({ voters: ['n1', 'n2'], config: { appendBytesMax: 100, inflightAppendsMax: 100 } });
    c.passTime(300_000);
    c.elect('n1');
    c.deliverAll();
    for (let i = 0; i < 4; i++) c.input('n1', { kind: 'propose', requestId: `r${i}`, data: new Uint8Array(60) });
    c.input('n1', { kind: 'propose', requestId: 'big', data: new Uint8Array(500) });
    const sizes = c.inFlight.filter((e) => e.message.type === 'appendEntries').map((e) => (e.message.type === 'appendEntries' ? e.message.entries.length : 0));
    expect(sizes.every((s) => s === 1)).toBe(true);
  });

  it('after lost appends, heartbeat responses restart replication from the match index', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], config: { inflightAppendsMax: 2, appendEntriesMax: 1 } });
    c.passTime(300_000);
    c.elect('n1');
    c.deliverAll();
    for (let i = 0; i < 6; i++) c.input('n1', { kind: 'propose', requestId: `r${i}`, data: text(`v${i}`) });
    c.drop((e) => e.to === 'n3');
    c.deliverAll((e) => e.to !== 'n3' && e.from !== 'n3');
    c.drop((e) => e.to === 'n3');
    for (let i = 0; i < 10; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
    }
    expect(c.node('n3').core.inspect().lastLogIndex).toBe(c.node('n1').core.inspect().lastLogIndex);
    expect(c.node('n3').core.inspect().commitIndex).toBe(c.node('n1').core.inspect().commitIndex);
  });
});

describe('a follower that lost its disk', () => {
  it('is brought back up to date (the leader lowers the match it had recorded)', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'] });
    c.passTime(300_000);
    c.elect('n1');
    for (let i = 0; i < 5; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`v${i}`) });
    c.deliverAll();
    c.crash('n3', true);
    c.restart('n3');
    c.input('n1', { kind: 'propose', requestId: 'after', data: text('after') });
    for (let i = 0; i < 5; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
    }
    expect(c.node('n3').core.inspect().log).toEqual(c.node('n1').core.inspect().log);
    expect(c.node('n3').commands).toEqual(c.node('n1').commands);
  });
});

describe('durability before counting and acknowledging', () => {
  it('the leader counts its own entry toward commit only once it is durable', () => {
    const n = makeNode('n1', ['n1', 'n2', 'n3'], durable({ term: 1 }), { preVote: false });
    feed(n, 0, { kind: 'start' });
    persistAll(n, 300_000, feed(n, 300_000, { kind: 'timerFired', timer: 'election' }));
    const won = feed(n, 300_001, { kind: 'receive', from: 'n2', message: { type: 'voteResponse', preVote: false, term: 2, granted: true } });
    expect(n.inspect().role).toBe('leader');
    const noop = ofKind(won, 'appendLog')[0];
    feed(n, 300_002, { kind: 'receive', from: 'n2', message: { type: 'appendResponse', term: 2, success: true, matchIndex: 1, rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0, round: 1 } });
    expect(n.inspect().commitIndex).toBe(0);
    feed(n, 300_003, { kind: 'persisted', syncId: noop?.syncId ?? -1 });
    expect(n.inspect().commitIndex).toBe(1);
  });

  it('entries are applied only once the commit index covering them is durable', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 1 }));
    feed(n, 0, { kind: 'start' });
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 1, prevIndex: 0, prevTerm: 0, entries: entriesOfTerms([1, 1]), commitIndex: 2, round: 1 } });
    expect(ofKind(out, 'apply')).toEqual([]);
    const after = persistAll(n, 11, out);
    expect(ofKind(after, 'apply').flatMap((a) => a.entries.map((e) => e.index))).toEqual([1, 2]);
  });
});

function noBugs(): RaftConfig['bugs'] {
  return {
    commitPriorTermByCounting: false, voteBeforeDurable: false, leaseWithoutDriftMargin: false,
    readWithoutLeadershipCheck: false, ackAppendBeforeDurable: false, installSnapshotDiscardsNewerEntries: false, leaseOnWallClock: false,
  };
}
