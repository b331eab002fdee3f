// Membership changes, read like Ongaro's thesis §4: joint consensus (C_old,new, then C_new, with
// both majorities required in between), non-voting learners that must catch up before they are
// promoted (§4.2.1), and removing the leader itself (§4.2.2: it steps down once C_new commits).

import { describe, expect, it } from 'vitest';
import { RaftInvariantMonitor } from '../../checkers/raft/monitor';
import { TestCluster, text } from './testing/network';

function cluster(): { c: TestCluster; monitor: RaftInvariantMonitor } {
  const monitor = new RaftInvariantMonitor();
  const c = new TestCluster({ voters: ['n1', 'n2', 'n3'], spare: ['n4', 'n5'], observe: (o) => monitor.observe(o) }).settle();
  return { c, monitor };
}

function addLearners(c: TestCluster, learners: string[]): void {
  c.input('n1', { kind: 'changeMembership', requestId: 'learners', voters: ['n1', 'n2', 'n3'], learners });
  c.deliverAll();
  c.fire('n1', 'heartbeat');
  c.deliverAll();
}

describe('learners (thesis §4.2.1)', () => {
  it('a learner is added with a single configuration entry and receives the whole log', () => {
    const { c, monitor } = cluster();
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.deliverAll();
    addLearners(c, ['n4']);
    const cfg = c.node('n1').core.inspect().config;
    expect(cfg).toEqual({ voters: ['n1', 'n2', 'n3'], votersOld: null, learners: ['n4'] });
    expect(c.node('n4').core.inspect().log).toEqual(c.node('n1').core.inspect().log);
    expect(c.node('n4').commands).toEqual(['x']);
    expect(monitor.violations).toEqual([]);
  });

  it('a learner’s acknowledgement never counts toward commit', () => {
    const { c } = cluster();
    addLearners(c, ['n4']);
    const before = c.node('n1').core.inspect().commitIndex;
    c.isolate('n2');
    c.isolate('n3');
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.deliverAll();
    expect(c.node('n4').core.inspect().lastLogIndex).toBe(before + 1);
    expect(c.node('n1').core.inspect().commitIndex).toBe(before);
  });

  it('a learner never campaigns', () => {
    const { c } = cluster();
    addLearners(c, ['n4']);
    c.isolate('n4');
    c.passTime(300_000);
    c.fire('n4', 'election');
    expect(c.node('n4').core.inspect().role).toBe('follower');
    expect(c.inFlight.filter((e) => e.from === 'n4')).toEqual([]);
  });

  it('a node becomes a voter only as a caught-up learner', () => {
    const { c } = cluster();
    c.input('n1', { kind: 'changeMembership', requestId: 'direct', voters: ['n1', 'n2', 'n3', 'n4'], learners: [] });
    expect(c.outputsOf('rejected')).toEqual([{ kind: 'rejected', requestId: 'direct', reason: 'n4 must join as a learner before it can vote' }]);
    c.isolate('n4');
    addLearners(c, ['n4']);
    for (let i = 0; i < 20; i++) c.input('n1', { kind: 'propose', requestId: `w${i}`, data: text(`${i}`) });
    c.deliverAll();
    c.input('n1', { kind: 'changeMembership', requestId: 'lagging', voters: ['n1', 'n2', 'n3', 'n4'], learners: [] });
    expect(c.outputsOf('rejected').map((r) => r.reason)).toContain('learner n4 has not caught up');
    c.heal();
    for (let i = 0; i < 10; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
    }
    c.input('n1', { kind: 'changeMembership', requestId: 'promote', voters: ['n1', 'n2', 'n3', 'n4'], learners: [] });
    expect(c.outputsOf('proposed').map((p) => p.requestId)).toContain('promote');
  });

  it('rejects malformed requests with a reason naming the problem', () => {
    const { c } = cluster();
    c.input('n1', { kind: 'changeMembership', requestId: 'a', voters: [], learners: [] });
    c.input('n1', { kind: 'changeMembership', requestId: 'b', voters: ['n1', 'n1'], learners: [] });
    c.input('n1', { kind: 'changeMembership', requestId: 'c', voters: ['n1', 'n2'], learners: ['n2'] });
    expect(c.outputsOf('rejected').map((r) => r.reason)).toEqual([
      'voters must not be empty',
      'voters must be distinct',
      'a node cannot be both voter and learner: n2',
    ]);
  });
});

