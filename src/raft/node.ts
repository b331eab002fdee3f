// The Raft core: one deterministic state machine per node. `step(input)` returns the effects the
// host must execute (in order) and the events worth tracing. This file holds the state shared by
// every role, dispatch, the durability gate (replies wait for the persistence they depend on),
// apply and snapshots; the per-role rules live in election.ts, follower.ts and leader.ts.
// It must never do I/O, read a clock other than input.nowUs, or draw randomness except from
// the injected Random.

import { assert, unreachable } from '../util/assert';
import type { Random } from '../util/random';
import type { RaftConfig } from './config';
import * as election from './election';
import * as follower from './follower';
import * as leader from './leader';
import { RaftLog } from './log';
import { isVoter, members } from './quorum';
import type {
  Configuration,
  DurableState,
  LogEntry,
  NodeId,
  RaftEffect,
  RaftEvent,
  RaftInput,
  RaftMessage,
  RaftView,
  RequestId,
  Role,
  SnapshotMeta,
  StepDownReason,
  StepResult,
} from './types';

/**
 * What a message must wait for before it may leave: 'term' = the current term and vote are
 * durable; 'log' = that and every log write issued so far; 'immediate' only for planted bugs.
 */
export type Gate = 'immediate' | 'term' | 'log';

/** Per-follower replication state on the leader (etcd's Progress). */
export interface Progress {
  match: number;
  next: number;
  /** probe: one append at a time until the match point is found; replicate: pipelined; snapshot: sending chunks. */
  state: 'probe' | 'replicate' | 'snapshot';
  probeSent: boolean;
  /** Last index carried by each unacknowledged append, oldest first (length <= inflightAppendsMax). */
  inflight: number[];
  ackedRound: number;
  /** Heard from since the last check-quorum tick. */
  recentActive: boolean;
  snapshotIndex: number;
  snapshotOffset: number;
  chunkInFlight: boolean;
  /** The highest commit index this follower has been told it may use. */
  commitSent: number;
}

export interface PendingRead {
  readonly requestId: RequestId;
  readonly round: number;
  /** null until an entry of the leader's term is committed (thesis §6.4). */
  readIndex: number | null;
}

interface LogOp {
  readonly syncId: number;
  lastIndex: number;
  /** 'set': on completion the durable prefix is lastIndex; 'max': it grows to at least lastIndex. */
  readonly mode: 'set' | 'max';
}

interface HeldMessage {
  readonly need: number;
  readonly to: NodeId;
  readonly message: RaftMessage;
}

/** Bound on round send times remembered for lease computation; older rounds simply grant no lease. */
const ROUNDS_TRACKED_MAX = 256;

export class RaftNode {
  readonly id: NodeId;
  readonly config: RaftConfig;
  readonly random: Random;

  role: Role = 'follower';
  term: number;
  votedFor: NodeId | null;
  leaderId: NodeId | null = null;
  log: RaftLog;
  commitIndex: number;
  durableCommitIndex: number;
  appliedIndex: number;
  /** The prefix of the in-memory log known to be on disk with the same contents. */
  durableLogIndex: number;
  activeConfig: Configuration;
  activeConfigIndex: number;
  /** The image behind the log's snapshot boundary, kept to send to followers behind the compacted prefix. */
  snapshot: { meta: SnapshotMeta; data: Uint8Array } | null;
  nowUs = 0;
  /**
   * The clock the lease and the vote refusal that protects it are timed on: the monotonic clock
   * (input.monoUs), which a wall-clock step cannot stretch (the planted bug leaseOnWallClock uses nowUs).
   */
  leaseClockUs = 0;
  /** Whether the host has given monoUs: from then on every input must carry it. */
  monotonicGiven = false;
  /** Lease-clock time we last heard from a leader (or started): votes are refused within electionTimeoutMinUs of it. */
  lastLeaderContactUs = 0;
  halted = false;
  started = false;

  // Candidate state.
  votes = new Map<NodeId, boolean>();

