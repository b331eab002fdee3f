// The leader: replication with per-follower progress (probe / replicate with a bound on in-flight
// appends / snapshot in chunks), fast back-off, the no-op at the start of a term, the commit rule
// of §5.4.2 (only entries of the leader's own term are committed by counting), heartbeats with
// rounds that confirm leadership for ReadIndex and the lease (thesis §6.4), check-quorum,
// joint-consensus membership changes with learners (thesis §4.3), and leadership transfer
// (thesis §3.10). This module must never commit without a quorum, nor serve a linearizable read
// without a confirmed round or a valid lease (unless a planted bug says so).

import { assert } from '../util/assert';
import { leaseDurationUs } from './config';
import type { Progress, RaftNode } from './node';
import { isJoint, isVoter, quorumValue } from './quorum';
import type {
  AppendResponse,
  Configuration,
  HeartbeatResponse,
  InstallSnapshotResponse,
  LogEntry,
  NodeId,
  ReadMode,
  RequestId,
  StepDownReason,
} from './types';

const EMPTY = new Uint8Array(0);

export function becomeLeader(n: RaftNode): void {
  assert(n.role === 'candidate', 'leader: only a candidate is elected');
  n.setRole('leader');
  n.leaderId = n.id;
  n.votes.clear();
  n.event({ type: 'leaderElected', leaderId: n.id, term: n.term });
  n.progress = new Map();
  for (const p of n.peers()) n.progress.set(p, newProgress(n.log.lastIndex() + 1));
  n.ackedRound = n.round;
  n.leaseExpiryUs = null;
  n.pendingReads = [];
  n.pendingProposals = [];
  n.transferTarget = null;
  n.timeoutNowSent = false;
  n.leaseBarred = false;
  n.startRound();
  // §8 / thesis §6.4: a no-op of our own term lets us commit (and learn) everything before it.
  // The planted Figure 8 bug leaves it out, as the implementations that counted earlier-term
  // entries did: without it the earlier-term tail is what gets counted (see RaftBugs).
  if (!n.config.bugs.commitPriorTermByCounting) appendEntry(n, { index: n.log.lastIndex() + 1, term: n.term, kind: 'noop', data: EMPTY, config: null });
  n.emit({ kind: 'setTimer', timer: 'heartbeat', atLocalUs: n.nowUs + n.config.heartbeatIntervalUs });
  n.emit({ kind: 'setTimer', timer: 'election', atLocalUs: n.nowUs + n.config.electionTimeoutMinUs });
}

/** Leaves the leader role: everything waiting on our leadership is answered as dropped. */
export function stepDown(n: RaftNode, reason: StepDownReason): void {
  n.event({ type: 'stepDown', reason, term: n.term });
  for (const r of n.pendingReads) n.emit({ kind: 'dropped', requestId: r.requestId, reason: 'leadership lost' });
  for (const p of n.pendingProposals) n.emit({ kind: 'dropped', requestId: p.requestId, reason: 'leadership lost before commit' });
  n.pendingReads = [];
  n.pendingProposals = [];
  dropLease(n);
  n.progress = new Map();
  n.transferTarget = null;
  n.timeoutNowSent = false;
}

export function onConfigChanged(n: RaftNode): void {
  const peers = n.peers();
  for (const p of peers) if (!n.progress.has(p)) n.progress.set(p, newProgress(n.log.lastIndex() + 1));
  for (const p of [...n.progress.keys()]) if (!peers.includes(p)) n.progress.delete(p);
  if (n.transferTarget !== null && !isVoter(n.activeConfig, n.transferTarget)) n.transferTarget = null;
}

