// The cluster's state at any position of a run's trace, rebuilt from the trace records alone:
// each node's role, term, commit, lease, clock offset, up / crashed / paused, a disk summary and
// its recent log events; the partition groups; the messages in flight. A snapshot is kept every
// CHECKPOINT_EVERY records so a seek replays at most that many records. The TUI, the report and
// the viewer all use this one module. It must never reorder, drop or invent records, and never
// use anything but the artifact.

import type { RunArtifact, TraceRecord } from './artifact';

export type NodeStatus = 'not started' | 'up' | 'paused' | 'crashed' | 'failed-closed';

export interface DiskSummary {
  readonly ops: number;
  readonly bytesWritten: number;
  readonly fsyncs: number;
  readonly errors: number;
  readonly lastError: string | null;
  readonly faults: number;
  readonly lastFault: string | null;
  /** Writes lost or torn by crashes, as the crash records report them. */
  readonly lostWrites: number;
  readonly tornWrites: number;
}

export interface NodeState {
  readonly id: string;
  readonly status: NodeStatus;
  readonly incarnation: number;
  /** '-' while crashed or before the first role event. */
  readonly role: string;
  readonly term: number;
  readonly leaderId: string | null;
  readonly commitIndex: number;
  /** From an applied-index event when the trace has one; null when the trace does not say. */
  readonly appliedIndex: number | null;
  /** Lease end on the node's local clock, or null if it holds none. */
  readonly leaseExpiryLocalUs: number | null;
  /** localUs - trueUs at the node's latest record (0 until known). */
  readonly clockOffsetUs: number;
  readonly driftPpm: number;
  readonly disk: DiskSummary;
  /** The last few log-related events in words, oldest first (at most LOG_TAIL_MAX). */
  readonly logTail: readonly string[];
  readonly violations: number;
}

export interface InFlight {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  readonly sentSeq: number;
  readonly sentUs: number;
}

export interface ClusterState {
  /** The position of the last record applied (-1: before the first). */
  readonly position: number;
  readonly trueUs: number;
  readonly nodes: readonly NodeState[];
  /** Connected groups, each sorted; one group when the network is whole. */
  readonly groups: readonly (readonly string[])[];
  /** The partition as the nemesis described it, or null when healed. */
  readonly partitionSpec: string | null;
  /** Messages sent and not yet delivered or dropped, oldest first (at most IN_FLIGHT_MAX). */
  readonly inFlight: readonly InFlight[];
  readonly inFlightTotal: number;
  readonly violations: readonly string[];
}

export const CHECKPOINT_EVERY = 1000;
export const LOG_TAIL_MAX = 6;
/** The most messages listed in flight; the count beyond it is still exact. */
export const IN_FLIGHT_MAX = 64;
/** Unmatched sends kept per link: beyond this the oldest are assumed lost (a bound on memory). */
const PENDING_PER_LINK_MAX = 4096;

/** Rebuilds cluster state at trace positions, with checkpoints for fast seeking. */
export class ClusterReplay {
  readonly nodeIds: readonly string[];
  readonly length: number;
  private readonly checkpoints: Mutable[] = [];

  constructor(private readonly run: RunArtifact, readonly checkpointEvery = CHECKPOINT_EVERY) {
    if (!(checkpointEvery > 0)) throw new Error('checkpointEvery must be positive');
    this.nodeIds = nodeIdsOf(run);
    this.length = run.trace.length;
    const state = initial(this.nodeIds);
    this.checkpoints.push(clone(state));
    for (let i = 0; i < run.trace.length; i++) {
      apply(state, run.trace[i] as TraceRecord);
      if ((i + 1) % checkpointEvery === 0) this.checkpoints.push(clone(state));
    }
  }