describe('joint consensus (thesis §4.3)', () => {
  it('goes through C_old,new to C_new, needing both majorities while joint', () => {
    const { c, monitor } = cluster();
    addLearners(c, ['n4', 'n5']);
    c.input('n1', { kind: 'changeMembership', requestId: 'swap', voters: ['n1', 'n4', 'n5'], learners: [] });
    const joint = c.outputsOf('proposed').find((p) => p.requestId === 'swap');
    expect(c.node('n1').core.inspect().config).toEqual({ voters: ['n1', 'n4', 'n5'], votersOld: ['n1', 'n2', 'n3'], learners: [] });
    // The old majority alone (n1, n2, n3) cannot commit C_old,new: the new one must agree too.
    c.isolate('n4');
    c.isolate('n5');
    c.deliverAll();
    expect(c.node('n1').core.inspect().commitIndex).toBeLessThan(joint?.index ?? 0);
    c.heal();
    for (let i = 0; i < 5; i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
    }
    const v = c.node('n1').core.inspect();
    expect(v.config).toEqual({ voters: ['n1', 'n4', 'n5'], votersOld: null, learners: [] });
    expect(v.commitIndex).toBe(v.lastLogIndex);
    expect(c.node('n1').events.filter((e) => e.type === 'configChanged').map((e) => (e.type === 'configChanged' ? e.config.votersOld : 'x'))).toEqual([null, ['n1', 'n2', 'n3'], null]);
    expect(monitor.violations).toEqual([]);
  });

  it('refuses a second change while one is in progress', () => {
    const { c } = cluster();
    addLearners(c, ['n4']);
    c.isolate('n2');
    c.isolate('n3');
    c.input('n1', { kind: 'changeMembership', requestId: 'one', voters: ['n1', 'n2', 'n3'], learners: ['n4', 'n5'] });
    c.input('n1', { kind: 'changeMembership', requestId: 'two', voters: ['n1', 'n2', 'n3'], learners: [] });
    expect(c.outputsOf('rejected')).toEqual([{ kind: 'rejected', requestId: 'two', reason: 'a membership change is already in progress' }]);
  });
});

describe('removing the leader (thesis §4.2.2)', () => {
  it('the leader keeps leading without counting itself, steps down once C_new commits, and the rest elect a new leader', () => {
    const { c, monitor } = cluster();
    c.input('n1', { kind: 'changeMembership', requestId: 'leave', voters: ['n2', 'n3'], learners: [] });
    c.deliverAll();
    for (let i = 0; i < 3 && c.leaders().includes('n1'); i++) {
      c.fire('n1', 'heartbeat');
      c.deliverAll();
    }
    expect(c.node('n1').core.inspect().role).toBe('follower');
    expect(c.node('n1').events).toContainEqual({ type: 'stepDown', reason: 'removed-from-config', term: 1 });
    expect(c.node('n2').core.inspect().config).toEqual({ voters: ['n2', 'n3'], votersOld: null, learners: [] });
    c.passTime(300_000);
    c.fire('n2', 'election');
    c.deliverAll();
    expect(c.leaders()).toEqual(['n2']);
    // The removed node is no voter any more: its timeouts start no campaign.
    c.passTime(300_000);
    c.fire('n1', 'election');
    expect(c.inFlight.filter((e) => e.from === 'n1')).toEqual([]);
    expect(monitor.violations).toEqual([]);
  });
});
