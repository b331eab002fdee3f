// Unit tests of the Raft invariant monitor with hand-made observations: for every invariant a
// passing history and a violating one, so each check is shown able to fail.

import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from './monitor';
import type { ClusterObservation, EntryObservation, NodeObservation, RaftViewObservation } from './monitor';

/** Entries from a compact spec: "1:a 1:b 2:c" = index 1 term 1 data a, index 2 term 1 data b, ... */
function log(spec: string, firstIndex = 1): EntryObservation[] {
  if (spec.trim() === '') return [];
  return spec.trim().split(/\s+/).map((tok, i) => {
    const [term, data] = tok.split(':');
    return { index: firstIndex + i, term: Number(term), kind: 'command', digest: data ?? '' };
  });
}

function view(id: string, over: Partial<RaftViewObservation> & { log?: EntryObservation[] }): RaftViewObservation {
  const entries = over.log ?? [];
  const last = entries[entries.length - 1];
  return {
    id, role: 'follower', term: 1, commitIndex: 0, durableCommitIndex: 0, appliedIndex: 0,
    lastLogIndex: last?.index ?? over.snapshotIndex ?? 0, snapshotIndex: 0, snapshotTerm: 0, ...over, log: entries,
  };
}

function node(id: string, v: RaftViewObservation | null, over: Partial<NodeObservation> = {}): NodeObservation {
  return { id, alive: v !== null, incarnation: 0, diskSurvived: true, view: v, leaseValid: false, appliedSince: [], ...over };
}

let stepCounter = 0;
function obs(...nodes: NodeObservation[]): ClusterObservation {
  stepCounter++;
  return { step: stepCounter, trueUs: stepCounter * 1000, nodes };
}

describe('election safety (§5.2: at most one leader per term)', () => {
  it('accepts leaders of different terms', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1 })), node('b', view('b', { term: 1 }))));
    m.observe(obs(node('a', view('a', { term: 2 })), node('b', view('b', { role: 'leader', term: 2 }))));
    expect(m.violations).toEqual([]);
  });
  it('reports two leaders of one term, even at different steps', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 3 })), node('b', view('b', { term: 3 }))));
    const v = m.observe(obs(node('a', null), node('b', view('b', { role: 'leader', term: 3 }))));
    expect(v.map((x) => x.invariant)).toEqual(['election-safety']);
    expect(v[0]?.nodes).toEqual(['a', 'b']);
    expect(v[0]?.values).toEqual({ term: 3 });
  });
});

describe('leader append-only (§5.3)', () => {
  it('accepts a leader that appends and compacts', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, log: log('1:x 2:y') }))));
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, log: log('1:x 2:y 2:z') }))));
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, snapshotIndex: 2, snapshotTerm: 2, log: log('2:z', 3) }))));
    expect(m.violations).toEqual([]);
  });
  it('reports a leader that overwrites an entry', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, log: log('1:x 2:y') }))));
    const v = m.observe(obs(node('a', view('a', { role: 'leader', term: 2, log: log('1:x 2:q') }))));
    expect(v.map((x) => x.invariant)).toContain('leader-append-only');
  });
  it('reports a leader whose log shrinks', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, log: log('1:x 2:y') }))));
    const v = m.observe(obs(node('a', view('a', { role: 'leader', term: 2, log: log('1:x') }))));
    expect(v[0]?.invariant).toBe('leader-append-only');
    expect(v[0]?.values).toMatchObject({ before: 2, after: 1 });
  });
});

describe('log matching (§5.3)', () => {
  it('accepts logs that agree where they overlap', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { log: log('1:x 1:y 2:z') })), node('b', view('b', { log: log('1:x 1:y') }))));
    expect(m.violations).toEqual([]);
  });
  it('reports the same index and term with different contents', () => {
    const m = new RaftInvariantMonitor();
    const v = m.observe(obs(node('a', view('a', { log: log('1:x 1:y') })), node('b', view('b', { log: log('1:x 1:w') }))));
    expect(v.map((x) => x.invariant)).toEqual(['log-matching']);
  });
  it('reports the same index and term after different prefixes', () => {
    const m = new RaftInvariantMonitor();
    const v = m.observe(obs(node('a', view('a', { log: log('1:x 3:y') })), node('b', view('b', { log: log('2:x 3:y') }))));
    expect(v.map((x) => x.invariant)).toEqual(['log-matching']);
  });
});

