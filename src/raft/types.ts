// The public vocabulary of the Raft core: log entries, configurations, wire messages, the inputs
// the host feeds in, the effects and events the core hands back, and the read-only view that the
// invariant monitor and the viewers read. Plain data only: nothing here may hold behaviour, read
// a clock, or refer to the simulator.

/** A node's name in the cluster, e.g. "n1". */
export type NodeId = string;

/** Opaque identifier the host attaches to a client request so it can match the answer. */
export type RequestId = string;

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/**
 * A cluster configuration. `votersOld` is non-null only in the joint configuration C_old,new
 * (Raft thesis §4.3): then every decision needs a majority of `voters` AND of `votersOld`.
 * Learners receive the log but never vote and never count toward a quorum.
 */
export interface Configuration {
  readonly voters: readonly NodeId[];
  readonly votersOld: readonly NodeId[] | null;
  readonly learners: readonly NodeId[];
}

export type EntryKind = 'command' | 'noop' | 'config';

/** One log entry. `data` is the opaque command (empty for noop and config); `config` is set iff kind is 'config'. */
export interface LogEntry {
  readonly index: number;
  readonly term: number;
  readonly kind: EntryKind;
  readonly data: Uint8Array;
  readonly config: Configuration | null;
}

export interface SnapshotMeta {
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** The configuration in force at lastIndex. */
  readonly config: Configuration;
}

/** What storage recovered on start. An empty node passes term 0, votedFor null, no snapshot, no entries. */
export interface DurableState {
  readonly term: number;
  readonly votedFor: NodeId | null;
  /** The last persisted commit index (0 if never persisted). */
  readonly commitIndex: number;
  readonly snapshot: { readonly meta: SnapshotMeta; readonly data: Uint8Array } | null;
  /** Entries after the snapshot, contiguous, in index order. */
  readonly entries: readonly LogEntry[];
}

// ---------------------------------------------------------------------------------------------
// Messages between cores

export type RaftMessage =
  | RequestVote
  | VoteResponse
  | AppendEntries
  | AppendResponse
  | Heartbeat
  | HeartbeatResponse
  | InstallSnapshotChunk
  | InstallSnapshotResponse
  | TimeoutNow;

/** RequestVote (§5.2) or, with preVote set, the pre-vote probe (thesis §9.6) for term `term`. */
export interface RequestVote {
  readonly type: 'requestVote';
  readonly preVote: boolean;
  readonly term: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** Set when the campaign was started by TimeoutNow: voters disregard leader stickiness. */
  readonly transfer: boolean;
}

export interface VoteResponse {
  readonly type: 'voteResponse';
  readonly preVote: boolean;
  /** For a pre-vote: the term that was asked for, when granted; otherwise the voter's term. */
  readonly term: number;
  readonly granted: boolean;
}

export interface AppendEntries {
  readonly type: 'appendEntries';
  readonly term: number;
  readonly prevIndex: number;
  readonly prevTerm: number;
  readonly entries: readonly LogEntry[];
  readonly commitIndex: number;
  /** The leader's heartbeat round when sent; echoed back to confirm leadership (ReadIndex, lease). */
  readonly round: number;
}

export interface AppendResponse {
  readonly type: 'appendResponse';
  readonly term: number;
  readonly success: boolean;
  /** On success: the follower's log matches the leader's up to here. */
  readonly matchIndex: number;
  /** On rejection: the prevIndex that was rejected. */
  readonly rejectedIndex: number;
  /** Fast back-off hint (§5.3): the term of the follower's entry at rejectedIndex, 0 if it has none... */
  readonly conflictTerm: number;
  /** ...and the first index the follower holds of conflictTerm (or its lastIndex + 1 when conflictTerm is 0). */
  readonly conflictIndex: number;
  readonly round: number;
}

export interface Heartbeat {
  readonly type: 'heartbeat';
  readonly term: number;
  /** min(commit index, the follower's match index): safe for the follower to commit. */
  readonly commitIndex: number;
  readonly round: number;
}

export interface HeartbeatResponse {
  readonly type: 'heartbeatResponse';
  readonly term: number;
  readonly round: number;
}

