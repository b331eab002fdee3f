// The Raft core's configuration: timing, bounds, the bootstrap membership and the planted bugs,
// with validation that names the offending field. Validation errors are values (a user can write
// a bad config); this module must never throw on bad input nor read anything but its argument.

import type { NodeId } from './types';

/** Deliberate defects, all off by default, so the workbench can show its checks catch them. */
export interface RaftBugs {
  /** Commit an entry from an earlier term by counting replicas (violates §5.4.2, Figure 8), and append no no-op at the start of a term (its standard companion, which would otherwise be counted first). */
  readonly commitPriorTermByCounting: boolean;
  /** Send a vote grant before the vote is durable. */
  readonly voteBeforeDurable: boolean;
  /** Lease lasts the full minimum election timeout, with no margin for clock drift. */
  readonly leaseWithoutDriftMargin: boolean;
  /** A leader answers read-index and lease reads at once, without confirming leadership. */
  readonly readWithoutLeadershipCheck: boolean;
  /** A follower acknowledges AppendEntries before the entries are durable. */
  readonly ackAppendBeforeDurable: boolean;
  /** InstallSnapshot discards log entries after the snapshot even when they match it (§7). */
  readonly installSnapshotDiscardsNewerEntries: boolean;
  /** The lease and the vote refusal behind it are timed on the wall clock, which may step backward. */
  readonly leaseOnWallClock: boolean;
}

export interface RaftConfig {
  /** Randomized election timeout is drawn uniformly from [min, max). */
  readonly electionTimeoutMinUs: number;
  readonly electionTimeoutMaxUs: number;
  readonly heartbeatIntervalUs: number;
  /** Bound on relative clock drift between nodes, in [0, 1): the lease is shortened by this fraction. */
  readonly clockDriftBound: number;
  readonly preVote: boolean;
  /** A leader that has not heard from a quorum within an election timeout steps down. */
  readonly checkQuorum: boolean;
  readonly appendEntriesMax: number;
  readonly appendBytesMax: number;
  /** AppendEntries messages in flight (unacknowledged) per follower. */
  readonly inflightAppendsMax: number;
  /** Proposals appended but not yet committed; beyond this a proposal answers busy. */
  readonly pendingProposalsMax: number;
  readonly pendingReadsMax: number;
  /** Take a snapshot when this many applied entries follow the last one; 0 disables. */
  readonly snapshotThresholdEntries: number;
  readonly snapshotChunkBytes: number;
  /** A learner is caught up (may become a voter) when its match index is within this of the leader's last index. */
  readonly learnerCatchUpMarginEntries: number;
  readonly applyBatchEntriesMax: number;
  /** Messages waiting for a persistence completion; beyond this the newest are dropped. */
  readonly heldMessagesMax: number;
  /** The membership of a node whose storage holds no configuration (a fresh cluster). */
  readonly initialVoters: readonly NodeId[];
  readonly initialLearners: readonly NodeId[];
  readonly bugs: RaftBugs;
}

export interface ConfigError {
  readonly field: string;
  readonly message: string;
}

export type ConfigResult = { readonly ok: true; readonly config: RaftConfig } | { readonly ok: false; readonly errors: ConfigError[] };

export const NO_BUGS: RaftBugs = {
  commitPriorTermByCounting: false,
  voteBeforeDurable: false,
  leaseWithoutDriftMargin: false,
  readWithoutLeadershipCheck: false,
  ackAppendBeforeDurable: false,
  installSnapshotDiscardsNewerEntries: false,
  leaseOnWallClock: false,
};

/** Sensible defaults for a LAN cluster; override fields as needed. */
export function defaultRaftConfig(initialVoters: readonly NodeId[], overrides: Partial<RaftConfig> = {}): RaftConfig {
  return {
    electionTimeoutMinUs: 150_000,
    electionTimeoutMaxUs: 300_000,
    heartbeatIntervalUs: 30_000,
    clockDriftBound: 0.1,
    preVote: true,
    checkQuorum: true,
    appendEntriesMax: 64,
    appendBytesMax: 1 << 20,
    inflightAppendsMax: 8,
    pendingProposalsMax: 1024,
    pendingReadsMax: 1024,
    snapshotThresholdEntries: 1000,
    snapshotChunkBytes: 64 * 1024,
    learnerCatchUpMarginEntries: 16,
    applyBatchEntriesMax: 256,
    heldMessagesMax: 4096,
    initialVoters,
    initialLearners: [],
    bugs: NO_BUGS,
    ...overrides,
  };
}

