// Watching the Raft replicas of any system under test: after every simulated step, the cluster
// is observed (each live replica's view, its lease judged against the true time through its own
// clock, the entries it applied since the last step) and fed to the invariant monitor. The first
// violation is recorded in the trace and stops the run. Shared by every system built on Replica.

import type { NodeId } from '../../src/host/contract';
import { entryView } from '../../src/raft/log';
import type { LogEntry } from '../../src/raft/types';
import type { Replica } from '../../src/node/replica';
import { RaftInvariantMonitor, type ClusterObservation, type EntryObservation, type NodeObservation, type Violation } from '../../checkers/raft/monitor';
import type { LeaderSeen, ProcessHandle, World } from '../world';
import type { Verdict } from './artifact';

/** Finds the replica inside a process instance (the process may be a Replica or wrap one). */
export type ReplicaOf = (instance: unknown) => Replica | null;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyWorld = World<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandle = ProcessHandle<any, any, any>;

export function watchRaft(world: AnyWorld, servers: readonly NodeId[], replicaOf: ReplicaOf, monitor: RaftInvariantMonitor): void {
  // Wipes seen by the monitor so far: a node restarted on a wiped disk did not keep its state.
  const wipesSeen = new Map<NodeId, number>();
  // One observation, rewritten in place at every step: the monitor reads it during observe() and
  // keeps none of it (what it remembers are the values and the views' log arrays).
  const nodes: Mutable<NodeObservation>[] = servers.map((id) => ({ id, alive: false, incarnation: 0, diskSurvived: true, view: null, leaseValid: false, appliedSince: NOTHING }));
  const handles = servers.map((id) => world.handle(id));
  const replicas = new ReplicaCache(replicaOf, servers.length);
  const cluster: Mutable<ClusterObservation> = { step: 0, trueUs: 0, nodes };
  world.setLeaderProbe(() => currentLeader(world, servers, replicaOf));
  world.observe((w: AnyWorld) => {
    observe(w.now, nodes, servers, handles, replicas, wipesSeen);
    cluster.step = w.steps;
    cluster.trueUs = w.now;
    const found = monitor.observe(cluster);
    if (found.length > 0) {
      const v = found[0] as Violation;
      w.record('violation', v.nodes[0] ?? null, { invariant: v.invariant, message: v.message, nodes: v.nodes.join(' ') });
      w.stop(`${v.invariant}: ${v.message}`);
    }
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The replica inside each server's process instance, looked up again only when the instance
 * changes (a restart): every step reads every server, and most steps restart nobody.
 */
class ReplicaCache {
  private readonly instances: unknown[];
  private readonly found: (Replica | null)[];

  constructor(
    private readonly replicaOf: ReplicaOf,
    servers: number,
  ) {
    this.instances = new Array<unknown>(servers).fill(null);
    this.found = new Array<Replica | null>(servers).fill(null);
  }

  /** The replica in server i's instance (null while it is down). */
  of(i: number, instance: unknown): Replica | null {
    if (instance !== this.instances[i]) {
      this.instances[i] = instance;
      this.found[i] = instance === null ? null : this.replicaOf(instance);
    }
    return this.found[i] as Replica | null;
  }
}

export function raftVerdict(monitor: RaftInvariantMonitor, steps: number): Verdict {
  const v = monitor.violations[0];
  return v === undefined
    ? { check: 'raft-invariants', verdict: 'pass', summary: `9 invariants held over ${steps} steps` }
    : { check: 'raft-invariants', verdict: 'fail', summary: `${v.invariant} at step ${v.step} (${(v.trueUs / 1e6).toFixed(3)} s): ${v.message}`, detail: monitor.violations.slice(0, 20) };
}

/** The up server that believes it leads in the highest term (ties: the first in member order), or null. */
function currentLeader(world: AnyWorld, servers: readonly NodeId[], replicaOf: ReplicaOf): LeaderSeen | null {
  let best: LeaderSeen | null = null;
  for (const id of servers) {
    if (world.status(id) !== 'up') continue;
    const view = replicaOf(world.instance(id))?.inspect() ?? null;
    if (view !== null && view.role === 'leader' && view.term > (best?.term ?? -1)) best = { id, term: view.term, lastIndex: view.lastLogIndex };
  }
  return best;
}

/** The cluster as the invariant monitor reads it, at this step, written into `nodes` (from the processes' handles, in the same order). */
function observe(nowUs: number, nodes: readonly Mutable<NodeObservation>[], servers: readonly NodeId[], handles: readonly AnyHandle[], replicas: ReplicaCache, wipesSeen: Map<NodeId, number>): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Mutable<NodeObservation>;
    const h = handles[i] as AnyHandle;
    const processId = servers[i] as NodeId;
    const replica = replicas.of(i, h.process);
    const view = replica === null ? null : replica.inspect();
    const expiry = view === null ? null : view.leaseExpiryUs;
    // The Raft member, not the process: a node that rejoined after a wipe is a new member to the monitor.
    n.id = replica?.memberId ?? processId;
    n.alive = h.status === 'up' || h.status === 'paused';
    n.incarnation = h.incarnation;
    n.diskSurvived = diskSurvived(h, processId, wipesSeen);
    n.view = view;
    // The lease is judged on the clock the node times it on, read at the true time of this step.
    n.leaseValid = expiry !== null && (view?.leaseClock === 'local' ? h.clock : h.monotonic).localAt(nowUs) < expiry;
    n.appliedSince = replica === null ? NOTHING : viewsOf(replica.drainApplied());
  }
}

/** Shared by every step that applied nothing; never written (and not frozen: frozen arrays take slower paths). */
const NOTHING: readonly EntryObservation[] = [];

function viewsOf(entries: readonly LogEntry[]): readonly EntryObservation[] {
  return entries.length === 0 ? NOTHING : entries.map(entryView);
}

/** False from the first observation after a wipe until the monitor has seen the node restart on it. */
function diskSurvived(h: AnyHandle, id: NodeId, wipesSeen: Map<NodeId, number>): boolean {
  const wipes = h.diskWipes;
  if (wipes === 0) return true; // never wiped (the usual case): nothing to look up
  const seen = wipesSeen.get(id) ?? 0;
  if (wipes === seen) return true;
  // Reported once per wipe: the monitor resets its durable-commit floor at the restart it sees.
  if (h.status === 'up') wipesSeen.set(id, wipes);
  return false;
}
