// Benchmark of the Raft invariant monitor: the cost of one observation of a cluster whose
// leader keeps appending, followers keep up, commits advance, entries are applied and logs are
// compacted, shaped like what a host sees after every simulated step. Runnable directly:
// `npx tsx checkers/raft/bench.ts`. Only this file may read real time; each such line is marked.

import { RaftInvariantMonitor } from './monitor';
import type { EntryObservation, NodeObservation, RaftViewObservation } from './monitor';

interface NodeState {
  log: EntryObservation[];
  view: readonly EntryObservation[];
  snapshotIndex: number;
  commit: number;
  applied: number;
}

/** Runs `steps` observations of a `nodes`-node cluster; returns the milliseconds spent in observe(). */
function run(steps: number, nodes: number, compactEvery: number): number {
  const monitor = new RaftInvariantMonitor();
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const state = new Map<string, NodeState>(ids.map((id) => [id, { log: [], view: [], snapshotIndex: 0, commit: 0, applied: 0 }]));
  let last = 0;
  let observeMs = 0;
  for (let step = 1; step <= steps; step++) {
    // Each step one node changes, as after one simulated event: the leader appends, or a
    // follower catches up by one entry and commits, applies and sometimes compacts.
    const id = ids[step % nodes] ?? 'n1';
    const s = state.get(id);
    if (s === undefined) throw new Error('bench: node state');
    const lastIndex = s.snapshotIndex + s.log.length;
    const appliedSince: EntryObservation[] = [];
    if (id === 'n1' || lastIndex < last) {
      const index = id === 'n1' ? ++last : lastIndex + 1;
      s.log.push({ index, term: 1, kind: 'command', digest: (index * 2654435761 >>> 0).toString(16) });
      s.view = s.log.slice();
      s.commit = Math.max(s.commit, index - 1);
      for (let i = s.applied + 1; i <= s.commit; i++) {
        const e = s.log[i - s.snapshotIndex - 1];
        if (e !== undefined) appliedSince.push(e);
      }
      s.applied = s.commit;
      if (s.applied - s.snapshotIndex >= compactEvery) {
        s.log = s.log.slice(s.applied - s.snapshotIndex);
        s.snapshotIndex = s.applied;
        s.view = s.log.slice();
      }
    }
    const observed: NodeObservation[] = ids.map((nid) => {
      const n = state.get(nid);
      if (n === undefined) throw new Error('bench: node state');
      const view: RaftViewObservation = {
        id: nid, role: nid === 'n1' ? 'leader' : 'follower', term: 1, commitIndex: n.commit, durableCommitIndex: n.commit,
        appliedIndex: n.applied, lastLogIndex: n.snapshotIndex + n.log.length, snapshotIndex: n.snapshotIndex,
        snapshotTerm: n.snapshotIndex > 0 ? 1 : 0, log: n.view,
      };
      return { id: nid, alive: true, incarnation: 0, diskSurvived: true, view, leaseValid: nid === 'n1', appliedSince: nid === id ? appliedSince : [] };
    });
    // Only the monitor is timed: building the observations is the host's cost, not its.
    const t0 = performance.now(); // wall-clock-ok
    monitor.observe({ step, trueUs: step * 100, nodes: observed });
    observeMs += performance.now() - t0; // wall-clock-ok
  }
  if (!monitor.ok()) throw new Error(`bench: unexpected violation: ${monitor.violations[0]?.message ?? ''}`);
  return observeMs;
}

export async function runRaftMonitorBench(print: (line: string) => void): Promise<void> {
  run(200_000, 3, 1000); // warm-up: let the JIT settle before measuring
  for (const nodes of [3, 5]) {
    const steps = 200_000;
    const ms = run(steps, nodes, 1000);
    print(`raft monitor, ${nodes} nodes, logs up to 1000 entries: ${steps} observations in ${ms.toFixed(0)} ms = ${((ms * 1000) / steps).toFixed(2)} us per observation`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runRaftMonitorBench((line) => console.log(line));
}