  /** The state after applying records 0..position (position -1: before any). */
  at(position: number): ClusterState {
    const p = Math.max(-1, Math.min(position, this.length - 1));
    const index = Math.floor((p + 1) / this.checkpointEvery);
    const base = this.checkpoints[Math.min(index, this.checkpoints.length - 1)] as Mutable;
    const state = clone(base);
    for (let i = state.position + 1; i <= p; i++) apply(state, this.run.trace[i] as TraceRecord);
    if (state.position !== p) throw new Error(`replay reached ${state.position}, wanted ${p}`);
    return freeze(state);
  }

  /** The state at true time t: after every record with trueUs <= t. */
  atTime(trueUs: number): ClusterState {
    return this.at(positionAtTime(this.run.trace, trueUs));
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }
}

/** The last position whose record's trueUs <= t (-1 when none): binary search, the trace is time-ordered. */
export function positionAtTime(trace: readonly TraceRecord[], trueUs: number): number {
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((trace[mid] as TraceRecord).trueUs <= trueUs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The servers and other processes named in the trace, in natural order (n2 before n10). */
export function nodeIdsOf(run: RunArtifact): string[] {
  const seen = new Set<string>();
  for (const r of run.trace) if (r.node !== null) seen.add(r.node);
  // Servers first (they are what the views are about), then clients and other processes.
  return [...seen].sort((a, b) => Number(!isServerLike(a)) - Number(!isServerLike(b)) || naturalCompare(a, b));
}

export function naturalCompare(a: string, b: string): number {
  const ma = /^(\D*)(\d+)$/.exec(a);
  const mb = /^(\D*)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// The mutable working state and how one record changes it.

interface MutableNode {
  id: string;
  status: NodeStatus;
  incarnation: number;
  role: string;
  term: number;
  leaderId: string | null;
  commitIndex: number;
  appliedIndex: number | null;
  leaseExpiryLocalUs: number | null;
  clockOffsetUs: number;
  driftPpm: number;
  disk: { ops: number; bytesWritten: number; fsyncs: number; errors: number; lastError: string | null; faults: number; lastFault: string | null; lostWrites: number; tornWrites: number };
  logTail: string[];
  violations: number;
}

interface Mutable {
  position: number;
  trueUs: number;
  nodes: MutableNode[];
  byId: Map<string, MutableNode>;
  groups: string[][];
  partitionSpec: string | null;
  /** Per link "from>to", the unmatched sends as [seq, trueUs, type] triples, oldest first. */
  pending: Map<string, [number, number, string][]>;
  violations: string[];
}

function initial(ids: readonly string[]): Mutable {
  const nodes = ids.map((id): MutableNode => ({
    id,
    status: 'not started',
    incarnation: 0,
    role: '-',
    term: 0,
    leaderId: null,
    commitIndex: 0,
    appliedIndex: null,
    leaseExpiryLocalUs: null,
    clockOffsetUs: 0,
    driftPpm: 0,
    disk: { ops: 0, bytesWritten: 0, fsyncs: 0, errors: 0, lastError: null, faults: 0, lastFault: null, lostWrites: 0, tornWrites: 0 },
    logTail: [],
    violations: 0,
  }));
  return {
    position: -1,
    trueUs: 0,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    groups: [ids.filter(isServerLike)],
    partitionSpec: null,
    pending: new Map(),
    violations: [],
  };
}

export function isServerLike(id: string): boolean {
  return /^n\d+$/.test(id);
}

function apply(s: Mutable, r: TraceRecord): void {
  s.position = r.seq;
  s.trueUs = r.trueUs;
  const f = r.fields;
  const node = r.node === null ? undefined : s.byId.get(r.node);
  if (node !== undefined && r.localUs !== null) node.clockOffsetUs = r.localUs - r.trueUs;
  switch (r.kind) {
    case 'send':
      if (node !== undefined) enqueue(s, node.id, str(f['to']), str(f['type']), r);
      return;
    case 'deliver':
      if (node !== undefined) dequeue(s, str(f['from']), node.id);
      return;
    case 'drop':
      if (node === undefined) return;
      if (f['reason'] === 'loss') dequeue(s, node.id, str(f['to']));
      else if (typeof f['from'] === 'string') dequeue(s, f['from'], node.id);
      return;
    case 'start':
      if (node === undefined) return;
      node.status = 'up';
      node.incarnation = num(f['incarnation'], node.incarnation);
      // A Raft node reports "recovered" right after starting, and is a follower from then on.
      node.role = '-';
      node.leaderId = null;
      node.leaseExpiryLocalUs = null;
      return;
    case 'crash':
      if (node === undefined) return;
      if (node.status !== 'failed-closed') node.status = 'crashed';
      node.role = '-';
      node.leaderId = null;
      node.leaseExpiryLocalUs = null;
      node.disk.lostWrites += num(f['lostWrites'], 0);
      node.disk.tornWrites += num(f['tornWrites'], 0);
      pushTail(node, `crash (${str(f['cause'])})`);
      return;
    case 'halt':
      if (node === undefined) return;
      pushTail(node, `halt ${str(f['mode'])}: ${str(f['reason'])}`);
      if (f['mode'] === 'fail-closed') node.status = 'failed-closed';
      return;
    case 'pause':
      if (node !== undefined) node.status = 'paused';
      return;
    case 'resume':
      if (node !== undefined) node.status = 'up';
      return;
    case 'partition':
      s.partitionSpec = str(f['spec']);
      s.groups = str(f['groups'])
        .split('|')
        .map((g) => g.trim().split(/\s+/).filter((x) => x.length > 0).sort(naturalCompare))
        .filter((g) => g.length > 0);
      return;
    case 'heal':
      s.partitionSpec = null;
      s.groups = [s.nodes.map((n) => n.id).filter(isServerLike)];
      return;
    case 'clock':
      if (node === undefined) return;
      if (typeof f['offsetUs'] === 'number' && r.localUs === null) node.clockOffsetUs = f['offsetUs'];
      if (typeof f['driftPpm'] === 'number') node.driftPpm = f['driftPpm'];
      return;
    case 'disk':
      if (node === undefined) return;
      node.disk.ops++;
      if (f['op'] === 'write' || f['op'] === 'append') node.disk.bytesWritten += num(f['bytes'], 0);
      if (f['op'] === 'fsync' || f['op'] === 'fsyncDir') node.disk.fsyncs++;
      if (f['ok'] === false) {
        node.disk.errors++;
        node.disk.lastError = `${str(f['op'])} ${str(f['path'])}: ${str(f['code'])}`;
      }
      return;
    case 'fault':
      if (node === undefined) return;
      node.disk.faults++;
      node.disk.lastFault = typeof f['fault'] === 'string' ? f['fault'] : typeof f['armed'] === 'string' ? `armed ${f['armed']}` : typeof f['skipped'] === 'string' ? `skipped ${f['skipped']}` : 'fault';
      return;
    case 'note':
      if (node !== undefined) applyNote(node, f);
      return;
    case 'violation': {
      const text = `${(r.trueUs / 1e6).toFixed(6)} s ${r.node ?? 'cluster'}: ${str(f['invariant'] ?? f['check'] ?? f['event'])} ${str(f['message'] ?? f['detail'] ?? '')}`.trim();
      if (s.violations.length < 100) s.violations.push(text);
      if (node !== undefined) node.violations++;
      return;
    }
    case 'timer':
    case 'output':
    case 'external':
      return;
  }
}

function applyNote(node: MutableNode, f: Readonly<Record<string, unknown>>): void {
  switch (f['event']) {
    case 'roleChanged':
      node.role = str(f['to']);
      node.term = num(f['term'], node.term);
      if (node.role !== 'leader') node.leaseExpiryLocalUs = null;
      if (node.role === 'leader') node.leaderId = node.id;
      return;
    case 'termChanged':
      node.term = num(f['to'], node.term);
      node.leaderId = null;
      return;
    case 'leaderElected':
      node.leaderId = str(f['leaderId']);
      return;
    case 'commitAdvanced':
      node.commitIndex = num(f['to'], node.commitIndex);
      pushTail(node, `commit ${num(f['from'], 0)}→${node.commitIndex}`);
      return;
    case 'applied':
    case 'appliedAdvanced':
      node.appliedIndex = num(f['to'] ?? f['index'], node.appliedIndex ?? 0);
      return;
    case 'leaseAcquired':
      node.leaseExpiryLocalUs = num(f['expiryLocalUs'], 0);
      return;
    case 'leaseExpired':
      node.leaseExpiryLocalUs = null;
      return;
    case 'stepDown':
      pushTail(node, `step down (${str(f['reason'])}) term ${num(f['term'], 0)}`);
      return;
    case 'recovered':
      node.term = num(f['term'], node.term);
      node.role = 'follower';
      pushTail(node, `recovered ${num(f['entries'], 0)} entries, snapshot ${num(f['snapshotIndex'], 0)}`);
      return;
    case 'snapshotTaken':
    case 'snapshotInstalled':
      pushTail(node, `${f['event'] === 'snapshotTaken' ? 'snapshot taken' : 'snapshot installed'} @${num(f['lastIndex'], 0)} t${num(f['lastTerm'], 0)}`);
      return;
    case 'configChanged':
      pushTail(node, `config @${num(f['index'], 0)}`);
      return;
    default:
      return;
  }
}

function pushTail(node: MutableNode, text: string): void {
  node.logTail.push(text);
  if (node.logTail.length > LOG_TAIL_MAX) node.logTail.shift();
}

function enqueue(s: Mutable, from: string, to: string, type: string, r: TraceRecord): void {
  // The world records nothing for a send that a partition blocks at its source, so a send across
  // groups is not counted in flight (a one-way partition's open direction then delivers a message
  // this never counted, which dequeue tolerates).
  if (s.partitionSpec !== null && !sameGroup(s, from, to)) return;
  const key = `${from}>${to}`;
  let queue = s.pending.get(key);
  if (queue === undefined) {
    queue = [];
    s.pending.set(key, queue);
  }
  queue.push([r.seq, r.trueUs, type]);
  if (queue.length > PENDING_PER_LINK_MAX) queue.shift();
}

/**
 * Matches a delivery or drop with the oldest unmatched send on its link. The trace carries no
 * message id, so with reordering the pairing may differ from the real one, but the count of
 * messages in flight per link is exact.
 */
function dequeue(s: Mutable, from: string, to: string): void {
  const queue = s.pending.get(`${from}>${to}`);
  if (queue !== undefined && queue.length > 0) queue.shift();
}

function sameGroup(s: Mutable, a: string, b: string): boolean {
  for (const group of s.groups) if (group.includes(a)) return group.includes(b);
  return true; // a process outside every group (a client) is not partitioned
}

function clone(s: Mutable): Mutable {
  const nodes = s.nodes.map((n) => ({ ...n, disk: { ...n.disk }, logTail: [...n.logTail] }));
  const pending = new Map<string, [number, number, string][]>();
  for (const [key, queue] of s.pending) if (queue.length > 0) pending.set(key, queue.map((e) => [e[0], e[1], e[2]]));
  return {
    position: s.position,
    trueUs: s.trueUs,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    groups: s.groups.map((g) => [...g]),
    partitionSpec: s.partitionSpec,
    pending,
    violations: [...s.violations],
  };
}

function freeze(s: Mutable): ClusterState {
  const all: InFlight[] = [];
  let total = 0;
  for (const [key, queue] of s.pending) {
    const [from, to] = key.split('>') as [string, string];
    total += queue.length;
    for (const [seq, us, type] of queue) all.push({ from, to, type, sentSeq: seq, sentUs: us });
  }
  all.sort((a, b) => a.sentSeq - b.sentSeq);
  return {
    position: s.position,
    trueUs: s.trueUs,
    nodes: s.nodes,
    groups: s.groups,
    partitionSpec: s.partitionSpec,
    inFlight: all.slice(0, IN_FLIGHT_MAX),
    inFlightTotal: total,
    violations: s.violations,
  };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