/** The leader's election timer: check-quorum (thesis §6.2) and the transfer deadline. */
export function onCheckQuorumTick(n: RaftNode): void {
  if (n.transferTarget !== null && n.nowUs >= n.transferDeadlineUs) {
    n.transferTarget = null;
    n.timeoutNowSent = false;
  }
  if (n.config.checkQuorum) {
    const active = quorumValue(n.activeConfig, (id) => (id === n.id ? 1 : n.progress.get(id)?.recentActive === true ? 1 : 0));
    if (active < 1) {
      n.becomeFollower(n.term, null, 'check-quorum');
      return;
    }
    for (const pr of n.progress.values()) pr.recentActive = false;
  }
  n.emit({ kind: 'setTimer', timer: 'election', atLocalUs: n.nowUs + n.config.electionTimeoutMinUs });
}

export function onHeartbeatTick(n: RaftNode): void {
  leaseValid(n);
  broadcastHeartbeat(n);
  n.emit({ kind: 'setTimer', timer: 'heartbeat', atLocalUs: n.nowUs + n.config.heartbeatIntervalUs });
}

// ---------------------------------------------------------------------------------------------
// Client requests

export function onPropose(n: RaftNode, requestId: RequestId, data: Uint8Array): void {
  if (n.role !== 'leader') {
    n.emit({ kind: 'redirect', requestId, leaderHint: n.leaderId });
    return;
  }
  if (n.transferTarget !== null || n.log.lastIndex() - n.commitIndex >= n.config.pendingProposalsMax) {
    n.emit({ kind: 'busy', requestId });
    return;
  }
  const index = n.log.lastIndex() + 1;
  appendEntry(n, { index, term: n.term, kind: 'command', data, config: null });
  n.pendingProposals.push({ index, requestId });
  n.emit({ kind: 'proposed', requestId, index, term: n.term });
}

export function onRead(n: RaftNode, requestId: RequestId, mode: ReadMode): void {
  if (mode === 'stale') {
    // Asked for explicitly: whatever this node has applied, leader or not.
    n.emit({ kind: 'readReady', requestId, readIndex: n.appliedIndex });
    return;
  }
  if (n.role !== 'leader') {
    n.emit({ kind: 'redirect', requestId, leaderHint: n.leaderId });
    return;
  }
  if (n.config.bugs.readWithoutLeadershipCheck) {
    n.emit({ kind: 'readReady', requestId, readIndex: n.commitIndex });
    return;
  }
  const ownTermCommitted = n.log.termAt(n.commitIndex) === n.term;
  if (mode === 'lease' && ownTermCommitted && leaseValid(n)) {
    n.emit({ kind: 'readReady', requestId, readIndex: n.commitIndex });
    return;
  }
  if (n.pendingReads.length >= n.config.pendingReadsMax) {
    n.emit({ kind: 'busy', requestId });
    return;
  }
  // ReadIndex: note the commit index, then confirm we are still leader with a fresh round.
  const round = n.startRound();
  n.pendingReads.push({ requestId, round, readIndex: ownTermCommitted ? n.commitIndex : null });
  for (const p of n.progress.keys()) sendHeartbeat(n, p, round);
  recomputeAcks(n);
}

export function onChangeMembership(n: RaftNode, requestId: RequestId, voters: readonly NodeId[], learners: readonly NodeId[]): void {
  if (n.role !== 'leader') {
    n.emit({ kind: 'redirect', requestId, leaderHint: n.leaderId });
    return;
  }
  const problem = membershipProblem(n, voters, learners);
  if (problem !== null) {
    n.emit({ kind: 'rejected', requestId, reason: problem });
    return;
  }
  if (n.transferTarget !== null || n.log.lastIndex() - n.commitIndex >= n.config.pendingProposalsMax) {
    n.emit({ kind: 'busy', requestId });
    return;
  }
  const cur = n.activeConfig;
  const newVoters = [...voters].sort();
  const sameVoters = newVoters.length === cur.voters.length && newVoters.every((v) => cur.voters.includes(v));
  // Changing only learners needs no joint phase: they never count toward a quorum.
  const config: Configuration = { voters: newVoters, votersOld: sameVoters ? null : [...cur.voters], learners: [...learners].sort() };
  const index = n.log.lastIndex() + 1;
  appendEntry(n, { index, term: n.term, kind: 'config', data: EMPTY, config });
  n.pendingProposals.push({ index, requestId });
  n.emit({ kind: 'proposed', requestId, index, term: n.term });
}