/** The lease a leader may assume after a confirming round, in its local microseconds. */
export function leaseDurationUs(config: RaftConfig): number {
  if (config.bugs.leaseWithoutDriftMargin) return config.electionTimeoutMinUs;
  return Math.floor(config.electionTimeoutMinUs * (1 - config.clockDriftBound));
}

/** Checks a configuration read from outside (JSON, CLI). Every problem is reported, each naming its field. */
export function validateRaftConfig(raw: unknown): ConfigResult {
  const errors: ConfigError[] = [];
  if (typeof raw !== 'object' || raw === null) {
    return { ok: false, errors: [{ field: '(root)', message: 'must be an object' }] };
  }
  const r = raw as Record<string, unknown>;
  const positiveInt = (field: string): void => {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      errors.push({ field, message: `must be a positive integer, got ${describe(v)}` });
    }
  };
  const nonNegativeInt = (field: string): void => {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      errors.push({ field, message: `must be a non-negative integer, got ${describe(v)}` });
    }
  };
  const bool = (field: string): void => {
    if (typeof r[field] !== 'boolean') errors.push({ field, message: `must be a boolean, got ${describe(r[field])}` });
  };
  for (const f of ['electionTimeoutMinUs', 'electionTimeoutMaxUs', 'heartbeatIntervalUs', 'appendEntriesMax', 'appendBytesMax',
    'inflightAppendsMax', 'pendingProposalsMax', 'pendingReadsMax', 'snapshotChunkBytes', 'applyBatchEntriesMax', 'heldMessagesMax']) {
    positiveInt(f);
  }
  nonNegativeInt('snapshotThresholdEntries');
  nonNegativeInt('learnerCatchUpMarginEntries');
  bool('preVote');
  bool('checkQuorum');

  const min = r['electionTimeoutMinUs'];
  const max = r['electionTimeoutMaxUs'];
  const hb = r['heartbeatIntervalUs'];
  if (typeof min === 'number' && typeof max === 'number' && max <= min) {
    errors.push({ field: 'electionTimeoutMaxUs', message: `must be greater than electionTimeoutMinUs (${min}), got ${max}` });
  }
  // A heartbeat must arrive several times per election timeout or followers start elections
  // whenever one heartbeat is late; 3x is the usual floor (etcd uses 10x).
  if (typeof min === 'number' && typeof hb === 'number' && hb * 3 > min) {
    errors.push({ field: 'heartbeatIntervalUs', message: `must be at most a third of electionTimeoutMinUs (${min}), got ${hb}` });
  }
  const drift = r['clockDriftBound'];
  if (typeof drift !== 'number' || !Number.isFinite(drift) || drift < 0 || drift >= 1) {
    errors.push({ field: 'clockDriftBound', message: `must be a number in [0, 1), got ${describe(drift)}` });
  }
  const voters = r['initialVoters'];
  const learners = r['initialLearners'];
  if (!isIdList(voters)) errors.push({ field: 'initialVoters', message: 'must be a list of distinct non-empty node ids' });
  if (!isIdList(learners)) errors.push({ field: 'initialLearners', message: 'must be a list of distinct non-empty node ids' });
  if (isIdList(voters) && isIdList(learners)) {
    const both = voters.filter((v) => learners.includes(v));
    if (both.length > 0) errors.push({ field: 'initialLearners', message: `must not repeat voters: ${both.join(', ')}` });
  }
  const bugs = r['bugs'];
  if (typeof bugs !== 'object' || bugs === null) {
    errors.push({ field: 'bugs', message: 'must be an object of boolean switches' });
  } else {
    const b = bugs as Record<string, unknown>;
    for (const name of Object.keys(NO_BUGS)) {
      if (typeof b[name] !== 'boolean') errors.push({ field: `bugs.${name}`, message: `must be a boolean, got ${describe(b[name])}` });
    }
    for (const name of Object.keys(b).sort()) {
      if (!(name in NO_BUGS)) errors.push({ field: `bugs.${name}`, message: 'is not a known planted bug' });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: raw as RaftConfig };
}

function isIdList(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  if (!v.every((x) => typeof x === 'string' && x.length > 0)) return false;
  return new Set(v).size === v.length;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return typeof v;
}
