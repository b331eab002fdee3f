// Reads and client admission, read like Ongaro's thesis §6.4: ReadIndex (note the commit index,
// confirm leadership with a round of heartbeats, wait for an entry of the leader's term), the
// leader lease (no round trip while it holds; it runs from when the confirming round was SENT
// and is shorter than the election timeout by the drift bound), redirects with a leader hint,
// stale reads only on request, and busy answers when a queue is full.

import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { NO_BUGS } from './config';
import { TestCluster, text } from './testing/network';

const VOTERS = ['n1', 'n2', 'n3'];

function settled(config = {}): TestCluster {
  return new TestCluster({ voters: VOTERS, config }).settle();
}

describe('ReadIndex (thesis §6.4)', () => {
  it('notes the commit index, confirms leadership with a heartbeat round, then answers', () => {
    const c = settled();
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.deliverAll();
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'read-index' });
    expect(c.outputsOf('readReady')).toEqual([]);
    const round = c.inFlight.filter((e) => e.message.type === 'heartbeat');
    expect(round.map((e) => e.to)).toEqual(['n2', 'n3']);
    c.deliver((e) => e.to === 'n2');
    c.deliver((e) => e.from === 'n2');
    expect(c.outputsOf('readReady')).toEqual([{ kind: 'readReady', requestId: 'q', readIndex: 2 }]);
  });

  it('waits until an entry of the leader’s own term is committed before fixing the read index', () => {
    const c = new TestCluster({ voters: VOTERS });
    c.passTime(300_000);
    c.fire('n1', 'election');
    c.deliverAll((e) => e.message.type === 'requestVote' || e.message.type === 'voteResponse');
    expect(c.leaders()).toEqual(['n1']);
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'read-index' });
    c.deliverAll((e) => e.message.type === 'heartbeat' || e.message.type === 'heartbeatResponse');
    expect(c.outputsOf('readReady')).toEqual([]);
    c.deliverAll();
    expect(c.outputsOf('readReady')).toEqual([{ kind: 'readReady', requestId: 'q', readIndex: 1 }]);
  });

  it('a leader cut off from the majority never confirms the round; the read is dropped when it steps down', () => {
    const c = settled();
    c.isolate('n1');
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'read-index' });
    c.deliverAll();
    c.fire('n1', 'election');
    c.fire('n1', 'election');
    expect(c.outputsOf('readReady')).toEqual([]);
    expect(c.outputsOf('dropped')).toEqual([{ kind: 'dropped', requestId: 'q', reason: 'leadership lost' }]);
  });
});

describe('leader lease (thesis §6.4.1)', () => {
  it('after a quorum answers a round, lease reads need no round trip until the lease ends, then fall back to ReadIndex', () => {
    const c = settled();
    const sentAt = c.node('n1').clockUs;
    c.fire('n1', 'heartbeat');
    const roundSentUs = c.node('n1').clockUs;
    expect(roundSentUs).toBeGreaterThan(sentAt);
    c.deliverAll();
    // 150 ms minimum election timeout shortened by the 10% drift bound.
    expect(c.node('n1').core.inspect().leaseExpiryUs).toBe(roundSentUs + 135_000);
    c.node('n1').clockUs = roundSentUs + 134_999;
    c.input('n1', { kind: 'read', requestId: 'inside', mode: 'lease' });
    expect(c.outputsOf('readReady')).toEqual([{ kind: 'readReady', requestId: 'inside', readIndex: 1 }]);
    expect(c.inFlight).toEqual([]);
    c.node('n1').clockUs = roundSentUs + 135_000;
    c.input('n1', { kind: 'read', requestId: 'after', mode: 'lease' });
    expect(c.outputsOf('readReady').map((r) => r.requestId)).toEqual(['inside']);
    expect(c.inFlight.filter((e) => e.message.type === 'heartbeat')).toHaveLength(2);
    expect(c.node('n1').events).toContainEqual({ type: 'leaseExpired', atLocalUs: roundSentUs + 135_000 });
  });

  it('the lease runs from when the confirming round was sent, not from when the answers arrived', () => {
    const c = settled();
    c.fire('n1', 'heartbeat');
    const roundSentUs = c.node('n1').clockUs;
    c.passTime(80_000);
    c.deliverAll();
    expect(c.node('n1').core.inspect().leaseExpiryUs).toBe(roundSentUs + 135_000);
  });

  it('grants no lease until a round of the leader’s own has been confirmed', () => {
    const c = new TestCluster({ voters: VOTERS });
    c.passTime(300_000);
    c.fire('n1', 'election');
    c.deliverAll((e) => e.message.type === 'requestVote' || e.message.type === 'voteResponse');
    expect(c.node('n1').core.inspect().leaseExpiryUs).toBeNull();
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'lease' });
    expect(c.outputsOf('readReady')).toEqual([]);
  });

  it('ends when a leadership transfer starts', () => {
    const c = settled();
    expect(c.node('n1').core.inspect().leaseExpiryUs).not.toBeNull();
    c.input('n1', { kind: 'transferLeadership', to: 'n2' });
    expect(c.node('n1').core.inspect().leaseExpiryUs).toBeNull();
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'lease' });
    expect(c.outputsOf('readReady', 'n1')).toEqual([]);
  });
});