export function onTransferLeadership(n: RaftNode, to: NodeId | null): void {
  if (n.role !== 'leader') return;
  const target = to ?? bestTransferTarget(n);
  if (target === null || target === n.id || !isVoter(n.activeConfig, target) || !n.progress.has(target)) return;
  n.transferTarget = target;
  n.transferDeadlineUs = n.nowUs + n.config.electionTimeoutMinUs;
  n.timeoutNowSent = false;
  // The target will campaign ignoring stickiness, so our lease must end now.
  dropLease(n);
  const pr = n.progress.get(target);
  assert(pr !== undefined, 'leader: transfer target is tracked');
  // Its last acknowledgement may have been lost: ask where it stands rather than wait a heartbeat.
  if (pr.match < n.log.lastIndex() && pr.state === 'replicate') sendAppend(n, target, pr, []);
  maybeSendTimeoutNow(n);
}

// ---------------------------------------------------------------------------------------------
// Responses

export function onAppendResponse(n: RaftNode, from: NodeId, m: AppendResponse): void {
  const pr = n.progress.get(from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.ackedRound = Math.max(pr.ackedRound, m.round);
  if (m.success) {
    pr.match = Math.max(pr.match, Math.min(m.matchIndex, n.log.lastIndex()));
    if (pr.state === 'probe') {
      pr.state = 'replicate';
      pr.next = pr.match + 1;
      pr.inflight = [];
      pr.probeSent = false;
    } else if (pr.state === 'replicate') {
      pr.inflight = pr.inflight.filter((i) => i > pr.match);
      pr.next = Math.max(pr.next, pr.match + 1);
    }
    maybeCommit(n);
    if (n.role !== 'leader') return;
    if (from === n.transferTarget) maybeSendTimeoutNow(n);
  } else {
    onReject(n, pr, m);
  }
  maybeSend(n, from);
  maybeSendCommit(n, from, pr);
  recomputeAcks(n);
}

function onReject(n: RaftNode, pr: Progress, m: AppendResponse): void {
  if (pr.state === 'snapshot') return;
  // Ignore rejections of appends we have since moved past (stale, reordered responses).
  if (pr.state === 'replicate' && m.rejectedIndex <= pr.match) return;
  if (pr.state === 'probe' && m.rejectedIndex !== pr.next - 1) return;
  if (m.conflictTerm === 0 && m.conflictIndex - 1 < pr.match) {
    // Its log is shorter than what it acknowledged: it lost its disk (outside Raft's fault
    // model) or this is a reordered old answer. Lowering match only slows commits (the commit
    // index never moves back) and lets the follower be brought up to date again.
    pr.match = Math.max(0, m.conflictIndex - 1);
  }
  // Fast back-off (§5.3): skip the follower's whole conflicting term in one step.
  let next = m.conflictIndex;
  if (m.conflictTerm > 0) {
    const ours = n.log.lastIndexOfTerm(m.conflictTerm);
    if (ours > 0) next = ours + 1;
  }
  pr.next = Math.max(pr.match + 1, Math.min(next, m.rejectedIndex));
  pr.state = 'probe';
  pr.probeSent = false;
  pr.inflight = [];
}

export function onHeartbeatResponse(n: RaftNode, from: NodeId, m: HeartbeatResponse): void {
  const pr = n.progress.get(from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.ackedRound = Math.max(pr.ackedRound, m.round);
  if (pr.match < n.log.lastIndex()) {
    // The follower is alive but behind: retry what may have been lost (one probe per heartbeat).
    if (pr.state === 'probe') pr.probeSent = false;
    else if (pr.state === 'replicate' && pr.inflight.length >= n.config.inflightAppendsMax) {
      pr.state = 'probe';
      pr.next = pr.match + 1;
      pr.inflight = [];
      pr.probeSent = false;
    } else if (pr.state === 'replicate') {
      // An acknowledgement may have been lost: an empty append at next-1 makes the follower
      // report its match (or reject, which sends us back to probing).
      sendAppend(n, from, pr, []);
    } else if (pr.state === 'snapshot') pr.chunkInFlight = false;
    maybeSend(n, from);
  }
  recomputeAcks(n);
}

export function onInstallSnapshotResponse(n: RaftNode, from: NodeId, m: InstallSnapshotResponse): void {
  const pr = n.progress.get(from);
  if (pr === undefined) return;
  pr.recentActive = true;
  pr.ackedRound = Math.max(pr.ackedRound, m.round);
  if (pr.state === 'snapshot' && m.snapshotIndex === pr.snapshotIndex) {
    pr.chunkInFlight = false;
    if (m.done) {
      pr.match = Math.max(pr.match, Math.min(m.matchIndex, n.log.lastIndex()));
      pr.state = 'probe';
      pr.next = pr.match + 1;
      pr.probeSent = false;
      maybeCommit(n);
      if (n.role !== 'leader') return;
    } else {
      pr.snapshotOffset = m.nextOffset;
    }
    maybeSend(n, from);
  }
  recomputeAcks(n);
}

// ---------------------------------------------------------------------------------------------
// Commit

/** Advances the commit index to what a quorum has durably stored, counting only our own term (§5.4.2). */
export function maybeCommit(n: RaftNode): void {
  if (n.role !== 'leader') return;
  const quorumMatch = quorumValue(n.activeConfig, (id) => (id === n.id ? n.durableLogIndex : n.progress.get(id)?.match ?? 0));
  if (quorumMatch <= n.commitIndex) return;
  // Figure 8: an entry of an earlier term may be overwritten even when stored on a majority.
  if (n.log.termAt(quorumMatch) !== n.term && !n.config.bugs.commitPriorTermByCounting) return;
  n.event({ type: 'commitAdvanced', from: n.commitIndex, to: quorumMatch });
  n.commitIndex = quorumMatch;
  n.markHardState(false);
  n.pendingProposals = n.pendingProposals.filter((p) => p.index > n.commitIndex);
  if (n.log.termAt(n.commitIndex) === n.term) {
    for (const r of n.pendingReads) if (r.readIndex === null) r.readIndex = n.commitIndex;
    releaseReads(n);
  }
  const cfg = n.activeConfig;
  if (n.activeConfigIndex <= n.commitIndex) {
    if (isJoint(cfg)) {
      // C_old,new is committed: move on to C_new (thesis §4.3).
      appendEntry(n, { index: n.log.lastIndex() + 1, term: n.term, kind: 'config', data: EMPTY, config: { voters: cfg.voters, votersOld: null, learners: cfg.learners } });
    } else if (!isVoter(cfg, n.id)) {
      // We led the cluster until C_new, which excludes us, committed (thesis §4.2.2).
      n.becomeFollower(n.term, null, 'removed-from-config');
      return;
    }
  }
  for (const [p, pr] of n.progress) maybeSendCommit(n, p, pr);
}

/** Lets an idle, caught-up follower learn the commit index without waiting for a heartbeat. */
function maybeSendCommit(n: RaftNode, p: NodeId, pr: Progress): void {
  if (pr.state !== 'replicate' || pr.inflight.length > 0 || pr.next <= n.log.lastIndex()) return;
  if (pr.commitSent >= Math.min(n.commitIndex, pr.match)) return;
  sendAppend(n, p, pr, []);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function newProgress(next: number): Progress {
  return { match: 0, next, state: 'probe', probeSent: false, inflight: [], ackedRound: 0, recentActive: false, snapshotIndex: 0, snapshotOffset: 0, chunkInFlight: false, commitSent: 0 };
}

function appendEntry(n: RaftNode, e: LogEntry): void {
  n.writeLog(null, [e]);
  for (const p of n.progress.keys()) maybeSend(n, p);
}

/** Sends whatever the follower's progress allows: a probe, a pipeline of batches, or a snapshot chunk. */
function maybeSend(n: RaftNode, p: NodeId): void {
  const pr = n.progress.get(p);
  if (pr === undefined) return;
  if (pr.state === 'snapshot') {
    if (!pr.chunkInFlight) sendChunk(n, p, pr);
    return;
  }
  if (pr.next - 1 < n.log.snapshotIndex()) {
    // The entries it needs were compacted away: send the snapshot instead (§7).
    const s = n.snapshot;
    assert(s !== null && s.meta.lastIndex === n.log.snapshotIndex(), 'leader: a compacted log has its snapshot');
    pr.state = 'snapshot';
    pr.snapshotIndex = s.meta.lastIndex;
    pr.snapshotOffset = 0;
    pr.chunkInFlight = false;
    pr.inflight = [];
    sendChunk(n, p, pr);
    return;
  }
  if (pr.state === 'probe') {
    if (pr.probeSent) return;
    sendAppend(n, p, pr, n.log.slice(pr.next, n.config.appendEntriesMax, n.config.appendBytesMax));
    pr.probeSent = true;
    return;
  }
  for (let k = 0; k < n.config.inflightAppendsMax && pr.inflight.length < n.config.inflightAppendsMax && pr.next <= n.log.lastIndex(); k++) {
    const entries = n.log.slice(pr.next, n.config.appendEntriesMax, n.config.appendBytesMax);
    assert(entries.length > 0, 'leader: a batch carries at least one entry');
    sendAppend(n, p, pr, entries);
    const last = entries[entries.length - 1];
    assert(last !== undefined, 'leader: batch has a last entry');
    pr.inflight.push(last.index);
    pr.next = last.index + 1;
  }
}

function sendAppend(n: RaftNode, p: NodeId, pr: Progress, entries: readonly LogEntry[]): void {
  const prevIndex = pr.next - 1;
  const prevTerm = n.log.termAt(prevIndex);
  assert(prevTerm !== undefined, 'leader: prev entry is in the log');
  pr.commitSent = Math.max(pr.commitSent, Math.min(n.commitIndex, prevIndex + entries.length));
  n.send(p, { type: 'appendEntries', term: n.term, prevIndex, prevTerm, entries, commitIndex: n.commitIndex, round: n.round }, 'term');
}

function sendChunk(n: RaftNode, p: NodeId, pr: Progress): void {
  const s = n.snapshot;
  assert(s !== null, 'leader: a snapshot to send');
  if (s.meta.lastIndex !== pr.snapshotIndex) {
    // A newer snapshot replaced the one being sent: start over with it.
    pr.snapshotIndex = s.meta.lastIndex;
    pr.snapshotOffset = 0;
  }
  const offset = Math.min(pr.snapshotOffset, s.data.length);
  const end = Math.min(offset + n.config.snapshotChunkBytes, s.data.length);
  n.send(p, { type: 'installSnapshot', term: n.term, meta: s.meta, offset, data: s.data.subarray(offset, end), done: end >= s.data.length, round: n.round }, 'term');
  pr.chunkInFlight = true;
}

function sendHeartbeat(n: RaftNode, p: NodeId, round: number): void {
  const pr = n.progress.get(p);
  assert(pr !== undefined, 'leader: heartbeat to a tracked peer');
  pr.commitSent = Math.max(pr.commitSent, Math.min(n.commitIndex, pr.match));
  n.send(p, { type: 'heartbeat', term: n.term, commitIndex: Math.min(n.commitIndex, pr.match), round }, 'term');
}

function broadcastHeartbeat(n: RaftNode): void {
  const round = n.startRound();
  for (const p of n.progress.keys()) sendHeartbeat(n, p, round);
  recomputeAcks(n);
}

/** The newest round a quorum has answered: it confirms leadership for reads and extends the lease. */
function recomputeAcks(n: RaftNode): void {
  const acked = quorumValue(n.activeConfig, (id) => (id === n.id ? n.round : n.progress.get(id)?.ackedRound ?? 0));
  if (acked <= n.ackedRound) return;
  n.ackedRound = acked;
  const sentUs = n.roundSentUs.get(acked);
  if (n.transferTarget === null && !n.leaseBarred && sentUs !== undefined) {
    // The lease runs from when the confirming round was SENT: followers refuse votes for an
    // election timeout after they RECEIVED it, which is later (thesis §6.4.1).
    const expiry = sentUs + leaseDurationUs(n.config);
    if (!leaseValid(n)) n.event({ type: 'leaseAcquired', expiryLocalUs: expiry });
    if (n.leaseExpiryUs === null || expiry > n.leaseExpiryUs) n.leaseExpiryUs = expiry;
  }
  // Keys are in insertion (= round) order; deleting the current key while iterating is safe.
  for (const r of n.roundSentUs.keys()) {
    if (r > acked) break;
    n.roundSentUs.delete(r);
  }
  releaseReads(n);
}

function releaseReads(n: RaftNode): void {
  const keep = [];
  for (const r of n.pendingReads) {
    if (r.round <= n.ackedRound && r.readIndex !== null) n.emit({ kind: 'readReady', requestId: r.requestId, readIndex: r.readIndex });
    else keep.push(r);
  }
  n.pendingReads = keep;
}

/** Whether the lease holds now; notes its expiry once. */
function leaseValid(n: RaftNode): boolean {
  if (n.leaseExpiryUs === null) return false;
  if (n.leaseClockUs < n.leaseExpiryUs) return true;
  n.event({ type: 'leaseExpired', atLocalUs: n.leaseExpiryUs });
  n.leaseExpiryUs = null;
  return false;
}

function dropLease(n: RaftNode): void {
  if (n.leaseExpiryUs === null) return;
  n.event({ type: 'leaseExpired', atLocalUs: n.leaseClockUs });
  n.leaseExpiryUs = null;
}

function maybeSendTimeoutNow(n: RaftNode): void {
  const t = n.transferTarget;
  if (t === null || n.timeoutNowSent) return;
  const pr = n.progress.get(t);
  if (pr === undefined) return;
  if (pr.match === n.log.lastIndex()) {
    n.send(t, { type: 'timeoutNow', term: n.term }, 'term');
    n.timeoutNowSent = true;
    n.leaseBarred = true;
  } else {
    maybeSend(n, t);
  }
}

function bestTransferTarget(n: RaftNode): NodeId | null {
  let best: NodeId | null = null;
  let bestMatch = -1;
  for (const [p, pr] of [...n.progress].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (!isVoter(n.activeConfig, p)) continue;
    if (pr.match > bestMatch) {
      best = p;
      bestMatch = pr.match;
    }
  }
  return best;
}

function membershipProblem(n: RaftNode, voters: readonly NodeId[], learners: readonly NodeId[]): string | null {
  if (voters.length === 0) return 'voters must not be empty';
  if (new Set(voters).size !== voters.length) return 'voters must be distinct';
  if (new Set(learners).size !== learners.length) return 'learners must be distinct';
  const both = voters.filter((v) => learners.includes(v));
  if (both.length > 0) return `a node cannot be both voter and learner: ${both.join(', ')}`;
  if (isJoint(n.activeConfig) || n.activeConfigIndex > n.commitIndex) return 'a membership change is already in progress';
  for (const v of voters) {
    if (n.activeConfig.voters.includes(v)) continue;
    if (!n.activeConfig.learners.includes(v)) return `${v} must join as a learner before it can vote`;
    const pr = n.progress.get(v);
    if (pr === undefined || pr.match + n.config.learnerCatchUpMarginEntries < n.log.lastIndex()) return `learner ${v} has not caught up`;
  }
  return null;
}