  // Leader state.
  progress = new Map<NodeId, Progress>();
  /** The latest heartbeat round started (monotonic across terms, so stale answers never match). */
  round = 0;
  /** Lease-clock send time of each round not yet confirmed, oldest first (at most ROUNDS_TRACKED_MAX). */
  roundSentUs = new Map<number, number>();
  /** The newest round a quorum has answered in this term. */
  ackedRound = 0;
  leaseExpiryUs: number | null = null;
  pendingReads: PendingRead[] = [];
  pendingProposals: { index: number; requestId: RequestId }[] = [];
  transferTarget: NodeId | null = null;
  transferDeadlineUs = 0;
  timeoutNowSent = false;
  /**
   * Set once a TimeoutNow has left in this term: it may arrive after the transfer was abandoned
   * and start a campaign that ignores stickiness, so no lease may be held again in this term.
   */
  leaseBarred = false;

  // Snapshot state.
  snapshotRequested = false;
  localSnapshotSave: { syncId: number; meta: SnapshotMeta; data: Uint8Array } | null = null;
  incoming: { meta: SnapshotMeta; term: number; parts: Uint8Array[]; sizeBytes: number } | null = null;
  pendingInstall: { syncId: number; meta: SnapshotMeta; data: Uint8Array; from: NodeId } | null = null;

  // Durability bookkeeping. syncIds are issued in order and must complete in order.
  private nextSyncId = 0;
  durableSyncId = 0;
  termVoteSyncId = 0;
  logSyncId = 0;
  private logOps: LogOp[] = [];
  private hardStateOps: { syncId: number; commitIndex: number }[] = [];
  private hardStateDirty = false;
  private termVoteDirty = false;
  private logWrite: { truncateFrom: number | null; entries: LogEntry[] } | null = null;
  private held: HeldMessage[] = [];

  // Output of the step in progress.
  private effects: RaftEffect[] = [];
  private events: RaftEvent[] = [];
  private outbox: { to: NodeId; message: RaftMessage; gate: Gate }[] = [];

  constructor(id: NodeId, config: RaftConfig, durable: DurableState, random: Random) {
    // The host validates configuration it reads (validateRaftConfig); here a bad one is a bug.
    assert(config.electionTimeoutMinUs > 0 && config.electionTimeoutMaxUs > config.electionTimeoutMinUs, 'node: election timeout range');
    assert(config.heartbeatIntervalUs > 0 && config.heartbeatIntervalUs < config.electionTimeoutMinUs, 'node: heartbeat below election timeout');
    assert(config.clockDriftBound >= 0 && config.clockDriftBound < 1, 'node: drift bound in [0, 1)');
    assert(config.inflightAppendsMax > 0 && config.appendEntriesMax > 0 && config.applyBatchEntriesMax > 0, 'node: positive bounds');
    this.id = id;
    this.config = config;
    this.random = random;
    const initial: Configuration = { voters: config.initialVoters, votersOld: null, learners: config.initialLearners };
    const snap = durable.snapshot;
    this.log = new RaftLog(snap?.meta.lastIndex ?? 0, snap?.meta.lastTerm ?? 0, snap?.meta.config ?? initial, durable.entries);
    this.snapshot = snap === null ? null : { meta: snap.meta, data: snap.data };
    // A crash between writing entries and writing the hard state can leave the log ahead of
    // the term; no vote was ever sent in those terms (votes wait for durability), so adopting
    // the log's term with no vote is safe.
    this.term = Math.max(durable.term, this.log.lastTerm());
    this.votedFor = this.term === durable.term ? durable.votedFor : null;
    this.commitIndex = Math.min(Math.max(durable.commitIndex, this.log.snapshotIndex()), this.log.lastIndex());
    this.durableCommitIndex = this.commitIndex;
    this.appliedIndex = this.log.snapshotIndex();
    this.durableLogIndex = this.log.lastIndex();
    const c = this.log.configAt(this.log.lastIndex());
    this.activeConfig = c.config;
    this.activeConfigIndex = c.index;
    if (this.term !== durable.term) this.markHardState(true);
    assert(this.commitIndex >= this.appliedIndex, 'node: commit at least the snapshot');
  }

