// A test-only router for Raft cores, in the spirit of etcd's raft_test.go `network`: it holds
// in-memory cores, a plain list of in-flight messages delivered one at a time in the order the
// test chooses, manual local clocks and timers, a disk image per node that takes a write only
// when its persistence completes, and a tiny state machine (the applied commands) so snapshots
// and restarts can be exercised. It is not the simulator: no latency model, no fault model.
// It must never read real time or real randomness.

import { assert } from '../../util/assert';
import { defaultRaftConfig } from '../config';
import type { RaftConfig } from '../config';
import { entryView } from '../log';
import { RaftNode } from '../node';
import type { DurableState, LogEntry, NodeId, RaftEffect, RaftEvent, RaftInput, RaftMessage, SnapshotMeta, TimerName } from '../types';
import { SeededRandom } from './random';

type InputWithoutTime = RaftInput extends infer I ? (I extends { nowUs: number } ? Omit<I, 'nowUs'> : never) : never;

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: RaftMessage;
}

interface DiskImage {
  term: number;
  votedFor: NodeId | null;
  commitIndex: number;
  snapshot: { meta: SnapshotMeta; data: Uint8Array } | null;
  entries: LogEntry[];
}

type PersistEffect = Extract<RaftEffect, { kind: 'persistState' | 'appendLog' | 'saveSnapshot' }>;

export interface TestNode {
  readonly id: NodeId;
  core: RaftNode;
  alive: boolean;
  incarnation: number;
  diskSurvived: boolean;
  /** The local clock: integer microseconds, advancing at `rate` local microseconds per true one. */
  clockUs: number;
  clockExact: number;
  rate: number;
  timers: Map<TimerName, number>;
  disk: DiskImage;
  /** Issued persistence effects not yet completed (only when autoPersist is off). */
  unsynced: PersistEffect[];
  /** The state machine: payloads of applied commands as text, and what it has applied. */
  commands: string[];
  appliedIndex: number;
  appliedTerm: number;
  /** Entries applied since the observer last cleared this. */
  appliedSince: LogEntry[];
  /** Answers to clients: proposed, readReady, redirect, busy, dropped, rejected. */
  outputs: RaftEffect[];
  events: RaftEvent[];
  /** Every effect the core returned, in order (for transcripts). */
  effects: RaftEffect[];
}

export interface ClusterOptions {
  readonly voters: readonly NodeId[];
  /** Nodes started with an empty configuration (to be added later as learners). */
  readonly spare?: readonly NodeId[];
  readonly config?: Partial<RaftConfig>;
  readonly seed?: number;
  readonly autoPersist?: boolean;
  /** Local clock rate per node (local us per true us, default 1): clock drift. */
  readonly clockRates?: Readonly<Record<NodeId, number>>;
  /** Called with an observation after every step (e.g. an invariant monitor's observe). */
  readonly observe?: (o: Observation) => void;
  /** What each node's storage holds at start (default: empty). */
  readonly durable?: Readonly<Record<NodeId, DurableState>>;
}

/** A plain observation of the cluster for an invariant monitor (structurally its ClusterObservation). */
export interface Observation {
  readonly step: number;
  readonly trueUs: number;
  readonly nodes: {
    readonly id: NodeId;
    readonly alive: boolean;
    readonly incarnation: number;
    readonly diskSurvived: boolean;
    readonly view: ReturnType<RaftNode['inspect']> | null;
    readonly leaseValid: boolean;
    readonly appliedSince: readonly { index: number; term: number; kind: string; digest: string }[];
  }[];
}

const MESSAGES_PER_DRAIN_MAX = 200_000;
const SYNC_CHAIN_MAX = 10_000;

