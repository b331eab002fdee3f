// The Raft invariant monitor: fed an observation of the whole cluster after every simulated step,
// it checks the safety properties of Raft (Figure 3 of the paper) plus commit durability, retention of committed entries, apply
// order and lease safety, and reports each violation naming the invariant, the step, the nodes
// and the values. It reads observations as plain data (its own structural types below) and
// must never import the system under test or the simulator, nor let iteration order that is not
// deterministic reach its output.

// ---------------------------------------------------------------------------------------------
// What the monitor reads: structural copies of the Raft core's inspect() view.

export interface EntryObservation {
  readonly index: number;
  readonly term: number;
  readonly kind: string;
  readonly digest: string;
}

export interface RaftViewObservation {
  readonly id: string;
  readonly role: string;
  readonly term: number;
  readonly commitIndex: number;
  /** The commit index last made durable; if absent the cross-restart commit check is skipped. */
  readonly durableCommitIndex?: number;
  readonly appliedIndex: number;
  readonly lastLogIndex: number;
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  /**
   * Entries after the snapshot. Passing the same array object again means its first n entries
   * are unchanged, n being its length when it was last passed (a host may grow the array it
   * passed by appending to it, never change it otherwise); the same entry object at a position
   * means that entry has not changed since it was last passed.
   */
  readonly log: readonly EntryObservation[];
}

export interface NodeObservation {
  readonly id: string;
  readonly alive: boolean;
  /** Incremented by the host at each restart. */
  readonly incarnation: number;
  /** False when the last crash lost or damaged this node's disk. */
  readonly diskSurvived: boolean;
  /**
   * The node's inspect() view; null while it is down. The same object as at the previous
   * observation means the node's state has not changed since (a host that cannot tell passes a
   * fresh one).
   */
  readonly view: RaftViewObservation | null;
  /** The host's verdict at this true time, from the node's own clock and its lease expiry. */
  readonly leaseValid: boolean;
  /** Entries handed to the state machine since the previous observation. */
  readonly appliedSince: readonly EntryObservation[];
}

export interface ClusterObservation {
  readonly step: number;
  readonly trueUs: number;
  readonly nodes: readonly NodeObservation[];
}

export type InvariantName =
  | 'election-safety'
  | 'leader-append-only'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'commit-durable'
  | 'committed-retained'
  | 'applied-le-committed'
  | 'lease-safety';

export interface Violation {
  readonly invariant: InvariantName;
  readonly step: number;
  readonly trueUs: number;
  readonly nodes: readonly string[];
  readonly message: string;
  readonly values: Readonly<Record<string, string | number | null>>;
}

// ---------------------------------------------------------------------------------------------

/** A node's log as the monitor last saw it: the array passed, and its length then (it may have grown since). */
interface LogSeen {
  readonly entries: readonly EntryObservation[];
  readonly length: number;
}

/**
 * How many leading entries of `now` are unchanged from `prev` (the same log, observed again,
 * perhaps compacted at the front). Fast paths for an append: the same array passed again (the
 * host grew it), or, from a host that hands out one view object per appended entry and never
 * reuses it after a truncation, the identity of the old last entry at its position. Otherwise
 * entries are compared.
 */
function unchangedPrefix(prev: LogSeen, now: readonly EntryObservation[]): number {
  if (prev.entries === now) return prev.length;
  const before = prev.entries;
  const offset = (now[0]?.index ?? 0) - (before[0]?.index ?? 0);
  if (offset < 0) return 0;
  const lastPrev = prev.length > 0 ? before[prev.length - 1] : undefined;
  const at = prev.length - 1 - offset;
  if (lastPrev !== undefined && at >= 0 && now[at] === lastPrev) return at + 1;
  let k = 0;
  while (k < now.length && k + offset < prev.length) {
    const a = now[k];
    const b = before[k + offset];
    if (a === undefined || b === undefined) break;
    if (a !== b && (a.index !== b.index || a.term !== b.term || a.digest !== b.digest)) break;
    k++;
  }
  return k;
}