  step(input: RaftInput): StepResult {
    this.effects = [];
    this.events = [];
    this.outbox = [];
    if (this.halted) return { effects: [], events: [] };
    assert(Number.isSafeInteger(input.nowUs), 'node: nowUs must be an integer');
    this.nowUs = input.nowUs;
    // One clock for the lease throughout: once the host gives a monotonic clock, every input must
    // (a round timed on one clock and judged on the other would be off by their offset).
    if (input.monoUs !== undefined) this.monotonicGiven = true;
    else assert(!this.monotonicGiven, 'node: an input without monoUs after inputs with it');
    this.leaseClockUs = this.config.bugs.leaseOnWallClock ? input.nowUs : (input.monoUs ?? input.nowUs);
    assert(Number.isSafeInteger(this.leaseClockUs), 'node: monoUs must be an integer');
    if (input.kind !== 'start') assert(this.started, 'node: the first input must be start');
    this.dispatch(input);
    if (this.halted) {
      const effects = this.effects.filter((e) => e.kind === 'halt');
      return { effects, events: [] };
    }
    this.flush();
    this.checkInvariants();
    return { effects: this.effects, events: this.events };
  }

  inspect(): RaftView {
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      votedFor: this.votedFor,
      leaderId: this.leaderId,
      commitIndex: this.commitIndex,
      durableCommitIndex: this.durableCommitIndex,
      appliedIndex: this.appliedIndex,
      lastLogIndex: this.log.lastIndex(),
      lastLogTerm: this.log.lastTerm(),
      snapshotIndex: this.log.snapshotIndex(),
      snapshotTerm: this.log.snapshotTerm(),
      config: this.activeConfig,
      log: this.log.view(),
      leaseExpiryUs: this.role === 'leader' ? this.leaseExpiryUs : null,
      leaseClock: this.config.bugs.leaseOnWallClock ? 'local' : 'monotonic',
      halted: this.halted,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers used by the role modules.

  emit(effect: RaftEffect): void {
    this.effects.push(effect);
  }

  event(event: RaftEvent): void {
    this.events.push(event);
  }

  send(to: NodeId, message: RaftMessage, gate: Gate): void {
    assert(to !== this.id, 'node: never send to self');
    this.outbox.push({ to, message, gate });
  }

  /** The hard state changed; termVote: the term or the vote changed (replies must wait for it). */
  markHardState(termVote: boolean): void {
    this.hardStateDirty = true;
    if (termVote) this.termVoteDirty = true;
  }

  /** True when the current term and vote are on disk (nothing changed them since the last completed sync). */
  termVoteDurable(): boolean {
    return !this.termVoteDirty && this.durableSyncId >= this.termVoteSyncId;
  }

  /** Appends entries to the in-memory log (after truncating a conflicting suffix) and queues the disk write. */
  writeLog(truncateFrom: number | null, entries: readonly LogEntry[]): void {
    if (truncateFrom !== null) {
      assert(truncateFrom > this.commitIndex, 'node: never truncate committed entries');
      assert(this.role !== 'leader', 'node: a leader never overwrites its own log (Leader Append-Only)');
      // A truncation starts a new disk write so each write is "truncate, then append".
      this.flushLogWrite();
      this.log.truncateFrom(truncateFrom);
      this.clampDurable(truncateFrom - 1);
      this.logWrite = { truncateFrom, entries: [] };
    }
    this.log.append(entries);
    if (this.logWrite === null) this.logWrite = { truncateFrom: null, entries: [] };
    this.logWrite.entries.push(...entries);
    // Only a config entry or a truncation can change the configuration in force.
    if (truncateFrom !== null || entries.some((e) => e.config !== null)) this.refreshConfig();
  }

  /** Saves a snapshot durably (flushing any log write first so completions stay ordered). */
  saveSnapshot(meta: SnapshotMeta, data: Uint8Array, retainLog: boolean): number {
    this.flushLogWrite();
    const syncId = ++this.nextSyncId;
    this.emit({ kind: 'saveSnapshot', syncId, meta, data, retainLog });
    // The old log on disk is being replaced; until the snapshot is durable only what was applied counts.
    if (!retainLog) this.clampDurable(Math.min(this.appliedIndex, meta.lastIndex));
    this.logOps.push({ syncId, lastIndex: meta.lastIndex, mode: retainLog ? 'max' : 'set' });
    this.logSyncId = syncId;
    return syncId;
  }

  /** Re-reads the configuration in force from the log (config entries take effect when appended, §4.1). */
  refreshConfig(): void {
    const c = this.log.configAt(this.log.lastIndex());
    if (c.index === this.activeConfigIndex && c.config === this.activeConfig) return;
    this.activeConfig = c.config;
    this.activeConfigIndex = c.index;
    this.event({ type: 'configChanged', config: c.config, index: c.index });
    if (this.role === 'leader') leader.onConfigChanged(this);
  }

  resetElectionTimer(): void {
    const timeoutUs = this.random.intBetween(this.config.electionTimeoutMinUs, this.config.electionTimeoutMaxUs - 1);
    this.emit({ kind: 'setTimer', timer: 'election', atLocalUs: this.nowUs + timeoutUs });
  }

  setRole(role: Role): void {
    if (role === this.role) return;
    this.event({ type: 'roleChanged', from: this.role, to: role, term: this.term });
    this.role = role;
  }

  /** Adopts a term (if higher) and becomes a follower of `leaderId` (null when unknown). */
  becomeFollower(term: number, leaderId: NodeId | null, reason: StepDownReason): void {
    assert(term >= this.term, 'node: terms never go back');
    if (this.role === 'leader') leader.stepDown(this, reason);
    if (term > this.term) {
      this.event({ type: 'termChanged', from: this.term, to: term });
      this.term = term;
      this.votedFor = null;
      this.markHardState(true);
    }
    this.setRole('follower');
    this.leaderId = leaderId;
    this.votes.clear();
    this.resetElectionTimer();
  }

  /** A message addressed to the whole configuration except this node. */
  peers(): NodeId[] {
    return members(this.activeConfig).filter((id) => id !== this.id);
  }

  isVoter(): boolean {
    return isVoter(this.activeConfig, this.id);
  }

  // -------------------------------------------------------------------------------------------
  // Dispatch and the end-of-step flush.

  private dispatch(input: RaftInput): void {
    switch (input.kind) {
      case 'start':
        this.onStart();
        return;
      case 'timerFired':
        if (input.timer === 'election') {
          if (this.role === 'leader') leader.onCheckQuorumTick(this);
          else election.onElectionTimeout(this);
        } else if (this.role === 'leader') {
          leader.onHeartbeatTick(this);
        }
        return;
      case 'receive':
        this.onReceive(input.from, input.message);
        return;
      case 'persisted':
        this.onPersisted(input.syncId);
        return;
      case 'persistFailed':
        // Storage can no longer be trusted to hold what we told others: crash and recover.
        this.halted = true;
        this.emit({ kind: 'halt', reason: `persist ${input.syncId} failed: ${input.reason}` });
        return;
      case 'propose':
        leader.onPropose(this, input.requestId, input.data);
        return;
      case 'read':
        leader.onRead(this, input.requestId, input.mode);
        return;
      case 'changeMembership':
        leader.onChangeMembership(this, input.requestId, input.voters, input.learners);
        return;
      case 'transferLeadership':
        leader.onTransferLeadership(this, input.to);
        return;
      case 'snapshotTaken':
        this.onSnapshotTaken(input.lastIndex, input.lastTerm, input.data);
        return;
      default:
        unreachable(input, 'raft input');
    }
  }

  private onStart(): void {
    assert(!this.started, 'node: start only once');
    this.started = true;
    // After a restart we cannot know whether we promised a leader its lease: refuse votes for
    // one minimum election timeout, as if we had just heard from a leader.
    this.lastLeaderContactUs = this.leaseClockUs;
    if (this.snapshot !== null) this.emit({ kind: 'installSnapshot', meta: this.snapshot.meta, data: this.snapshot.data });
    this.resetElectionTimer();
  }

  private onReceive(from: NodeId, m: RaftMessage): void {
    if (m.type === 'requestVote') {
      election.onRequestVote(this, from, m);
      return;
    }
    const fromLeader = m.type === 'appendEntries' || m.type === 'heartbeat' || m.type === 'installSnapshot' || m.type === 'timeoutNow';
    if (m.term > this.term) {
      // A granted pre-vote carries the term it was asked for; it is not news of a newer term.
      if (m.type === 'voteResponse' && m.preVote && m.granted) {
        // fall through to the candidate logic
      } else {
        this.becomeFollower(m.term, fromLeader ? from : null, 'higher-term');
      }
    } else if (m.term < this.term) {
      // Tell a stale leader about the newer term so it steps down (it will not hear otherwise
      // when pre-vote keeps the others from raising their terms).
      if (fromLeader && m.type !== 'timeoutNow') {
        this.send(from, { type: 'appendResponse', term: this.term, success: false, matchIndex: 0, rejectedIndex: 0, conflictTerm: 0, conflictIndex: 0, round: 0 }, 'term');
      }
      return;
    }
    switch (m.type) {
      case 'voteResponse':
        election.onVoteResponse(this, from, m);
        return;
      case 'appendEntries':
        follower.onAppendEntries(this, from, m);
        return;
      case 'heartbeat':
        follower.onHeartbeat(this, from, m);
        return;
      case 'installSnapshot':
        follower.onInstallSnapshot(this, from, m);
        return;
      case 'timeoutNow':
        election.onTimeoutNow(this, from);
        return;
      case 'appendResponse':
        if (this.role === 'leader') leader.onAppendResponse(this, from, m);
        return;
      case 'heartbeatResponse':
        if (this.role === 'leader') leader.onHeartbeatResponse(this, from, m);
        return;
      case 'installSnapshotResponse':
        if (this.role === 'leader') leader.onInstallSnapshotResponse(this, from, m);
        return;
      default:
        unreachable(m, 'raft message');
    }
  }

  private onPersisted(syncId: number): void {
    assert(syncId === this.durableSyncId + 1, `node: persistence completes in order (got ${syncId}, expected ${this.durableSyncId + 1})`);
    assert(syncId <= this.nextSyncId, 'node: completion of an issued sync');
    this.durableSyncId = syncId;
    const op = this.logOps[0];
    if (op !== undefined && op.syncId === syncId) {
      this.logOps.shift();
      this.durableLogIndex = op.mode === 'set' ? op.lastIndex : Math.max(this.durableLogIndex, op.lastIndex);
      assert(this.durableLogIndex <= this.log.lastIndex(), 'node: durable prefix within the log');
    }
    const hs = this.hardStateOps[0];
    if (hs !== undefined && hs.syncId === syncId) {
      this.hardStateOps.shift();
      this.durableCommitIndex = Math.max(this.durableCommitIndex, hs.commitIndex);
    }
    if (this.localSnapshotSave !== null && this.localSnapshotSave.syncId === syncId) this.completeLocalSnapshot();
    if (this.pendingInstall !== null && this.pendingInstall.syncId === syncId) follower.completeInstall(this);
    this.releaseHeld();
    if (this.role === 'leader') leader.maybeCommit(this);
    if (this.role === 'candidate') election.checkTally(this);
  }

  private onSnapshotTaken(lastIndex: number, lastTerm: number, data: Uint8Array): void {
    assert(this.snapshotRequested, 'node: snapshotTaken answers a takeSnapshot');
    assert(lastIndex <= this.appliedIndex, 'node: a snapshot covers only applied entries');
    this.snapshotRequested = false;
    // A snapshot installed from the leader meanwhile may already cover this one.
    if (lastIndex <= this.log.snapshotIndex() || this.localSnapshotSave !== null) return;
    assert(this.log.termAt(lastIndex) === lastTerm, 'node: snapshot term matches the log');
    const meta: SnapshotMeta = { lastIndex, lastTerm, config: this.log.configAt(lastIndex).config };
    const syncId = this.saveSnapshot(meta, data, true);
    this.localSnapshotSave = { syncId, meta, data };
  }

  private completeLocalSnapshot(): void {
    const s = this.localSnapshotSave;
    assert(s !== null, 'node: a local snapshot save is pending');
    this.localSnapshotSave = null;
    // An installed snapshot from the leader may have overtaken this one.
    if (s.meta.lastIndex <= this.log.snapshotIndex()) return;
    this.log.compactTo(s.meta.lastIndex, s.meta.lastTerm, s.meta.config);
    this.snapshot = { meta: s.meta, data: s.data };
    this.event({ type: 'snapshotTaken', lastIndex: s.meta.lastIndex, lastTerm: s.meta.lastTerm });
  }

  private flushLogWrite(): void {
    const w = this.logWrite;
    if (w === null) return;
    this.logWrite = null;
    if (w.truncateFrom === null && w.entries.length === 0) return;
    const syncId = ++this.nextSyncId;
    this.emit({ kind: 'appendLog', syncId, truncateFrom: w.truncateFrom, entries: w.entries });
    this.logOps.push({ syncId, lastIndex: this.log.lastIndex(), mode: 'set' });
    this.logSyncId = syncId;
  }

  private clampDurable(index: number): void {
    this.durableLogIndex = Math.min(this.durableLogIndex, index);
    for (const op of this.logOps) op.lastIndex = Math.min(op.lastIndex, index);
  }

  private flush(): void {
    this.flushLogWrite();
    if (this.hardStateDirty) {
      const syncId = ++this.nextSyncId;
      const commitIndex = Math.min(this.commitIndex, this.log.lastIndex());
      this.emit({ kind: 'persistState', syncId, term: this.term, votedFor: this.votedFor, commitIndex });
      this.hardStateOps.push({ syncId, commitIndex });
      if (this.termVoteDirty) this.termVoteSyncId = syncId;
      this.hardStateDirty = false;
      this.termVoteDirty = false;
    }
    for (const o of this.outbox) {
      const need = o.gate === 'immediate' ? 0 : o.gate === 'term' ? this.termVoteSyncId : Math.max(this.termVoteSyncId, this.logSyncId);
      if (need <= this.durableSyncId) {
        this.emit({ kind: 'send', to: o.to, message: o.message });
      } else if (this.held.length < this.config.heldMessagesMax) {
        this.held.push({ need, to: o.to, message: o.message });
      }
      // else: dropped, as the network may drop any message; the protocol retries.
    }
    this.outbox = [];
    this.applyCommitted();
  }

  private releaseHeld(): void {
    if (this.held.length === 0) return;
    const still: HeldMessage[] = [];
    for (const h of this.held) {
      if (h.need <= this.durableSyncId) this.emit({ kind: 'send', to: h.to, message: h.message });
      else still.push(h);
    }
    this.held = still;
  }

  /** Hands committed, durable entries to the host in index order, then asks for a snapshot if due. */
  private applyCommitted(): void {
    if (this.pendingInstall !== null) return;
    const limit = Math.min(this.commitIndex, this.durableCommitIndex, this.durableLogIndex);
    const batchesMax = Math.ceil(Math.max(0, limit - this.appliedIndex) / this.config.applyBatchEntriesMax);
    for (let b = 0; b < batchesMax; b++) {
      const from = this.appliedIndex + 1;
      assert(from > this.log.snapshotIndex(), 'node: unapplied entries are still in the log');
      const count = Math.min(this.config.applyBatchEntriesMax, limit - this.appliedIndex);
      const entries: LogEntry[] = [];
      for (let i = from; i < from + count; i++) {
        const e = this.log.entryAt(i);
        assert(e !== undefined, 'node: entry to apply is present');
        entries.push(e);
      }
      this.emit({ kind: 'apply', entries });
      this.appliedIndex = from + count - 1;
    }
    assert(this.appliedIndex <= this.commitIndex, 'node: applied never passes committed');
    const threshold = this.config.snapshotThresholdEntries;
    if (threshold > 0 && !this.snapshotRequested && this.localSnapshotSave === null && this.appliedIndex - this.log.snapshotIndex() >= threshold) {
      this.snapshotRequested = true;
      this.emit({ kind: 'takeSnapshot', upToIndex: this.appliedIndex });
    }
  }

  /** Cheap facts that hold after every step, whatever the input was. */
  private checkInvariants(): void {
    assert(this.appliedIndex <= this.commitIndex, 'node: applied <= commit');
    assert(this.commitIndex <= this.log.lastIndex(), 'node: commit within the log');
    assert(this.durableCommitIndex <= this.commitIndex, 'node: durable commit <= commit');
    assert(this.log.snapshotIndex() <= this.commitIndex, 'node: snapshot covers only committed entries');
    assert(this.durableLogIndex <= this.log.lastIndex(), 'node: durable prefix within the log');
    assert((this.role === 'leader') === (this.leaderId === this.id), 'node: leader iff it names itself leader');
    assert(this.role === 'leader' || this.progress.size === 0, 'node: only a leader tracks progress');
    assert(this.votedFor === null || this.term > 0, 'node: no vote in term 0');
  }

  /** Round bookkeeping for ReadIndex and the lease: remember when each round was sent. */
  startRound(): number {
    this.round++;
    this.roundSentUs.set(this.round, this.leaseClockUs);
    if (this.roundSentUs.size > ROUNDS_TRACKED_MAX) {
      const oldest = this.roundSentUs.keys().next();
      if (oldest.done !== true) this.roundSentUs.delete(oldest.value);
    }
    return this.round;
  }
}
