// Benchmark of the simulated disk: WAL-style appends per second (no fsync, group commit, fsync
// per append), and whether an append stays O(its bytes) as the file grows. Reads real time,
// which only a benchmark may do. Run alone: `npx tsx sim/disk/disk-bench.ts`; or export
// runDiskBench to sim/bench/main.ts as the "disk" benchmark.

import { pathToFileURL } from 'node:url';
import { Rng } from '../rng/streams';
import { DEFAULT_DISK_CONFIG } from './config';
import { SimDisk } from './disk';

const RECORD_BYTES = 64;

export async function runDiskBench(print: (line: string) => void): Promise<void> {
  const record = new Uint8Array(RECORD_BYTES).fill(0xab);
  const cases: { name: string; appends: number; syncEvery: number }[] = [
    { name: 'append, fsync at the end', appends: 1_000_000, syncEvery: 0 },
    { name: 'append, fsync every 64 (group commit)', appends: 1_000_000, syncEvery: 64 },
    { name: 'append, fsync every append', appends: 1_000_000, syncEvery: 1 },
  ];
  for (const c of cases) {
    // A fresh disk per repetition; the median of three damps a busy machine's noise.
    const rates = [0, 1, 2].map(() => appendRate(freshDisk(), record, c.appends, c.syncEvery));
    print(`disk: ${c.name}: ${c.appends} x ${RECORD_BYTES} B, median of 3: ${format(median(rates))} appends/s`);
  }

  // O(bytes): appends into a file already 128 MB long cost what they cost into an empty one.
  // Each disk runs once untimed first, so the one-time doubling of its buffers is not counted.
  const chunk = new Uint8Array(1 << 20);
  for (const [label, preloadChunks] of [['an empty file', 0], ['a 128 MB file', 128]] as const) {
    const disk = freshDisk();
    for (let i = 0; i < preloadChunks; i++) disk.execute({ op: 'append', path: 'wal', data: chunk });
    disk.execute({ op: 'fsync', path: 'wal' });
    appendRate(disk, record, 200_000, 64);
    const rates = [0, 1, 2].map(() => appendRate(disk, record, 200_000, 64));
    print(`disk: group commit into ${label}: median of 3: ${format(median(rates))} appends/s`);
  }
}

/** Appends per second of `appends` records, with an fsync every `syncEvery` (0: once at the end). */
function appendRate(disk: SimDisk, record: Uint8Array, appends: number, syncEvery: number): number {
  const startMs = performance.now(); // wall-clock-ok
  for (let i = 1; i <= appends; i++) {
    disk.execute({ op: 'append', path: 'wal', data: record });
    if (syncEvery > 0 && i % syncEvery === 0) disk.execute({ op: 'fsync', path: 'wal' });
  }
  disk.execute({ op: 'fsync', path: 'wal' });
  const elapsedMs = performance.now() - startMs; // wall-clock-ok
  return (appends / elapsedMs) * 1000;
}

function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function freshDisk(): SimDisk {
  const disk = new SimDisk({ ...DEFAULT_DISK_CONFIG, capacityBytes: 2 ** 32 }, new Rng('disk-bench'));
  disk.execute({ op: 'create', path: 'wal' });
  return disk;
}

/** 1234567.8 -> "1,234,568" (by hand: locale formatting may differ between machines). */
function format(perSecond: number): string {
  return String(Math.round(perSecond)).replace(/\B(?=(\d{3})+$)/g, ',');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDiskBench((line) => process.stdout.write(`${line}\n`));
}