export interface InstallSnapshotChunk {
  readonly type: 'installSnapshot';
  readonly term: number;
  readonly meta: SnapshotMeta;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly done: boolean;
  readonly round: number;
}

export interface InstallSnapshotResponse {
  readonly type: 'installSnapshotResponse';
  readonly term: number;
  readonly snapshotIndex: number;
  /** The byte offset the follower expects next (it has everything before it). */
  readonly nextOffset: number;
  /** The whole snapshot is installed and durable; the follower's log matches up to matchIndex. */
  readonly done: boolean;
  readonly matchIndex: number;
  readonly round: number;
}

/** Leadership transfer (thesis §3.10): start an election now, without pre-vote. */
export interface TimeoutNow {
  readonly type: 'timeoutNow';
  readonly term: number;
}

// ---------------------------------------------------------------------------------------------
// Inputs. Every input carries nowUs: the node's LOCAL clock (may be skewed, may jump).

export type TimerName = 'election' | 'heartbeat';
export type ReadMode = 'read-index' | 'lease' | 'stale';

export type RaftInput = RaftInputKind & {
  /** The node's monotonic clock (never steps; see HostInput.monoUs); absent: nowUs stands in. */
  readonly monoUs?: number;
};

type RaftInputKind =
  /** The node was built from its durable state; arms timers and restores the snapshot. Must be first. */
  | { readonly kind: 'start'; readonly nowUs: number }
  | { readonly kind: 'timerFired'; readonly timer: TimerName; readonly nowUs: number }
  | { readonly kind: 'receive'; readonly from: NodeId; readonly message: RaftMessage; readonly nowUs: number }
  /** A persistence effect completed. Completions must arrive in the order the effects were issued. */
  | { readonly kind: 'persisted'; readonly syncId: number; readonly nowUs: number }
  | { readonly kind: 'persistFailed'; readonly syncId: number; readonly reason: string; readonly nowUs: number }
  | { readonly kind: 'propose'; readonly requestId: RequestId; readonly data: Uint8Array; readonly nowUs: number }
  | { readonly kind: 'read'; readonly requestId: RequestId; readonly mode: ReadMode; readonly nowUs: number }
  | {
      readonly kind: 'changeMembership';
      readonly requestId: RequestId;
      readonly voters: readonly NodeId[];
      readonly learners: readonly NodeId[];
      readonly nowUs: number;
    }
  | { readonly kind: 'transferLeadership'; readonly to: NodeId | null; readonly nowUs: number }
  /** The host finished a takeSnapshot: the state machine image up to lastIndex. */
  | { readonly kind: 'snapshotTaken'; readonly lastIndex: number; readonly lastTerm: number; readonly data: Uint8Array; readonly nowUs: number };

// ---------------------------------------------------------------------------------------------
// Effects, executed by the host in the order given.

export type RaftEffect =
  | { readonly kind: 'send'; readonly to: NodeId; readonly message: RaftMessage }
  /** Set (or replace) this timer to fire when the local clock reads atLocalUs. */
  | { readonly kind: 'setTimer'; readonly timer: TimerName; readonly atLocalUs: number }
  /** Durably write the hard state (term, vote, commit index); answer with persisted/persistFailed. */
  | { readonly kind: 'persistState'; readonly syncId: number; readonly term: number; readonly votedFor: NodeId | null; readonly commitIndex: number }
  /**
   * Durably append entries. If truncateFrom is not null, FIRST delete every stored entry with
   * index >= truncateFrom (a conflicting suffix, §5.3), then append. Answer with persisted/persistFailed.
   */
  | { readonly kind: 'appendLog'; readonly syncId: number; readonly truncateFrom: number | null; readonly entries: readonly LogEntry[] }
  /**
   * Durably save a snapshot, then delete stored entries with index <= meta.lastIndex; if
   * retainLog is false delete ALL stored entries (the snapshot replaces a conflicting log).
   */
  | { readonly kind: 'saveSnapshot'; readonly syncId: number; readonly meta: SnapshotMeta; readonly data: Uint8Array; readonly retainLog: boolean }
  /** Apply committed entries to the state machine, in index order. The core counts them applied once emitted. */
  | { readonly kind: 'apply'; readonly entries: readonly LogEntry[] }
  /** Replace the state machine with this (durable) snapshot image; applied becomes meta.lastIndex. */
  | { readonly kind: 'installSnapshot'; readonly meta: SnapshotMeta; readonly data: Uint8Array }
  /** Ask the host for an image of the state machine as of upToIndex (<= applied); answer with snapshotTaken. */
  | { readonly kind: 'takeSnapshot'; readonly upToIndex: number }
  | { readonly kind: 'proposed'; readonly requestId: RequestId; readonly index: number; readonly term: number }
  /** Safe to serve the read once the state machine has applied readIndex. */
  | { readonly kind: 'readReady'; readonly requestId: RequestId; readonly readIndex: number }
  | { readonly kind: 'redirect'; readonly requestId: RequestId; readonly leaderHint: NodeId | null }
  | { readonly kind: 'busy'; readonly requestId: RequestId }
  /** The outcome is unknown to the client (e.g. leadership lost before commit). */
  | { readonly kind: 'dropped'; readonly requestId: RequestId; readonly reason: string }
  /** The request was invalid or not allowed now; nothing was done. */
  | { readonly kind: 'rejected'; readonly requestId: RequestId; readonly reason: string }
  /** Durable storage failed: crash and recover from disk. The core ignores every later input. */
  | { readonly kind: 'halt'; readonly reason: string };