describe('the lease is timed on the monotonic clock', () => {
  // The wall clock (nowUs) steps back 1 s after the lease was confirmed; the monotonic clock
  // (monoUs) runs on. The lease must end by the monotonic clock, or it would last 1 s longer in true time.
  function leaseReadAfterBackwardStep(onWallClock: boolean): string[] {
    const c = settled({ bugs: { ...NO_BUGS, leaseOnWallClock: onWallClock } });
    c.fire('n1', 'heartbeat');
    const roundSentUs = c.node('n1').clockUs;
    c.deliverAll();
    expect(c.node('n1').core.inspect().leaseClock).toBe(onWallClock ? 'local' : 'monotonic');
    c.node('n1').clockUs = roundSentUs - 1_000_000;
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'lease', monoUs: roundSentUs + 135_000 });
    return c.outputsOf('readReady').map((r) => r.requestId);
  }

  it('a backward wall-clock step does not lengthen it: the read falls back to ReadIndex', () => {
    expect(leaseReadAfterBackwardStep(false)).toEqual([]);
  });

  it('with the planted bug leaseOnWallClock the stepped-back clock still reads the lease as valid', () => {
    expect(leaseReadAfterBackwardStep(true)).toEqual(['q']);
  });

  it('refuses an input without monoUs once the host has given it (the lease must stay on one clock)', () => {
    const c = settled();
    c.input('n1', { kind: 'read', requestId: 'q', mode: 'lease', monoUs: c.node('n1').clockUs });
    expect(() => c.input('n1', { kind: 'read', requestId: 'r', mode: 'lease' })).toThrow(/without monoUs/);
  });
});

describe('lease safety under clock drift', () => {
  // n1 leads and renews its lease at true time t0, then is cut off. At t0 + 150 ms (true) the
  // others' stickiness has run out; n2 is elected and confirms its own lease at once. n1's clock
  // runs slow, so at that moment it reads less than 150 ms since t0.
  function overlapping(n1Rate: number, withoutMargin: boolean): string[] {
    const c = new TestCluster({ voters: VOTERS, clockRates: { n1: n1Rate }, config: { bugs: { ...NO_BUGS, leaseWithoutDriftMargin: withoutMargin } } });
    const monitor = new RaftInvariantMonitor();
    c.observer = (cl) => monitor.observe(cl.observation());
    c.passTime(300_000);
    c.trigger('n1', 'election');
    c.deliverAll();
    c.trigger('n1', 'heartbeat');
    c.deliverAll();
    expect(c.node('n1').core.inspect().leaseExpiryUs).not.toBeNull();
    c.isolate('n1');
    c.passTime(150_000);
    c.trigger('n2', 'election');
    c.deliverAll();
    expect(c.leaders().sort()).toEqual(['n1', 'n2']);
    expect(c.node('n2').core.inspect().leaseExpiryUs).not.toBeNull();
    return monitor.violations.map((v) => v.invariant);
  }

  it('holds when the leader’s clock is 5% slow and the drift bound is 10%', () => {
    expect(overlapping(0.95, false)).toEqual([]);
  });

  it('breaks without the drift margin (leaseWithoutDriftMargin): two leases at once', () => {
    expect(overlapping(0.95, true)).toContain('lease-safety');
  });

  it('breaks when the real drift exceeds the configured bound, margin or not', () => {
    expect(overlapping(0.85, false)).toContain('lease-safety');
  });
});

describe('redirects and stale reads', () => {
  it('a follower redirects linearizable reads and proposals to the leader it knows', () => {
    const c = settled();
    c.input('n2', { kind: 'read', requestId: 'q1', mode: 'read-index' });
    c.input('n2', { kind: 'read', requestId: 'q2', mode: 'lease' });
    c.input('n2', { kind: 'propose', requestId: 'w', data: text('x') });
    expect(c.outputsOf('redirect')).toEqual([
      { kind: 'redirect', requestId: 'q1', leaderHint: 'n1' },
      { kind: 'redirect', requestId: 'q2', leaderHint: 'n1' },
      { kind: 'redirect', requestId: 'w', leaderHint: 'n1' },
    ]);
  });

  it('a node that knows no leader redirects with no hint', () => {
    const c = new TestCluster({ voters: VOTERS });
    c.input('n2', { kind: 'read', requestId: 'q', mode: 'read-index' });
    expect(c.outputsOf('redirect')).toEqual([{ kind: 'redirect', requestId: 'q', leaderHint: null }]);
  });

  it('a stale read is answered by any node at what it has applied, only when asked for', () => {
    const c = settled();
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.deliverAll((e) => e.to === 'n2' || e.from === 'n2');
    c.input('n3', { kind: 'read', requestId: 'q', mode: 'stale' });
    expect(c.outputsOf('readReady', 'n3')).toEqual([{ kind: 'readReady', requestId: 'q', readIndex: 1 }]);
  });
});

describe('bounded client queues answer busy', () => {
  it('proposals beyond pendingProposalsMax uncommitted entries are refused with busy', () => {
    const c = settled({ pendingProposalsMax: 3 });
    c.isolate('n1');
    for (let i = 0; i < 4; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`${i}`) });
    expect(c.outputsOf('proposed').map((p) => p.requestId)).toEqual(['w0', 'w1', 'w2']);
    expect(c.outputsOf('busy')).toEqual([{ kind: 'busy', requestId: 'w3' }]);
  });

  it('reads beyond pendingReadsMax waiting for confirmation are refused with busy', () => {
    const c = settled({ pendingReadsMax: 2 });
    c.isolate('n1');
    for (let i = 0; i < 3; i++) c.input('n1', { kind: 'read', requestId: `q${i}`, mode: 'read-index' });
    expect(c.outputsOf('busy')).toEqual([{ kind: 'busy', requestId: 'q2' }]);
  });

  it('a leader that loses leadership answers its uncommitted proposals as dropped (outcome unknown)', () => {
    const c = settled();
    c.isolate('n1');
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.fire('n1', 'election');
    c.fire('n1', 'election');
    expect(c.outputsOf('dropped')).toEqual([{ kind: 'dropped', requestId: 'w', reason: 'leadership lost before commit' }]);
  });
});
