// Durability and recovery: a failed write halts the node and nothing else happens; a vote or
// acknowledgement that was never made durable never left the node; recovery from a log that got
// ahead of the hard state; persistence completions must arrive in the order they were issued.

import { describe, expect, it } from 'vitest';
import { AssertionError } from '../util/assert';
import { durable, entriesOfTerms, feed, makeNode, ofKind, sent } from './testing/fixtures';
import { TestCluster } from './testing/network';

describe('a failed write halts the node', () => {
  it('emits only halt, then ignores every later input', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 1 }));
    feed(n, 0, { kind: 'start' });
    const out = feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 1, prevIndex: 0, prevTerm: 0, entries: entriesOfTerms([1]), commitIndex: 0, round: 1 } });
    const write = ofKind(out, 'appendLog')[0];
    const failed = feed(n, 11, { kind: 'persistFailed', syncId: write?.syncId ?? -1, reason: 'EIO' });
    expect(failed).toEqual([{ kind: 'halt', reason: `persist ${write?.syncId} failed: EIO` }]);
    expect(n.inspect().halted).toBe(true);
    expect(feed(n, 12, { kind: 'persisted', syncId: write?.syncId ?? -1 })).toEqual([]);
    expect(feed(n, 13, { kind: 'timerFired', timer: 'election' })).toEqual([]);
  });
});

describe('what was not durable never left the node', () => {
  it('a vote lost in a crash was never sent, so the voter may vote again after restart', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], autoPersist: false });
    c.passTime(300_000);
    c.input('n2', { kind: 'receive', from: 'n1', message: { type: 'requestVote', preVote: false, term: 1, lastIndex: 0, lastTerm: 0, transfer: false } });
    expect(c.inFlight).toEqual([]);
    c.crash('n2');
    c.restart('n2');
    const v = c.node('n2').core.inspect();
    expect([v.term, v.votedFor]).toEqual([0, null]);
  });

  it('an acknowledgement is sent only after the appended entries are on disk', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], autoPersist: false });
    c.passTime(300_000);
    c.input('n2', { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 1, prevIndex: 0, prevTerm: 0, entries: entriesOfTerms([1, 1]), commitIndex: 0, round: 1 } });
    expect(c.inFlight).toEqual([]);
    c.completeSync('n2'); // the entries
    expect(c.node('n2').disk.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(c.inFlight).toEqual([]);
    c.completeSync('n2'); // the hard state: the new term the answer carries
    expect(c.node('n2').disk.term).toBe(1);
    expect(c.inFlight.map((e) => e.message)).toMatchObject([{ type: 'appendResponse', success: true, matchIndex: 2 }]);
  });
});

describe('recovery', () => {
  it('adopts the term of its last log entry when the log got ahead of the hard state, with no vote', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 1, votedFor: 'n1', entries: entriesOfTerms([1, 3]) }));
    const out = feed(n, 0, { kind: 'start' });
    expect([n.inspect().term, n.inspect().votedFor]).toEqual([3, null]);
    expect(ofKind(out, 'persistState')).toMatchObject([{ term: 3, votedFor: null }]);
  });

  it('keeps term, vote and commit index from the hard state', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 4, votedFor: 'n3', commitIndex: 2, entries: entriesOfTerms([1, 2, 4]) }));
    const out = feed(n, 0, { kind: 'start' });
    const v = n.inspect();
    expect([v.term, v.votedFor, v.commitIndex, v.appliedIndex]).toEqual([4, 'n3', 2, 2]);
    expect(ofKind(out, 'apply').flatMap((a) => a.entries.map((e) => e.index))).toEqual([1, 2]);
    expect(sent(out)).toEqual([]);
  });

  it('asserts that persistence completions arrive in the order they were issued', () => {
    const n = makeNode('n2', ['n1', 'n2', 'n3'], durable({ term: 1 }));
    feed(n, 0, { kind: 'start' });
    feed(n, 10, { kind: 'receive', from: 'n1', message: { type: 'appendEntries', term: 2, prevIndex: 0, prevTerm: 0, entries: entriesOfTerms([2]), commitIndex: 0, round: 1 } });
    expect(() => feed(n, 11, { kind: 'persisted', syncId: 2 })).toThrow(AssertionError);
  });
});