// ---------------------------------------------------------------------------------------------
// Events: facts for the trace and the viewers. Never needed for correctness.

export type StepDownReason =
  | 'higher-term'
  | 'check-quorum'
  | 'removed-from-config'
  | 'leader-discovered'
  | 'transfer';

export type RaftEvent =
  | { readonly type: 'roleChanged'; readonly from: Role; readonly to: Role; readonly term: number }
  | { readonly type: 'termChanged'; readonly from: number; readonly to: number }
  | { readonly type: 'leaderElected'; readonly leaderId: NodeId; readonly term: number }
  | { readonly type: 'commitAdvanced'; readonly from: number; readonly to: number }
  | { readonly type: 'voteGranted'; readonly to: NodeId; readonly term: number; readonly preVote: boolean }
  | { readonly type: 'voteRejected'; readonly to: NodeId; readonly term: number; readonly preVote: boolean; readonly why: string }
  | { readonly type: 'snapshotTaken'; readonly lastIndex: number; readonly lastTerm: number }
  | { readonly type: 'snapshotInstalled'; readonly lastIndex: number; readonly lastTerm: number; readonly from: NodeId }
  | { readonly type: 'configChanged'; readonly config: Configuration; readonly index: number }
  | { readonly type: 'leaseAcquired'; readonly expiryLocalUs: number }
  | { readonly type: 'leaseExpired'; readonly atLocalUs: number }
  | { readonly type: 'stepDown'; readonly reason: StepDownReason; readonly term: number };

export interface StepResult {
  readonly effects: RaftEffect[];
  readonly events: RaftEvent[];
}

// ---------------------------------------------------------------------------------------------
// The read-only view for the invariant monitor and the viewers.

export interface EntryView {
  readonly index: number;
  readonly term: number;
  readonly kind: EntryKind;
  /** 8 hex digits of FNV-1a over the entry's payload (and config): equal entries have equal digests. */
  readonly digest: string;
}

export interface RaftView {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  /** The commit index as last made durable: what a restart with an intact disk recovers. */
  readonly durableCommitIndex: number;
  readonly appliedIndex: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly config: Configuration;
  /**
   * Entries after the snapshot, read-only. The log hands out the same array object, grown in
   * place, while it only appends; any other change (a truncation, a compaction) gives a new one.
   * So a holder that kept the array and its length knows that prefix is still the log's when it
   * gets the same array back; its length now may be longer.
   */
  readonly log: readonly EntryView[];
  /** When the leader lease ends on the clock named by leaseClock, or null if it holds none. */
  readonly leaseExpiryUs: number | null;
  /** The clock the lease is timed on: the monotonic clock (HostInput.monoUs), or the wall clock (planted bug). */
  readonly leaseClock: 'monotonic' | 'local';
  readonly halted: boolean;
}