describe('leader completeness (§5.4)', () => {
  it('accepts a new leader holding every committed entry', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: log('1:x 1:y') })), node('b', view('b', { term: 1, log: log('1:x 1:y') }))));
    m.observe(obs(node('a', view('a', { term: 2, commitIndex: 2, log: log('1:x 1:y') })), node('b', view('b', { role: 'leader', term: 2, log: log('1:x 1:y 2:n') }))));
    expect(m.violations).toEqual([]);
  });
  it('reports a later leader missing a committed entry', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: log('1:x 1:y') })), node('b', view('b', { term: 1, log: log('1:x') }))));
    const v = m.observe(obs(node('a', view('a', { term: 2, commitIndex: 2, log: log('1:x 1:y') })), node('b', view('b', { role: 'leader', term: 2, log: log('1:x 2:n') }))));
    expect(v.map((x) => x.invariant)).toContain('leader-completeness');
    expect(v.find((x) => x.invariant === 'leader-completeness')?.values).toMatchObject({ index: 2, committedTerm: 1, leaderTerm: 2 });
  });
});

describe('state machine safety (§5.4.3)', () => {
  it('accepts the same entry applied on two nodes and re-applied after a restart', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', {}), { appliedSince: log('1:x') }), node('b', view('b', {}), { appliedSince: log('1:x') })));
    m.observe(obs(node('a', view('a', {}), { incarnation: 1, appliedSince: log('1:x') })));
    expect(m.violations).toEqual([]);
  });
  it('reports two different entries applied at one index, at different times', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', {}), { appliedSince: log('1:x') })));
    const v = m.observe(obs(node('b', view('b', {}), { appliedSince: log('2:q') })));
    expect(v.map((x) => x.invariant)).toEqual(['state-machine-safety']);
    expect(v[0]?.values).toMatchObject({ index: 1, termA: 1, termB: 2 });
  });
});

describe('a running node never drops a committed entry, except into its snapshot', () => {
  it('accepts a follower replacing an uncommitted suffix, compacting committed entries, and a wiped disk', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, commitIndex: 2, log: log('1:x 1:y 2:z') })), node('b', view('b', { term: 1, log: log('1:x 1:y 1:w') }))));
    // b's entry 3 (term 1) was never committed: replacing it is what a follower must do.
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, commitIndex: 2, log: log('1:x 1:y 2:z') })), node('b', view('b', { term: 2, log: log('1:x 1:y 2:z') }))));
    // Compaction moves committed entries into the snapshot (InstallSnapshot that retains the suffix, too).
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, commitIndex: 3, log: log('1:x 1:y 2:z') })), node('b', view('b', { term: 2, snapshotIndex: 2, snapshotTerm: 1, log: log('2:z', 3) }))));
    // A restart with its disk lost starts empty: judged by the other invariants, not this one.
    m.observe(obs(node('a', view('a', { role: 'leader', term: 2, commitIndex: 3, log: log('1:x 1:y 2:z') })), node('b', view('b', { term: 2, log: log('') }), { incarnation: 1, diskSurvived: false })));
    expect(m.violations).toEqual([]);
  });
  it('reports a follower that drops committed entries beyond the snapshot it installs', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 3, log: log('1:x 1:y 1:z') })), node('b', view('b', { log: log('1:x 1:y 1:z') }))));
    const v = m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 3, log: log('1:x 1:y 1:z') })), node('b', view('b', { snapshotIndex: 2, snapshotTerm: 1, log: log('') }))));
    expect(v.map((x) => x.invariant)).toEqual(['committed-retained']);
    expect(v[0]?.nodes).toEqual(['b', 'a']);
    expect(v[0]?.values).toEqual({ index: 3, term: 1, lastLogIndex: 2, snapshotIndex: 2 });
  });
  it('reports a follower that truncates a committed entry on a stale append', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: log('1:x 1:y') })), node('b', view('b', { log: log('1:x 1:y') }))));
    const v = m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: log('1:x 1:y') })), node('b', view('b', { log: log('1:x') }))));
    expect(v.map((x) => x.invariant)).toEqual(['committed-retained']);
  });
});

