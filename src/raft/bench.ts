// Benchmark of the pure Raft core: inputs stepped per second on a realistic mix for a 3-node
// cluster (client proposals and reads at the leader, AppendEntries and responses, heartbeats,
// persistence completions, apply, snapshots), with a lean in-process driver so the figure is the
// core's, not a router's. Runnable directly: `npx tsx src/raft/bench.ts`. Only this file may read
// real time, and each such line is marked.

import { assert } from '../util/assert';
import { defaultRaftConfig } from './config';
import { RaftNode } from './node';
import { SeededRandom } from './testing/random';
import type { NodeId, RaftEffect, RaftInput, RaftMessage } from './types';

interface Figures {
  readonly inputs: number;
  readonly committed: number;
  readonly elapsedMs: number;
}

const IDS: NodeId[] = ['n1', 'n2', 'n3'];

/** Runs a steady-state workload for `proposals` client writes; returns how many inputs the cores stepped. */
function workload(proposals: number, payloadBytes: number): Figures {
  const config = defaultRaftConfig(IDS, { snapshotThresholdEntries: 1000, pendingProposalsMax: 4096 });
  const nodes = new Map<NodeId, RaftNode>();
  for (const [i, id] of IDS.entries()) {
    nodes.set(id, new RaftNode(id, config, { term: 0, votedFor: null, commitIndex: 0, snapshot: null, entries: [] }, new SeededRandom(i + 1)));
  }
  const queue: { from: NodeId; to: NodeId; message: RaftMessage }[] = [];
  let head = 0;
  let inputs = 0;
  let committed = 0;
  let nowUs = 0;
  const pending: { id: NodeId; input: RaftInput }[] = [];

  const step = (id: NodeId, input: RaftInput): void => {
    const node = nodes.get(id);
    assert(node !== undefined, 'bench: node');
    inputs++;
    const { effects } = node.step(input);
    handle(id, effects);
  };
  const handle = (id: NodeId, effects: readonly RaftEffect[]): void => {
    for (const e of effects) {
      if (e.kind === 'send') queue.push({ from: id, to: e.to, message: e.message });
      else if (e.kind === 'persistState' || e.kind === 'appendLog' || e.kind === 'saveSnapshot') pending.push({ id, input: { kind: 'persisted', syncId: e.syncId, nowUs } });
      else if (e.kind === 'apply' && id === 'n1') committed += e.entries.length;
      else if (e.kind === 'takeSnapshot') pending.push({ id, input: { kind: 'snapshotTaken', lastIndex: e.upToIndex, lastTerm: termOf(id, e.upToIndex), data: new Uint8Array(256), nowUs } });
    }
  };
  const termOf = (id: NodeId, index: number): number => {
    const t = nodes.get(id)?.log.termAt(index);
    assert(t !== undefined, 'bench: snapshot term');
    return t;
  };
  const drain = (): void => {
    for (let k = 0; k < 1_000_000 && (head < queue.length || pending.length > 0); k++) {
      const p = pending.shift();
      if (p !== undefined) {
        step(p.id, { ...p.input, nowUs });
        continue;
      }
      const m = queue[head++];
      assert(m !== undefined, 'bench: message');
      step(m.to, { kind: 'receive', from: m.from, message: m.message, nowUs });
    }
    queue.length = 0;
    head = 0;
  };

  for (const id of IDS) step(id, { kind: 'start', nowUs });
  nowUs = 300_000;
  step('n1', { kind: 'timerFired', timer: 'election', nowUs });
  drain();
  assert(nodes.get('n1')?.inspect().role === 'leader', 'bench: n1 leads');
  const payload = new Uint8Array(payloadBytes);
  const started = performance.now(); // wall-clock-ok
  for (let i = 0; i < proposals; i++) {
    nowUs += 100;
    step('n1', { kind: 'propose', requestId: `w${i}`, data: payload, nowUs });
    if (i % 4 === 0) step('n1', { kind: 'read', requestId: `r${i}`, mode: i % 8 === 0 ? 'lease' : 'read-index', nowUs });
    if (i % 300 === 0) step('n1', { kind: 'timerFired', timer: 'heartbeat', nowUs });
    // Deliver in small batches, as a network would: several proposals share an append.
    if (i % 8 === 7) drain();
  }
  drain();
  const elapsedMs = performance.now() - started; // wall-clock-ok
  return { inputs, committed, elapsedMs };
}

export async function runRaftBench(print: (line: string) => void): Promise<void> {
  workload(50_000, 64); // warm-up: let the JIT settle before measuring
  for (const payloadBytes of [64, 1024]) {
    // The median of three runs: garbage collection makes single runs noisy.
    const runs = [workload(50_000, payloadBytes), workload(50_000, payloadBytes), workload(50_000, payloadBytes)];
    const f = runs.sort((a, b) => a.elapsedMs - b.elapsedMs)[1];
    assert(f !== undefined, 'bench: a median run');
    const perSec = Math.round((f.inputs / f.elapsedMs) * 1000);
    const entriesPerSec = Math.round((f.committed / f.elapsedMs) * 1000);
    print(`raft core, 3 nodes, ${payloadBytes} B commands (median of 3): ${f.inputs} inputs in ${f.elapsedMs.toFixed(0)} ms = ${grouped(perSec)} inputs/s (${f.committed} entries applied on the leader, ${grouped(entriesPerSec)}/s)`);
  }
}

/** 1234567 -> "1 234 567", the same on every machine. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runRaftBench((line) => console.log(line));
}
