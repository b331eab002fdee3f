// Transcripts in the style of etcd's interaction tests: a scenario, then the exact messages it
// produces in delivery order and the resulting state, so a reader can follow the protocol line by
// line (pre-vote, vote, the no-op of the new term, replication and commit, a heartbeat round).

import { describe, expect, it } from 'vitest';
import { TestCluster, text } from './testing/network';
import { deliverAllTranscript, describeState } from './testing/transcript';

describe('transcripts', () => {
  it('§5.2 + thesis §9.6: pre-vote, election, the no-op of term 1, and its commit', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'] });
    c.passTime(300_000);
    c.trigger('n1', 'election');
    expect(deliverAllTranscript(c)).toEqual([
      'n1->n2 PreVote term=1 last=0/0',
      'n1->n3 PreVote term=1 last=0/0',
      'n2->n1 PreVoteResp term=1 granted',
      'n3->n1 PreVoteResp term=1 granted',
      'n1->n2 Vote term=1 last=0/0',
      'n1->n3 Vote term=1 last=0/0',
      'n2->n1 VoteResp term=1 granted',
      'n3->n1 VoteResp term=1 granted',
      'n1->n2 App term=1 prev=0/0 entries=[1/1 noop] commit=0 round=1',
      'n1->n3 App term=1 prev=0/0 entries=[1/1 noop] commit=0 round=1',
      'n2->n1 AppResp term=1 match=1 round=1',
      'n3->n1 AppResp term=1 match=1 round=1',
      'n1->n2 App term=1 prev=1/1 entries=[] commit=1 round=1',
      'n1->n3 App term=1 prev=1/1 entries=[] commit=1 round=1',
      'n2->n1 AppResp term=1 match=1 round=1',
      'n3->n1 AppResp term=1 match=1 round=1',
    ]);
    expect(describeState(c)).toEqual([
      'n1 leader term=1 commit=1 applied=1 log=[1]',
      'n2 follower term=1 commit=1 applied=1 log=[1]',
      'n3 follower term=1 commit=1 applied=1 log=[1]',
    ]);
  });

  it('§5.3: a proposal is replicated, committed on a majority, and the commit index travels on', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'] });
    c.passTime(300_000);
    c.trigger('n1', 'election');
    c.deliverAll();
    c.input('n1', { kind: 'propose', requestId: 'w', data: text('x') });
    c.isolate('n3');
    expect(deliverAllTranscript(c)).toEqual([
      'n1->n2 App term=1 prev=1/1 entries=[2/1] commit=1 round=1',
      'n1->n3 App term=1 prev=1/1 entries=[2/1] commit=1 round=1',
      'n2->n1 AppResp term=1 match=2 round=1',
      'n1->n2 App term=1 prev=2/1 entries=[] commit=2 round=1',
      'n2->n1 AppResp term=1 match=2 round=1',
    ]);
    expect(describeState(c)).toEqual([
      'n1 leader term=1 commit=2 applied=2 log=[1 1]',
      'n2 follower term=1 commit=2 applied=2 log=[1 1]',
      'n3 follower term=1 commit=1 applied=1 log=[1 1]',
    ]);
  });

  it('thesis §6.4: a heartbeat round confirms leadership and carries min(commit, match)', () => {
    const c = new TestCluster({ voters: ['n1', 'n2', 'n3'] });
    c.passTime(300_000);
    c.trigger('n1', 'election');
    c.deliverAll();
    c.trigger('n1', 'heartbeat');
    expect(deliverAllTranscript(c)).toEqual([
      'n1->n2 Heartbeat term=1 commit=1 round=2',
      'n1->n3 Heartbeat term=1 commit=1 round=2',
      'n2->n1 HeartbeatResp term=1 round=2',
      'n3->n1 HeartbeatResp term=1 round=2',
    ]);
    expect(c.node('n1').events.filter((e) => e.type === 'leaseAcquired')).toHaveLength(1);
  });
});