describe('commit index never falls on a node whose disk survived', () => {
  it('accepts a rising commit index, and a lower one after the disk was lost', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { commitIndex: 1, durableCommitIndex: 1, log: log('1:x 1:y') }))));
    m.observe(obs(node('a', view('a', { commitIndex: 2, durableCommitIndex: 2, log: log('1:x 1:y') }))));
    m.observe(obs(node('a', null)));
    m.observe(obs(node('a', view('a', { commitIndex: 0, log: log('') }), { incarnation: 1, diskSurvived: false })));
    expect(m.violations).toEqual([]);
  });
  it('reports a commit index that falls while running', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { commitIndex: 2, log: log('1:x 1:y') }))));
    const v = m.observe(obs(node('a', view('a', { commitIndex: 1, log: log('1:x 1:y') }))));
    expect(v.map((x) => x.invariant)).toEqual(['commit-durable']);
  });
  it('reports a restart with an intact disk that recovers less than was durable', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { commitIndex: 2, durableCommitIndex: 2, log: log('1:x 1:y') }))));
    m.observe(obs(node('a', null)));
    const v = m.observe(obs(node('a', view('a', { commitIndex: 1, durableCommitIndex: 1, log: log('1:x 1:y') }), { incarnation: 1 })));
    expect(v.map((x) => x.invariant)).toEqual(['commit-durable']);
    expect(v[0]?.values).toEqual({ durable: 2, recovered: 1 });
  });
});

describe('applied <= committed', () => {
  it('accepts applied equal to committed', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { commitIndex: 2, appliedIndex: 2, log: log('1:x 1:y') }))));
    expect(m.violations).toEqual([]);
  });
  it('reports applied beyond committed', () => {
    const m = new RaftInvariantMonitor();
    const v = m.observe(obs(node('a', view('a', { commitIndex: 1, appliedIndex: 2, log: log('1:x 1:y') }))));
    expect(v.map((x) => x.invariant)).toEqual(['applied-le-committed']);
  });
});

describe('lease safety', () => {
  it('accepts one lease holder at a time', () => {
    const m = new RaftInvariantMonitor();
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1 }), { leaseValid: true }), node('b', view('b', { term: 1 }))));
    m.observe(obs(node('a', view('a', { term: 2 })), node('b', view('b', { role: 'leader', term: 2 }), { leaseValid: true })));
    expect(m.violations).toEqual([]);
  });
  it('reports two nodes holding a valid lease at the same true time', () => {
    const m = new RaftInvariantMonitor();
    const v = m.observe(obs(node('a', view('a', { role: 'leader', term: 1 }), { leaseValid: true }), node('b', view('b', { role: 'leader', term: 2 }), { leaseValid: true })));
    expect(v.map((x) => x.invariant)).toEqual(['lease-safety']);
    expect(v[0]?.nodes).toEqual(['a', 'b']);
  });
});

describe('a log array the host grows in place (RaftViewObservation.log)', () => {
  it('checks the entries appended to the same array since it was last passed', () => {
    const m = new RaftInvariantMonitor();
    const grown = log('1:x');
    m.observe(obs(node('a', view('a', { log: grown })), node('b', view('b', { log: log('1:x 1:y') }))));
    grown.push(...log('1:w', 2));
    const v = m.observe(obs(node('a', view('a', { log: grown })), node('b', view('b', { log: log('1:x 1:y') }))));
    expect(v.map((x) => x.invariant)).toEqual(['log-matching']);
    expect(v[0]?.values).toMatchObject({ index: 2, digestA: 'y', digestB: 'w' });
  });

  it('compares a new array against the prefix it saw, not against what the old array grew into', () => {
    const m = new RaftInvariantMonitor();
    const old = log('1:x 1:y');
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: old }))));
    // Entry 3 was appended to the old array after it was observed, then truncated with it: the
    // leader's new log drops only what was never seen, so it broke no rule.
    old.push(...log('1:z', 3));
    m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: log('1:x 1:y') }))));
    expect(m.violations).toEqual([]);
    // Dropping a seen, committed entry is still reported.
    const v = m.observe(obs(node('a', view('a', { role: 'leader', term: 1, commitIndex: 2, log: log('1:x') }))));
    expect(v.map((x) => x.invariant)).toContain('leader-append-only');
  });
});

describe('a view passed again as the same object (unchanged node)', () => {
  it('still checks a leader against entries committed since on other nodes', () => {
    const m = new RaftInvariantMonitor();
    const leader = view('a', { role: 'leader', term: 2, log: log('1:x') });
    m.observe(obs(node('a', leader), node('b', view('b', { term: 2, log: log('1:x 1:y') }))));
    m.observe(obs(node('a', leader), node('b', view('b', { term: 2, commitIndex: 2, log: log('1:x 1:y') }))));
    const v = m.observe(obs(node('a', leader), node('b', view('b', { term: 2, commitIndex: 2, log: log('1:x 1:y') }))));
    expect([...m.violations, ...v].map((x) => x.invariant)).toContain('leader-completeness');
  });
});
