// Watching the Raft replicas of any system under test: after every simulated step, the cluster
// is observed (each live replica's view, its lease judged against the true time through its own
// clock, the entries it applied since the last step) and fed to the invariant monitor. The first
// violation is recorded in the trace and stops the run. Shared by every system built on Replica.

import type { NodeId } from '../../src/host/contract';
import { entryView } from '../../src/raft/log';
import type { Replica } from '../../src/node/replica';
import { RaftInvariantMonitor, type ClusterObservation, type NodeObservation, type Violation } from '../../checkers/raft/monitor';
import type { World } from '../world';
import type { Verdict } from './artifact';

/** Finds the replica inside a process instance (the process may be a Replica or wrap one). */
export type ReplicaOf = (instance: unknown) => Replica | null;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyWorld = World<any, any, any>;

export function watchRaft(world: AnyWorld, servers: readonly NodeId[], replicaOf: ReplicaOf, monitor: RaftInvariantMonitor): void {
  // Wipes seen by the monitor so far: a node restarted on a wiped disk did not keep its state.
  const wipesSeen = new Map<NodeId, number>();
  world.setLeaderProbe(() => currentLeader(world, servers, replicaOf));
  world.observe((w: AnyWorld) => {
    const found = monitor.observe(observe(w, servers, replicaOf, wipesSeen));
    if (found.length > 0) {
      const v = found[0] as Violation;
      w.record('violation', v.nodes[0] ?? null, { invariant: v.invariant, message: v.message, nodes: v.nodes.join(' ') });
      w.stop(`${v.invariant}: ${v.message}`);
    }
  });
}

export function raftVerdict(monitor: RaftInvariantMonitor, steps: number): Verdict {
  const v = monitor.violations[0];
  return v === undefined
    ? { check: 'raft-invariants', verdict: 'pass', summary: `8 invariants held over ${steps} steps` }
    : { check: 'raft-invariants', verdict: 'fail', summary: `${v.invariant} at step ${v.step} (${(v.trueUs / 1e6).toFixed(3)} s): ${v.message}`, detail: monitor.violations.slice(0, 20) };
}

/** The up server that believes it leads in the highest term (ties: the first in member order), or null. */
function currentLeader(world: AnyWorld, servers: readonly NodeId[], replicaOf: ReplicaOf): NodeId | null {
  let best: NodeId | null = null;
  let bestTerm = -1;
  for (const id of servers) {
    if (world.status(id) !== 'up') continue;
    const view = replicaOf(world.instance(id))?.inspect() ?? null;
    if (view !== null && view.role === 'leader' && view.term > bestTerm) {
      best = id;
      bestTerm = view.term;
    }
  }
  return best;
}

/** The cluster as the invariant monitor reads it, at this step. */
function observe(world: AnyWorld, servers: readonly NodeId[], replicaOf: ReplicaOf, wipesSeen: Map<NodeId, number>): ClusterObservation {
  const nodes: NodeObservation[] = servers.map((id) => {
    const replica = replicaOf(world.instance(id));
    const view = replica?.inspect() ?? null;
    const expiry = view?.leaseExpiryUs ?? null;
    const status = world.status(id);
    // The lease is judged on the clock the node times it on, read at the true time of this step.
    const leaseClockUs = view?.leaseClock === 'local' ? world.localTime(id) : world.monotonicTime(id);
    return {
      id,
      alive: status === 'up' || status === 'paused',
      incarnation: world.incarnation(id),
      diskSurvived: diskSurvived(world, id, wipesSeen),
      view,
      leaseValid: expiry !== null && leaseClockUs < expiry,
      appliedSince: replica?.drainApplied().map(entryView) ?? [],
    };
  });
  return { step: world.steps, trueUs: world.now, nodes };
}

/** False from the first observation after a wipe until the monitor has seen the node restart on it. */
function diskSurvived(world: AnyWorld, id: NodeId, wipesSeen: Map<NodeId, number>): boolean {
  const wipes = world.diskWipes(id);
  const seen = wipesSeen.get(id) ?? 0;
  if (wipes === seen) return true;
  // Reported once per wipe: the monitor resets its durable-commit floor at the restart it sees.
  if (world.status(id) === 'up') wipesSeen.set(id, wipes);
  return false;
}
