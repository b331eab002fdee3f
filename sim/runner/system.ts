// The system under test, as the runner sees it: which processes it has, how to install them in a
// world, and which checks judge a finished run. The cache node cluster is one such system; the
// demo system below exercises the world until the cache node exists (and stays as a fast sanity
// check of the simulator itself).

import type { NodeId } from '../../src/host/contract';
import type { TraceKind, TraceRecord } from '../trace/trace';
import type { ProcessSpec, World } from '../world';
import type { Verdict } from './artifact';
import type { ClusterShape } from '../../scenarios/scenario';
import type { OperatorAction } from '../nemesis/schedule';
import { DemoProcess, type DemoMessage, type DemoOutput, type DemoRequest } from '../testing/demo-process';

export interface SystemUnderTest<M, X, O> {
  readonly name: string;
  /**
   * How long a fault-free period the run must end with for this system's end-of-run checks to be
   * judged, for a cluster of this many servers (default HEAL_PERIOD_US). Scenarios end their
   * faults that long before the end (ClusterShape.quietUs).
   */
  quietUs?(servers: number): number;
  /** The processes of a cluster with these server ids (clients included). */
  processes(servers: readonly NodeId[]): ProcessSpec[];
  /** Defines and starts every process; hooks workload and observers into the world. */
  install(world: World<M, X, O>, cluster: ClusterShape): void;
  /**
   * The kinds of trace record judge() reads. A run that keeps no trace (a sweep's seed: see
   * runScenario) keeps these alone for it, so the rest of the trace is never held in memory.
   */
  readonly judgeReads: readonly TraceKind[];
  /** The checks of a finished run, from the world and its trace (every record of a judgeReads kind, in order, and perhaps others). */
  judge(world: World<M, X, O>, trace: readonly TraceRecord[]): Verdict[];
  /** The recorded client history (empty for a system without clients). */
  history(): readonly unknown[];
  /** The request that carries out an operator action on a node, if the system has it. */
  operatorRequest?(action: OperatorAction): X | null;
}

/**
 * Demo nodes ping each other and append one byte per pong to a log they fsync. Its check is a
 * small durability check: a node that restarts recovers at least every byte it had reported
 * durable before it went down.
 */
export function demoSystem(): SystemUnderTest<DemoMessage, DemoRequest, DemoOutput> {
  return {
    name: 'demo',
    judgeReads: ['note'],
    processes: (servers) => servers.map((id) => ({ id, role: 'server', hasDisk: true })),
    install(world, { members: servers }) {
      for (const id of servers) {
        const peers = servers.filter((p) => p !== id);
        world.define(id, ({ random }) => new DemoProcess(id, { peers, tickUs: 100_000, persist: true, jitterUs: 10_000 }, random));
        world.start(id);
      }
    },
    judge(_world, trace) {
      const lastDurable = new Map<string, number>();
      const losses: string[] = [];
      for (const r of trace) {
        if (r.kind !== 'note' || r.node === null) continue;
        const bytes = r.fields.bytes as number;
        if (r.fields.event === 'durable') lastDurable.set(r.node, bytes);
        if (r.fields.event === 'recovered') {
          const expected = lastDurable.get(r.node) ?? 0;
          if (bytes < expected) losses.push(`${r.node} at ${r.trueUs} µs recovered ${bytes} bytes, had ${expected} durable`);
          lastDurable.set(r.node, bytes);
        }
      }
      return [
        {
          check: 'demo-durability',
          verdict: losses.length === 0 ? 'pass' : 'fail',
          summary: losses.length === 0 ? 'every restart recovered all bytes reported durable' : `${losses.length} restart(s) lost durable bytes: ${losses[0]}`,
          ...(losses.length > 0 ? { detail: losses } : {}),
        },
      ];
    },
    history: () => [],
  };
}