export class TestCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  inFlight: Envelope[] = [];
  autoPersist: boolean;
  /** Directed links that drop every message: "a->b". */
  readonly cut = new Set<string>();
  steps = 0;
  /** True time, in microseconds (fractional while clocks drift). */
  trueUs = 0;
  /** Called after every step of any node (e.g. to feed an invariant monitor). */
  observer: ((c: TestCluster) => void) | null = null;
  private readonly configs = new Map<NodeId, RaftConfig>();
  /** Host work that answers later (a snapshot image), run once the current input is fully done. */
  private readonly deferred: (() => void)[] = [];
  private depth = 0;
  private readonly seed: number;

  constructor(opts: ClusterOptions) {
    this.autoPersist = opts.autoPersist ?? true;
    this.seed = opts.seed ?? 1;
    const all = [...opts.voters, ...(opts.spare ?? [])];
    for (const id of all) {
      const initial = opts.voters.includes(id) ? opts.voters : [];
      this.configs.set(id, defaultRaftConfig(initial, opts.config ?? {}));
      const d = opts.durable?.[id];
      const disk: DiskImage = d === undefined
        ? { term: 0, votedFor: null, commitIndex: 0, snapshot: null, entries: [] }
        : { term: d.term, votedFor: d.votedFor, commitIndex: d.commitIndex, snapshot: d.snapshot, entries: [...d.entries] };
      const node: TestNode = {
        id, core: this.build(id, disk, 0), alive: true, incarnation: 0, diskSurvived: true, clockUs: 0, clockExact: 0, rate: opts.clockRates?.[id] ?? 1, timers: new Map(), disk,
        unsynced: [], commands: [], appliedIndex: 0, appliedTerm: 0, appliedSince: [], outputs: [], events: [], effects: [],
      };
      this.nodes.set(id, node);
    }
    const observe = opts.observe;
    if (observe !== undefined) this.observer = (c) => observe(c.observation());
    for (const id of all) this.input(id, { kind: 'start' });
  }

  /** Lets the start-up stickiness pass, elects `leader`, and completes one heartbeat round. */
  settle(leader: NodeId = 'n1'): this {
    this.passTime(300_000);
    this.elect(leader);
    this.fire(leader, 'heartbeat');
    this.deliverAll();
    assert(this.leaders().includes(leader), `cluster: ${leader} leads after settling`);
    return this;
  }

  node(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    assert(n !== undefined, `cluster: unknown node ${id}`);
    return n;
  }

  /** Feeds one input to a node at its current local time and executes the effects. */
  input(id: NodeId, input: InputWithoutTime): RaftEffect[] {
    this.depth++;
    try {
      return this.inputNow(id, input);
    } finally {
      this.depth--;
      if (this.depth === 0) {
        for (let k = 0; k < SYNC_CHAIN_MAX && this.deferred.length > 0; k++) this.deferred.shift()?.();
      }
    }
  }

  private inputNow(id: NodeId, input: InputWithoutTime): RaftEffect[] {
    const n = this.node(id);
    assert(n.alive, `cluster: ${id} is down`);
    const out = n.core.step({ ...input, nowUs: n.clockUs } as RaftInput);
    this.steps++;
    n.events.push(...out.events);
    n.effects.push(...out.effects);
    const synced = this.execute(n, out.effects);
    this.observer?.(this);
    if (this.autoPersist) {
      for (let i = 0; i < synced.length && i < SYNC_CHAIN_MAX; i++) {
        const e = synced[i];
        assert(e !== undefined, 'cluster: sync effect');
        if (!n.alive || n.core.inspect().halted) break;
        this.writeDisk(n, e);
        const more = n.core.step({ kind: 'persisted', syncId: e.syncId, nowUs: n.clockUs });
        this.steps++;
        n.events.push(...more.events);
        n.effects.push(...more.effects);
        synced.push(...this.execute(n, more.effects));
        this.observer?.(this);
      }
    }
    return out.effects;
  }

  /** Completes the oldest outstanding persistence of a node (autoPersist off). */
  completeSync(id: NodeId): RaftEffect[] {
    const n = this.node(id);
    const e = n.unsynced.shift();
    assert(e !== undefined, `cluster: ${id} has nothing to sync`);
    this.writeDisk(n, e);
    return this.input(id, { kind: 'persisted', syncId: e.syncId });
  }

  /** Delivers the first in-flight message matching the filter; returns it, or null if none. */
  deliver(filter: (e: Envelope) => boolean = () => true): Envelope | null {
    const i = this.inFlight.findIndex(filter);
    if (i < 0) return null;
    const [e] = this.inFlight.splice(i, 1);
    assert(e !== undefined, 'cluster: envelope');
    const to = this.nodes.get(e.to);
    if (to === undefined || !to.alive) return e;
    this.input(e.to, { kind: 'receive', from: e.from, message: e.message });
    return e;
  }

  /** Delivers messages (matching the filter) until none are left; returns how many. */
  deliverAll(filter: (e: Envelope) => boolean = () => true): number {
    let count = 0;
    for (; count < MESSAGES_PER_DRAIN_MAX; count++) {
      if (this.deliver(filter) === null) return count;
    }
    assert(false, 'cluster: message storm (delivery bound reached)');
  }

  drop(filter: (e: Envelope) => boolean): number {
    const before = this.inFlight.length;
    this.inFlight = this.inFlight.filter((e) => !filter(e));
    return before - this.inFlight.length;
  }

  /** Moves a node's clock to its timer's deadline and fires it. */
  fire(id: NodeId, timer: TimerName): RaftEffect[] {
    const n = this.node(id);
    const at = n.timers.get(timer);
    assert(at !== undefined, `cluster: ${id} has no ${timer} timer`);
    // The node's clock jumps to the deadline if it is not there yet (a test's shortcut).
    n.clockUs = Math.max(n.clockUs, at);
    n.clockExact = Math.max(n.clockExact, at);
    n.timers.delete(timer);
    return this.input(id, { kind: 'timerFired', timer });
  }

  /** Fires a timer now, whatever its deadline (a test's way to say "it has just expired"). */
  trigger(id: NodeId, timer: TimerName): RaftEffect[] {
    this.node(id).timers.delete(timer);
    return this.input(id, { kind: 'timerFired', timer });
  }

  /** Advances true time by us; every clock moves at its rate and timers fire as they come due (earliest first, ties by id). */
  advance(us: number): void {
    const end = this.trueUs + us;
    for (let k = 0; k < 100_000; k++) {
      let best: { id: NodeId; timer: TimerName; atTrue: number } | null = null;
      for (const n of [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        if (!n.alive) continue;
        for (const [timer, at] of [...n.timers].sort()) {
          const atTrue = this.trueUs + Math.max(0, (at - n.clockExact) / n.rate);
          if (atTrue <= end && (best === null || atTrue < best.atTrue)) best = { id: n.id, timer, atTrue };
        }
      }
      if (best === null) break;
      this.moveTo(best.atTrue);
      this.fire(best.id, best.timer);
    }
    this.moveTo(end);
  }

  /** Moves true time (and every clock, at its rate) forward without firing timers. */
  passTime(us: number): void {
    this.moveTo(this.trueUs + us);
  }

  private moveTo(trueUs: number): void {
    const dt = trueUs - this.trueUs;
    if (dt <= 0) return;
    for (const n of this.nodes.values()) {
      n.clockExact += dt * n.rate;
      n.clockUs = Math.max(n.clockUs, Math.floor(n.clockExact));
    }
    this.trueUs = trueUs;
  }

  /** The cluster as an invariant monitor sees it; clears each node's applied-since list. */
  observation(): Observation {
    const nodes = [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const trueUs = Math.floor(this.trueUs);
    return {
      step: this.steps,
      trueUs,
      nodes: nodes.map((n) => {
        const view = n.alive ? n.core.inspect() : null;
        const expiry = view?.leaseExpiryUs ?? null; // this harness has one clock per node: monotonic and local agree
        const appliedSince = n.appliedSince.map((e) => entryView(e));
        n.appliedSince = [];
        return { id: n.id, alive: n.alive, incarnation: n.incarnation, diskSurvived: n.diskSurvived, view, leaseValid: expiry !== null && n.clockUs < expiry, appliedSince };
      }),
    };
  }

  /** Fires the election timer of `id` and delivers everything: `id` should end up leader. */
  elect(id: NodeId): void {
    this.fire(id, 'election');
    this.deliverAll();
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()].filter((n) => n.alive && n.core.inspect().role === 'leader').map((n) => n.id);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}->${other}`);
      this.cut.add(`${other}->${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  crash(id: NodeId, loseDisk = false): void {
    const n = this.node(id);
    n.alive = false;
    n.timers.clear();
    n.unsynced = [];
    n.diskSurvived = !loseDisk;
    if (loseDisk) n.disk = { term: 0, votedFor: null, commitIndex: 0, snapshot: null, entries: [] };
    this.inFlight = this.inFlight.filter((e) => e.to !== id);
    this.observer?.(this);
  }

  restart(id: NodeId): void {
    const n = this.node(id);
    assert(!n.alive, `cluster: ${id} is already up`);
    n.incarnation++;
    n.core = this.build(id, n.disk, n.incarnation);
    n.alive = true;
    n.commands = [];
    n.appliedIndex = 0;
    n.appliedTerm = 0;
    this.input(id, { kind: 'start' });
  }

  /** Client answers of a kind, across the cluster or for one node. */
  outputsOf<K extends RaftEffect['kind']>(kind: K, id?: NodeId): Extract<RaftEffect, { kind: K }>[] {
    const out: Extract<RaftEffect, { kind: K }>[] = [];
    for (const n of this.nodes.values()) {
      if (id !== undefined && n.id !== id) continue;
      for (const e of n.outputs) if (e.kind === kind) out.push(e as Extract<RaftEffect, { kind: K }>);
    }
    return out;
  }

  private build(id: NodeId, disk: DiskImage, incarnation: number): RaftNode {
    const config = this.configs.get(id);
    assert(config !== undefined, 'cluster: config for node');
    const durable: DurableState = {
      term: disk.term, votedFor: disk.votedFor, commitIndex: disk.commitIndex,
      snapshot: disk.snapshot, entries: [...disk.entries],
    };
    const seed = this.seed * 7919 + [...id].reduce((h, ch) => h * 31 + ch.charCodeAt(0), 0) + incarnation * 104729;
    return new RaftNode(id, config, durable, new SeededRandom(seed));
  }

  /** Executes effects; returns the persistence effects issued (for autoPersist). */
  private execute(n: TestNode, effects: readonly RaftEffect[]): PersistEffect[] {
    const synced: PersistEffect[] = [];
    for (const e of effects) {
      switch (e.kind) {
        case 'send':
          if (!this.cut.has(`${n.id}->${e.to}`)) this.inFlight.push({ from: n.id, to: e.to, message: e.message });
          break;
        case 'setTimer':
          n.timers.set(e.timer, e.atLocalUs);
          break;
        case 'persistState':
        case 'appendLog':
        case 'saveSnapshot':
          if (this.autoPersist) synced.push(e);
          else n.unsynced.push(e);
          break;
        case 'apply':
          for (const entry of e.entries) {
            assert(entry.index === n.appliedIndex + 1, `cluster: ${n.id} applies in order`);
            if (entry.kind === 'command') n.commands.push(new TextDecoder().decode(entry.data));
            n.appliedIndex = entry.index;
            n.appliedTerm = entry.term;
            n.appliedSince.push(entry);
          }
          break;
        case 'installSnapshot': {
          const image = JSON.parse(new TextDecoder().decode(e.data)) as { commands: string[] };
          n.commands = image.commands;
          n.appliedIndex = e.meta.lastIndex;
          n.appliedTerm = e.meta.lastTerm;
          break;
        }
        case 'takeSnapshot': {
          assert(e.upToIndex === n.appliedIndex, 'cluster: snapshot of what is applied');
          const data = new TextEncoder().encode(JSON.stringify({ commands: n.commands }));
          const lastTerm = n.appliedTerm;
          // Answer after this step's effects, as a host that snapshots in the background would.
          const incarnation = n.incarnation;
          this.deferred.push(() => {
            if (n.alive && n.incarnation === incarnation) this.input(n.id, { kind: 'snapshotTaken', lastIndex: e.upToIndex, lastTerm, data });
          });
          break;
        }
        case 'halt':
          n.alive = false;
          n.timers.clear();
          n.unsynced = [];
          break;
        default:
          n.outputs.push(e);
      }
    }
    return synced;
  }

  private writeDisk(n: TestNode, e: PersistEffect): void {
    const d = n.disk;
    if (e.kind === 'persistState') {
      d.term = e.term;
      d.votedFor = e.votedFor;
      d.commitIndex = e.commitIndex;
    } else if (e.kind === 'appendLog') {
      if (e.truncateFrom !== null) {
        const from = e.truncateFrom;
        d.entries = d.entries.filter((x) => x.index < from);
      }
      d.entries.push(...e.entries);
    } else {
      d.snapshot = { meta: e.meta, data: e.data };
      d.entries = e.retainLog ? d.entries.filter((x) => x.index > e.meta.lastIndex) : [];
    }
  }
}

export function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
