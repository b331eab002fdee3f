// Elections: the follower's timeout, the pre-candidate (thesis §9.6, which does not raise its
// term), the candidate (§5.2), voting with the up-to-date rule (§5.4.1) and leader stickiness
// (refuse votes while a leader's lease may hold), and TimeoutNow (thesis §3.10). A vote is
// sent only once it is durable. This module must never touch replication state.

import type { RaftNode } from './node';
import * as leader from './leader';
import { tally } from './quorum';
import type { NodeId, RequestVote, VoteResponse } from './types';

export function onElectionTimeout(n: RaftNode): void {
  // Learners and removed nodes never campaign: they could not win and would only disturb.
  if (!n.isVoter()) {
    n.resetElectionTimer();
    return;
  }
  if (n.config.preVote) becomePreCandidate(n);
  else campaign(n, false);
}

export function onTimeoutNow(n: RaftNode, from: NodeId): void {
  if (from !== n.leaderId) return; // only our current leader may hand over
  if (!n.isVoter() || n.role === 'leader') return;
  // The leader asked us to take over: skip pre-vote, and tell voters to ignore stickiness.
  campaign(n, true);
}

function becomePreCandidate(n: RaftNode): void {
  n.setRole('pre-candidate');
  n.leaderId = null;
  n.votes.clear();
  n.votes.set(n.id, true);
  n.resetElectionTimer();
  if (tally(n.activeConfig, n.votes) === 'won') {
    campaign(n, false);
    return;
  }
  const m: RequestVote = { type: 'requestVote', preVote: true, term: n.term + 1, lastIndex: n.log.lastIndex(), lastTerm: n.log.lastTerm(), transfer: false };
  for (const p of voterPeers(n)) n.send(p, m, 'term');
}

function campaign(n: RaftNode, transfer: boolean): void {
  n.event({ type: 'termChanged', from: n.term, to: n.term + 1 });
  n.term += 1;
  n.votedFor = n.id;
  n.markHardState(true);
  n.setRole('candidate');
  n.leaderId = null;
  n.votes.clear();
  n.resetElectionTimer();
  const m: RequestVote = { type: 'requestVote', preVote: false, term: n.term, lastIndex: n.log.lastIndex(), lastTerm: n.log.lastTerm(), transfer };
  for (const p of voterPeers(n)) n.send(p, m, 'term');
}

/** Tallies the votes; counts our own vote only once it is on disk. */
export function checkTally(n: RaftNode): void {
  if (n.role !== 'candidate' && n.role !== 'pre-candidate') return;
  const votes = new Map(n.votes);
  if (n.role === 'candidate') {
    if (n.termVoteDurable() && n.votedFor === n.id) votes.set(n.id, true);
    else votes.delete(n.id);
  }
  const outcome = tally(n.activeConfig, votes);
  if (outcome === 'pending') return;
  if (n.role === 'pre-candidate') {
    if (outcome === 'won') campaign(n, false);
    else n.becomeFollower(n.term, null, 'higher-term');
    return;
  }
  if (outcome === 'won') leader.becomeLeader(n);
  else n.becomeFollower(n.term, null, 'higher-term');
}

export function onVoteResponse(n: RaftNode, from: NodeId, m: VoteResponse): void {
  if (m.preVote) {
    if (n.role !== 'pre-candidate') return;
    if (m.granted && m.term !== n.term + 1) return; // an answer to an older probe
  } else {
    if (n.role !== 'candidate' || m.term !== n.term) return;
  }
  n.votes.set(from, m.granted);
  checkTally(n);
}

export function onRequestVote(n: RaftNode, from: NodeId, m: RequestVote): void {
  // Leader stickiness (thesis §4.2.3, §6.4.1): while a leader may hold a lease that counted on
  // us, ignore campaigns for newer terms, unless the leader itself handed over (TimeoutNow).
  const inLease = n.role === 'leader' || n.leaseClockUs - n.lastLeaderContactUs < n.config.electionTimeoutMinUs;
  if (m.term > n.term && inLease && !m.transfer) {
    n.event({ type: 'voteRejected', to: from, term: m.term, preVote: m.preVote, why: 'leader-lease' });
    return;
  }
  if (m.term > n.term && !m.preVote) n.becomeFollower(m.term, null, m.transfer && n.transferTarget === from ? 'transfer' : 'higher-term');

  const upToDate = m.lastTerm > n.log.lastTerm() || (m.lastTerm === n.log.lastTerm() && m.lastIndex >= n.log.lastIndex());
  if (m.preVote) {
    const granted = m.term > n.term && upToDate;
    answer(n, from, m, granted, granted ? m.term : n.term, granted ? '' : m.term <= n.term ? 'stale-term' : 'log-behind');
    return;
  }
  if (m.term < n.term) {
    answer(n, from, m, false, n.term, 'stale-term');
    return;
  }
  const canVote = n.votedFor === from || (n.votedFor === null && n.leaderId === null);
  const granted = canVote && upToDate;
  if (granted) {
    if (n.votedFor !== from) {
      n.votedFor = from;
      n.markHardState(true);
    }
    n.resetElectionTimer();
  }
  answer(n, from, m, granted, n.term, granted ? '' : canVote ? 'log-behind' : 'already-voted');
}

function answer(n: RaftNode, to: NodeId, m: RequestVote, granted: boolean, term: number, why: string): void {
  if (granted) n.event({ type: 'voteGranted', to, term: m.term, preVote: m.preVote });
  else n.event({ type: 'voteRejected', to, term: m.term, preVote: m.preVote, why });
  const gate = granted && !m.preVote && n.config.bugs.voteBeforeDurable ? 'immediate' : 'term';
  n.send(to, { type: 'voteResponse', preVote: m.preVote, term, granted }, gate);
}

function voterPeers(n: RaftNode): NodeId[] {
  const c = n.activeConfig;
  const all = new Set<NodeId>([...c.voters, ...(c.votersOld ?? [])]);
  all.delete(n.id);
  return [...all].sort();
}
