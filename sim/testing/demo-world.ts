// Builds a world of demo processes (see demo-process.ts) for tests, determinism proofs and the
// benchmark. Not part of the product.

import type { NodeId } from '../../src/host/contract';
import { DEFAULT_NETWORK, type NetworkConfig } from '../net/network';
import type { TraceSink } from '../trace/trace';
import type { ClockSettings } from '../clock/node-clock';
import { World } from '../world';
import type { SimDisk } from '../disk/disk';
import type { Rng } from '../rng/streams';
import { DemoProcess, type DemoMessage, type DemoOutput, type DemoRequest } from './demo-process';

export interface DemoWorldOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly network?: NetworkConfig;
  readonly tickUs?: number;
  readonly jitterUs?: number;
  readonly clocks?: readonly ClockSettings[];
  readonly traceSinks?: readonly TraceSink[];
  readonly makeDisk?: (id: NodeId, rng: Rng) => SimDisk;
}

export type DemoWorld = World<DemoMessage, DemoRequest, DemoOutput>;

export function demoNodeIds(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/** A world of `nodes` demo processes pinging each other, all started at true time 0. */
export function buildDemoWorld(options: DemoWorldOptions): DemoWorld {
  const ids = demoNodeIds(options.nodes);
  const persist = options.makeDisk !== undefined;
  const world: DemoWorld = new World({
    seed: options.seed,
    processes: ids.map((id, i) => ({ id, role: 'server' as const, hasDisk: persist, ...(options.clocks?.[i] ? { clock: options.clocks[i] } : {}) })),
    network: options.network ?? DEFAULT_NETWORK,
    restartDelayUs: 50_000,
    pausedInboxMax: 10_000,
    traceSinks: options.traceSinks ?? [],
    ...(options.makeDisk ? { makeDisk: options.makeDisk } : {}),
  });
  for (const id of ids) {
    const peers = ids.filter((p) => p !== id);
    world.define(id, ({ random }) => new DemoProcess(id, { peers, tickUs: options.tickUs ?? 10_000, persist, jitterUs: options.jitterUs ?? 100 }, random));
  }
  for (const id of ids) world.start(id);
  return world;
}