interface NodeMemory {
  incarnation: number;
  alive: boolean;
  /** The view of the last observation (to skip a node whose view is the same object). */
  lastView: RaftViewObservation | null;
  lastLog: LogSeen | null;
  lastRole: string;
  lastTerm: number;
  lastLastIndex: number;
  lastCommit: number;
  /** The highest durable commit index seen since the disk was last lost. */
  durableCommitFloor: number;
  /** Leader-completeness progress: committed entries already verified in this leader's log. */
  verifiedTerm: number;
  verifiedUpTo: number;
}

interface CommittedRecord {
  readonly term: number;
  readonly digest: string;
  /** The term of the node that first reported it committed. */
  readonly observedTerm: number;
  readonly node: string;
}

/** What observe returns when a step broke nothing (most steps): shared, never written (not frozen: frozen arrays take slower paths). */
const NONE: readonly Violation[] = [];

/** The nodes ordered by id: the observation itself when it already is (the usual case, checked in one pass), else a sorted copy. */
function inIdOrder(nodes: readonly NodeObservation[]): readonly NodeObservation[] {
  for (let i = 1; i < nodes.length; i++) {
    if ((nodes[i - 1] as NodeObservation).id >= (nodes[i] as NodeObservation).id) {
      return [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
  }
  return nodes;
}

/** Bound on violations kept, so a broken run cannot exhaust memory. */
const VIOLATIONS_MAX = 1000;

export class RaftInvariantMonitor {
  readonly violations: Violation[] = [];
  private readonly leaderOfTerm = new Map<number, string>();
  private readonly memory = new Map<string, NodeMemory>();
  /** "index:term" -> what that entry is: its digest and the term of the entry before it. */
  private readonly entries = new Map<string, { digest: string; prevTerm: number | null; node: string }>();
  private readonly committed = new Map<number, CommittedRecord>();
  private maxCommitted = 0;
  private readonly applied = new Map<number, { term: number; digest: string; node: string }>();
  private step = 0;
  private trueUs = 0;

  /** Checks one observation; returns the violations it found (also kept in `violations`). */
  observe(obs: ClusterObservation): readonly Violation[] {
    this.step = obs.step;
    this.trueUs = obs.trueUs;
    const before = this.violations.length;
    const nodes = inIdOrder(obs.nodes);
    for (let i = 0; i < nodes.length; i++) this.checkNode(nodes[i] as NodeObservation);
    this.checkLeases(nodes);
    return before === this.violations.length ? NONE : this.violations.slice(before);
  }

  ok(): boolean {
    return this.violations.length === 0;
  }

  private checkNode(n: NodeObservation): void {
    let mem = this.memory.get(n.id);
    if (mem === undefined) {
      mem = { incarnation: n.incarnation, alive: n.alive, lastView: null, lastLog: null, lastRole: '', lastTerm: 0, lastLastIndex: 0, lastCommit: 0, durableCommitFloor: 0, verifiedTerm: 0, verifiedUpTo: 0 };
      this.memory.set(n.id, mem);
    }
    const restarted = n.incarnation !== mem.incarnation;
    if (restarted) {
      mem.incarnation = n.incarnation;
      mem.lastLog = null;
      mem.lastRole = '';
      mem.lastCommit = 0;
      if (!n.diskSurvived) mem.durableCommitFloor = 0;
    }
    const applied = n.appliedSince;
    for (let i = 0; i < applied.length; i++) this.checkApplied(n.id, applied[i] as EntryObservation);
    const v = n.view;
    const unchanged = !restarted && v === mem.lastView && n.alive === mem.alive;
    mem.alive = n.alive;
    mem.lastView = v;
    if (!n.alive || v === null) return;
    if (unchanged) {
      // Every check below gives what it gave for this view, but one: entries committed since
      // on other nodes must be in a leader's log too.
      if (v.role === 'leader') this.checkCompleteness(v, mem);
      return;
    }

    this.checkElection(v);
    if (v.appliedIndex > v.commitIndex) {
      this.report('applied-le-committed', [v.id], `${v.id} applied ${v.appliedIndex} beyond its commit index ${v.commitIndex}`, { applied: v.appliedIndex, commit: v.commitIndex });
    }
    this.checkCommitDurable(n, v, mem, restarted);
    const seen = mem.lastLog;
    const logChanged = seen === null || v.log !== seen.entries || v.log.length !== seen.length;
    if (logChanged) this.checkLogMatching(v, seen);
    if (logChanged && seen !== null) this.checkCommittedRetained(v, seen);
    if (mem.lastRole === 'leader' && v.role === 'leader' && v.term === mem.lastTerm && logChanged && seen !== null) {
      this.checkAppendOnly(v, seen, mem.lastLastIndex);
    }
    if (v.commitIndex > mem.lastCommit || logChanged) this.recordCommitted(v, mem.lastCommit);
    if (v.role === 'leader') this.checkCompleteness(v, mem);
    if (logChanged) mem.lastLog = { entries: v.log, length: v.log.length };
    mem.lastRole = v.role;
    mem.lastTerm = v.term;
    mem.lastLastIndex = v.lastLogIndex;
    mem.lastCommit = Math.max(mem.lastCommit, v.commitIndex);
  }

  /** §5.2 Election Safety: at most one leader per term, ever. */
  private checkElection(v: RaftViewObservation): void {
    if (v.role !== 'leader') return;
    const known = this.leaderOfTerm.get(v.term);
    if (known === undefined) this.leaderOfTerm.set(v.term, v.id);
    else if (known !== v.id) {
      this.report('election-safety', [known, v.id], `two leaders in term ${v.term}: ${known} and ${v.id}`, { term: v.term });
    }
  }

  /** A leader never overwrites or deletes entries in its log while it leads (Leader Append-Only). */
  private checkAppendOnly(v: RaftViewObservation, seen: LogSeen, prevLastIndex: number): void {
    if (v.lastLogIndex < prevLastIndex) {
      this.report('leader-append-only', [v.id], `leader ${v.id} log shrank from ${prevLastIndex} to ${v.lastLogIndex} in term ${v.term}`, { term: v.term, before: prevLastIndex, after: v.lastLogIndex });
      return;
    }
    const first = v.log[0]?.index ?? v.snapshotIndex + 1;
    const prev = seen.entries;
    // Everything the previous log held from `first` on (the rest was compacted) must still be
    // there, unchanged; the unchanged prefix needs no second look.
    const offset = Math.max(0, first - (prev[0]?.index ?? first));
    for (let k = offset + unchangedPrefix(seen, v.log); k < seen.length; k++) {
      const e = prev[k];
      if (e === undefined) break;
      const now = v.log[e.index - first];
      if (now === undefined || now.term !== e.term || now.digest !== e.digest) {
        this.report('leader-append-only', [v.id], `leader ${v.id} changed its entry at ${e.index} in term ${v.term}`, { index: e.index, termBefore: e.term, termAfter: now?.term ?? null });
        return;
      }
    }
  }

  /**
   * A running node never drops a committed entry from its log, except into its snapshot. A
   * committed entry is in every later leader's log at the same index and term (Leader
   * Completeness), so no AppendEntries conflicts with it and no InstallSnapshot finds its log
   * mismatching below it; a node that loses one anyway (say by truncating on a stale append, or by
   * discarding the suffix a snapshot matches, Raft §7) may be the one the commit counted on, which
   * the other invariants see only once a leader without the entry is elected. Across a restart the
   * log is the disk's, judged by commit-durable and leader-completeness instead.
   */
  private checkCommittedRetained(v: RaftViewObservation, seen: LogSeen): void {
    const first = v.log[0]?.index ?? v.snapshotIndex + 1;
    const prev = seen.entries;
    // The unchanged prefix still holds its entries; only what changed after it is looked at, up to
    // the highest entry known committed.
    const offset = Math.max(0, first - (prev[0]?.index ?? first));
    for (let k = offset + unchangedPrefix(seen, v.log); k < seen.length; k++) {
      const e = prev[k];
      if (e === undefined || e.index > this.maxCommitted) break;
      if (e.index <= v.snapshotIndex) continue;
      const c = this.committed.get(e.index);
      if (c === undefined || c.term !== e.term || c.digest !== e.digest) continue;
      const now = v.log[e.index - first];
      if (now === undefined || now.term !== e.term || now.digest !== e.digest) {
        this.report('committed-retained', [v.id, c.node], `${v.id} dropped entry ${e.index} (term ${e.term}), committed on ${c.node}, from its log (now ${now === undefined ? `ending at ${v.lastLogIndex}` : `term ${now.term} there`}, snapshot at ${v.snapshotIndex})`, { index: e.index, term: e.term, lastLogIndex: v.lastLogIndex, snapshotIndex: v.snapshotIndex });
        return;
      }
    }
  }

  /** Log Matching: same index and term => same entry and same entry before it (hence same prefix). */
  private checkLogMatching(v: RaftViewObservation, prevLog: LogSeen | null): void {
    // Entries unchanged since this node's last observation were checked then: skip that prefix.
    const from = prevLog === null ? 0 : unchangedPrefix(prevLog, v.log);
    let prevTerm: number = from === 0 ? v.snapshotTerm : (v.log[from - 1]?.term ?? v.snapshotTerm);
    for (let k = from; k < v.log.length; k++) {
      const e = v.log[k];
      if (e === undefined) break;
      const key = `${e.index}:${e.term}`;
      const seen = this.entries.get(key);
      if (seen === undefined) {
        this.entries.set(key, { digest: e.digest, prevTerm, node: v.id });
      } else {
        if (seen.digest !== e.digest) {
          this.report('log-matching', [seen.node, v.id], `entry ${e.index} of term ${e.term} differs between ${seen.node} and ${v.id}`, { index: e.index, term: e.term, digestA: seen.digest, digestB: e.digest });
          return;
        }
        if (seen.prevTerm !== null && prevTerm !== null && seen.prevTerm !== prevTerm) {
          this.report('log-matching', [seen.node, v.id], `entry ${e.index} of term ${e.term} follows term ${seen.prevTerm} on ${seen.node} but term ${prevTerm} on ${v.id}`, { index: e.index, term: e.term, prevTermA: seen.prevTerm, prevTermB: prevTerm });
          return;
        }
      }
      prevTerm = e.term;
    }
  }

  /** Records newly committed entries; two different entries committed at one index is a violation. */
  private recordCommitted(v: RaftViewObservation, fromExclusive: number): void {
    const first = v.log[0]?.index ?? v.snapshotIndex + 1;
    const start = Math.max(first, fromExclusive + 1);
    for (let i = start; i <= v.commitIndex; i++) {
      const e = v.log[i - first];
      if (e === undefined) break;
      const known = this.committed.get(i);
      if (known === undefined) {
        this.committed.set(i, { term: e.term, digest: e.digest, observedTerm: v.term, node: v.id });
        this.maxCommitted = Math.max(this.maxCommitted, i);
      } else if (known.term !== e.term || known.digest !== e.digest) {
        this.report('leader-completeness', [known.node, v.id], `index ${i} committed as term ${known.term} on ${known.node} but as term ${e.term} on ${v.id}`, { index: i, termA: known.term, termB: e.term });
        return;
      }
    }
  }

  /** Leader Completeness: every entry committed before a leader's term is in that leader's log. */
  private checkCompleteness(v: RaftViewObservation, mem: NodeMemory): void {
    if (mem.verifiedTerm !== v.term) {
      mem.verifiedTerm = v.term;
      mem.verifiedUpTo = v.snapshotIndex;
    }
    const first = v.log[0]?.index ?? v.snapshotIndex + 1;
    for (let i = Math.max(mem.verifiedUpTo + 1, first); i <= this.maxCommitted; i++) {
      const c = this.committed.get(i);
      if (c !== undefined && c.observedTerm <= v.term) {
        const e = v.log[i - first];
        if (e === undefined || e.term !== c.term || e.digest !== c.digest) {
          this.report('leader-completeness', [v.id, c.node], `leader ${v.id} of term ${v.term} lacks entry ${i} (term ${c.term}) committed on ${c.node}`, { index: i, committedTerm: c.term, leaderTerm: v.term, leaderEntryTerm: e?.term ?? null });
          mem.verifiedUpTo = this.maxCommitted;
          return;
        }
      }
      mem.verifiedUpTo = i;
    }
  }

  /** State Machine Safety: no two nodes apply different entries at one index, ever. */
  private checkApplied(node: string, e: EntryObservation): void {
    const known = this.applied.get(e.index);
    if (known === undefined) {
      this.applied.set(e.index, { term: e.term, digest: e.digest, node });
    } else if (known.term !== e.term || known.digest !== e.digest) {
      this.report('state-machine-safety', [known.node, node], `index ${e.index} applied as term ${known.term} (digest ${known.digest}) on ${known.node} but term ${e.term} (digest ${e.digest}) on ${node}`, { index: e.index, termA: known.term, termB: e.term, digestA: known.digest, digestB: e.digest });
    }
  }

  /** The commit index never falls while a node runs, nor below what it made durable across a restart with its disk. */
  private checkCommitDurable(n: NodeObservation, v: RaftViewObservation, mem: NodeMemory, restarted: boolean): void {
    if (!restarted && v.commitIndex < mem.lastCommit) {
      this.report('commit-durable', [v.id], `${v.id} commit index fell from ${mem.lastCommit} to ${v.commitIndex}`, { before: mem.lastCommit, after: v.commitIndex });
    }
    if (restarted && n.diskSurvived && v.durableCommitIndex !== undefined && v.commitIndex < mem.durableCommitFloor) {
      this.report('commit-durable', [v.id], `${v.id} restarted with its disk but recovered commit ${v.commitIndex} below the durable ${mem.durableCommitFloor}`, { durable: mem.durableCommitFloor, recovered: v.commitIndex });
    }
    if (v.durableCommitIndex !== undefined) mem.durableCommitFloor = Math.max(mem.durableCommitFloor, v.durableCommitIndex);
  }

  /** Lease safety: no two nodes believe they hold a valid lease at the same true time. */
  private checkLeases(nodes: readonly NodeObservation[]): void {
    let count = 0;
    for (let i = 0; i < nodes.length; i++) if ((nodes[i] as NodeObservation).alive && (nodes[i] as NodeObservation).leaseValid) count++;
    if (count <= 1) return;
    const holders = nodes.filter((n) => n.alive && n.leaseValid);
    const ids = holders.map((h) => h.id);
    const terms = holders.map((h) => h.view?.term ?? -1);
    this.report('lease-safety', ids, `${ids.join(' and ')} all hold a valid lease at true time ${this.trueUs}us (terms ${terms.join(', ')})`, { holders: ids.join(','), terms: terms.join(',') });
  }

  private report(invariant: InvariantName, nodes: string[], message: string, values: Record<string, string | number | null>): void {
    if (this.violations.length >= VIOLATIONS_MAX) return;
    this.violations.push({ invariant, step: this.step, trueUs: this.trueUs, nodes, message: `step ${this.step}: ${message}`, values });
  }
}
