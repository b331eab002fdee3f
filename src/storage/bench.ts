// Storage benchmark: the CPU cost of the WAL (framing, checksums, group commit bookkeeping) and
// of recovery, measured against the in-memory disk so the disk itself costs next to nothing.
// Prints appends and bytes per second with group commit, and the time to recover a 100 000-entry
// log. Run: npx tsx src/storage/bench.ts. The only module in src/storage that reads real time,
// and only to measure (each such line is marked).

import type { LogEntry } from '../raft/types';
import { DEFAULT_STORAGE_CONFIG } from './config';
import { crc32c } from './crc32c';
import { RaftStorage } from './storage';
import { StorageDriver } from './testing/driver';
import { MemDisk } from './testing/mem-disk';

const APPENDS = 200_000;
const PAYLOAD_BYTES = 100;
/** Requests queued behind each round: what a busy leader hands storage between fsyncs. */
const QUEUED_PER_ROUND = 256;
const RECOVERY_ENTRIES = 100_000;

export async function runStorageBench(print: (line: string) => void): Promise<void> {
  benchCrc(print);
  benchAppends(print);
  benchRecovery(print);
  await Promise.resolve();
}

function benchCrc(print: (line: string) => void): void {
  const data = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
  const rounds = 64;
  const started = performance.now(); // wall-clock-ok
  let sink = 0;
  for (let i = 0; i < rounds; i++) sink = (sink + crc32c(data)) >>> 0;
  const seconds = (performance.now() - started) / 1000; // wall-clock-ok
  print(`storage crc32c: ${fmt((rounds * data.length) / seconds / 1e6)} MB/s (checksum ${sink >>> 0})`);
}

function benchAppends(print: (line: string) => void): void {
  const disk = new MemDisk();
  const driver = new StorageDriver(new RaftStorage(DEFAULT_STORAGE_CONFIG), (op) => disk.execute(op)).start();
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(7);
  let syncId = 0;
  let index = 0;
  const started = performance.now(); // wall-clock-ok
  // Bound: APPENDS / QUEUED_PER_ROUND batches.
  while (index < APPENDS) {
    for (let i = 0; i < QUEUED_PER_ROUND && index < APPENDS; i++) {
      index += 1;
      syncId += 1;
      const entry: LogEntry = { index, term: 1, kind: 'command', data: payload, config: null };
      driver.persist({ kind: 'appendLog', syncId, truncateFrom: null, entries: [entry] });
    }
    driver.pump();
  }
  const seconds = (performance.now() - started) / 1000; // wall-clock-ok
  if (driver.persisted.length !== APPENDS) throw new Error(`bench: ${driver.persisted.length} of ${APPENDS} appends acknowledged`);
  const walBytes = driver.ops.reduce((sum, op) => sum + (op.op === 'write' && op.path.startsWith('wal/') ? op.data.length : 0), 0);
  const fsyncs = driver.ops.filter((op) => op.op === 'fsync').length;
  print(
    `storage WAL appends: ${fmt(APPENDS / seconds)} appends/s, ${fmt(walBytes / seconds / 1e6)} MB/s of WAL ` +
      `(${APPENDS} appends of ${PAYLOAD_BYTES}-byte entries, ${fsyncs} fsyncs, ${fmt(APPENDS / fsyncs)} appends per fsync, ` +
      `${fmt(walBytes / APPENDS)} WAL bytes per append)`,
  );
}

function benchRecovery(print: (line: string) => void): void {
  const disk = new MemDisk();
  const writer = new StorageDriver(new RaftStorage(DEFAULT_STORAGE_CONFIG), (op) => disk.execute(op)).start();
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(3);
  const batch = 1000;
  for (let from = 1, syncId = 1; from <= RECOVERY_ENTRIES; from += batch, syncId++) {
    const list: LogEntry[] = [];
    for (let i = from; i < from + batch; i++) list.push({ index: i, term: 1, kind: 'command', data: payload, config: null });
    writer.persist({ kind: 'appendLog', syncId, truncateFrom: null, entries: list });
    writer.pump();
  }
  writer.persist({ kind: 'persistState', syncId: RECOVERY_ENTRIES, term: 1, votedFor: 'n1', commitIndex: RECOVERY_ENTRIES });
  writer.pump();
  const walBytes = [...disk.files].reduce((sum, [path, data]) => sum + (path.startsWith('wal/') ? data.length : 0), 0);
  const segments = [...disk.files.keys()].filter((p) => p.startsWith('wal/')).length;

  const started = performance.now(); // wall-clock-ok
  const reader = new StorageDriver(new RaftStorage(DEFAULT_STORAGE_CONFIG), (op) => disk.execute(op)).start();
  const ms = performance.now() - started; // wall-clock-ok
  const recovered = reader.recovered;
  if (recovered === null || recovered.entries.length !== RECOVERY_ENTRIES) throw new Error('bench: recovery did not return the whole log');
  print(
    `storage recovery: ${fmt(ms)} ms for a ${RECOVERY_ENTRIES}-entry log ` +
      `(${fmt(walBytes / 1e6)} MB in ${segments} segments, ${fmt(RECOVERY_ENTRIES / (ms / 1000))} entries/s)`,
  );
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void runStorageBench((line) => console.log(line));
}
