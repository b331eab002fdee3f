// Leadership transfer, read like Ongaro's thesis §3.10: the leader brings the target's log up
// to date, sends TimeoutNow, and the target campaigns at once (no pre-vote, voters ignore
// stickiness). Used for graceful shutdown. A transfer that stalls is abandoned after an
// election timeout; proposals wait (busy) while one is under way.

import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { TestCluster, text } from './testing/network';

function settled(): { c: TestCluster; monitor: RaftInvariantMonitor } {
  const monitor = new RaftInvariantMonitor();
  const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], observe: (o) => monitor.observe(o) }).settle();
  return { c, monitor };
}

describe('leadership transfer (thesis §3.10)', () => {
  it('catches the target up first, then TimeoutNow makes it leader of the next term at once', () => {
    const { c, monitor } = settled();
    c.isolate('n2');
    for (let i = 0; i < 3; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`${i}`) });
    c.deliverAll();
    c.heal();
    c.input('n1', { kind: 'transferLeadership', to: 'n2' });
    expect(c.inFlight.filter((e) => e.message.type === 'timeoutNow')).toEqual([]);
    c.deliverAll();
    expect(c.leaders()).toEqual(['n2']);
    expect(c.node('n2').core.inspect().term).toBe(2);
    expect(c.node('n2').core.inspect().lastLogIndex).toBe(c.node('n1').core.inspect().lastLogIndex);
    expect(c.node('n1').events).toContainEqual({ type: 'stepDown', reason: 'transfer', term: 1 });
    expect(monitor.violations).toEqual([]);
  });

  it('with no target named (graceful shutdown), hands over to the most up-to-date voter', () => {
    const { c } = settled();
    c.isolate('n3');
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.deliverAll();
    c.heal();
    c.input('n1', { kind: 'transferLeadership', to: null });
    c.deliverAll();
    expect(c.leaders()).toEqual(['n2']);
  });

  it('answers proposals with busy while a transfer is under way', () => {
    const { c } = settled();
    c.isolate('n2');
    c.input('n1', { kind: 'transferLeadership', to: 'n2' });
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    expect(c.outputsOf('busy')).toEqual([{ kind: 'busy', requestId: 'w' }]);
  });

  it('abandons a transfer that has not finished within an election timeout', () => {
    const { c } = settled();
    c.isolate('n2');
    c.input('n1', { kind: 'transferLeadership', to: 'n2' });
    c.deliverAll();
    for (let i = 0; i < 2; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
      c.fire('n1', 'election');
    }
    expect(c.leaders()).toEqual(['n1']);
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    expect(c.outputsOf('proposed').map((p) => p.requestId)).toEqual(['w']);
  });

  it('ignores TimeoutNow from anyone but the current leader', () => {
    const { c } = settled();
    c.input('n2', { kind: 'receive', from: 'n3', message: { type: 'timeoutNow', term: 1 } });
    expect(c.node('n2').core.inspect().role).toBe('follower');
    expect(c.node('n2').core.inspect().term).toBe(1);
    c.input('n2', { kind: 'receive', from: 'n1', message: { type: 'timeoutNow', term: 1 } });
    expect(c.node('n2').core.inspect().role).toBe('candidate');
  });

  it('holds no lease for the rest of its term once a TimeoutNow has left, even if the transfer is abandoned', () => {
    const { c, monitor } = settled();
    c.input('n1', { kind: 'transferLeadership', to: 'n2' });
    const timeoutNow = c.inFlight.find((e) => e.message.type === 'timeoutNow');
    expect(timeoutNow).toBeDefined();
    c.drop((e) => e === timeoutNow); // held back by the network...
    for (let i = 0; i < 2; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
      c.fire('n1', 'election');
    }
    c.fire('n1', 'heartbeat');
    c.deliverAll();
    expect(c.leaders()).toEqual(['n1']);
    expect(c.node('n1').core.inspect().leaseExpiryUs).toBeNull();
    if (timeoutNow !== undefined) c.inFlight.push(timeoutNow); // ...and delivered late
    c.deliverAll();
    expect(c.leaders()).toEqual(['n2']);
    expect(monitor.violations).toEqual([]);
  });
});
