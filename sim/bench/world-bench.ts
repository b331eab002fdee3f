// Benchmarks of the simulated world itself: delivered events per second for the bare scheduler
// and network (5 nodes relaying messages, no trace), and memory over a 10-million-event run whose
// trace is streamed to a file. Reads real time, which only a benchmark may do.

import { getHeapStatistics } from 'node:v8';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { World } from '../world';
import { DEFAULT_NETWORK } from '../net/network';
import { FileSink } from '../trace/file-sink';
import type { TraceSink } from '../trace/trace';
import { RelayProcess, type RelayMessage } from '../testing/relay-process';

function relayWorld(seed: number, traceSinks: readonly TraceSink[]): World<RelayMessage> {
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const world = new World<RelayMessage>({
    seed,
    processes: ids.map((id) => ({ id, role: 'server', hasDisk: false })),
    network: DEFAULT_NETWORK,
    restartDelayUs: 0,
    pausedInboxMax: 1,
    traceSinks,
  });
  for (const id of ids) {
    const peers = ids.filter((p) => p !== id);
    world.define(id, ({ random }) => new RelayProcess(peers, 200, random));
    world.start(id);
  }
  return world;
}

function heapMiB(): number {
  return getHeapStatistics().used_heap_size / (1 << 20);
}

/** Runs `events` events in slices, sampling the heap; returns the events per second and heap samples. */
function measure(world: World<RelayMessage>, events: number, samples: number): { eventsPerSec: number; heapMiB: number[] } {
  const heaps: number[] = [];
  const slice = Math.ceil(events / samples);
  const start = process.hrtime.bigint(); // wall-clock-ok
  let done = 0;
  while (done < events) {
    done += world.runUntilIdle(Math.min(slice, events - done));
    heaps.push(heapMiB());
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9; // wall-clock-ok
  return { eventsPerSec: done / seconds, heapMiB: heaps };
}

export async function runWorldBench(print: (line: string) => void): Promise<void> {
  // Warm the JIT, then measure the bare loop.
  measure(relayWorld(1, []), 500_000, 1);
  const bare = measure(relayWorld(2, []), 10_000_000, 10);
  print(`world: bare scheduler + network, 5 nodes, 1000 messages in flight, no trace: ${(bare.eventsPerSec / 1e6).toFixed(2)} M delivered events/s, peak heap ${Math.max(...bare.heapMiB).toFixed(1)} MiB`);

  const dir = mkdtempSync(join(tmpdir(), 'loom-bench-'));
  try {
    const path = join(dir, 'trace.jsonl');
    const sink = new FileSink(path);
    const world = relayWorld(3, [sink]);
    const streamed = measure(world, 10_000_000, 10);
    world.close();
    const sizeMiB = statSync(path).size / (1 << 20);
    const h = streamed.heapMiB;
    print(`world: 10 M events with the trace streamed to a file (${sizeMiB.toFixed(0)} MiB, ${world.trace.length} records): ${(streamed.eventsPerSec / 1e6).toFixed(2)} M events/s; heap after each 1 M events (MiB): ${h.map((x) => x.toFixed(0)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runWorldBench((line) => console.log(line));
}
