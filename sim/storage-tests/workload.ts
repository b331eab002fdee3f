// A small scripted Raft persistence workload for storage's crash and fault tests, the model of
// what its acknowledgements promise, and the check of a recovered state against that model.
// Test support for sim/storage-tests only.

import { expect } from 'vitest';
import type { DiskCrashConfig } from '../disk/config';
import { validateDiskConfig } from '../disk/config';
import { SimDisk } from '../disk/disk';
import { Rng } from '../rng/streams';
import type { DurableState, LogEntry } from '../../src/raft/types';
import { DEFAULT_STORAGE_CONFIG } from '../../src/storage/config';
import type { StorageConfig } from '../../src/storage/config';
import { RaftStorage } from '../../src/storage/storage';
import type { PersistEffect } from '../../src/storage/storage';
import { StorageDriver } from '../../src/storage/testing/driver';
import { appendLog, entries, persistState, saveSnapshot } from '../../src/storage/testing/fixtures';

/** Small segments so the script rotates, trims and crosses segment boundaries. */
export const SMALL_SEGMENTS: StorageConfig = { ...DEFAULT_STORAGE_CONFIG, segmentBytesMax: 300, recordBytesTarget: 96 };

/**
 * A follower's life: votes in two terms, appends, a conflicting suffix truncated, a local
 * snapshot (log kept), an installed snapshot that replaces a conflicting log, more appends.
 * Committed entries are never truncated, as the Raft core guarantees.
 */
export function followerScript(): PersistEffect[] {
  return [
    persistState(1, 1, 'n1', 0),
    appendLog(2, entries(1, 3, 1)),
    persistState(3, 1, 'n1', 2),
    appendLog(4, entries(4, 6, 1)),
    appendLog(5, entries(7, 8, 1)),
    persistState(6, 1, 'n1', 5),
    persistState(7, 2, 'n2', 5),
    appendLog(8, entries(7, 9, 2), 7),
    persistState(9, 2, 'n2', 8),
    saveSnapshot(10, 6, 1, true),
    appendLog(11, entries(10, 14, 2)),
    persistState(12, 2, 'n2', 12),
    saveSnapshot(13, 20, 3, false),
    persistState(14, 3, null, 20),
    appendLog(15, entries(21, 24, 3)),
    persistState(16, 3, null, 23),
    saveSnapshot(17, 22, 3, true),
    appendLog(18, entries(25, 27, 3)),
    persistState(19, 4, 'n3', 26),
  ];
}

export function makeSimDisk(seed: string, overrides: unknown = {}): SimDisk {
  const checked = validateDiskConfig(overrides);
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  return new SimDisk(checked.config, new Rng(seed));
}

export function driverOn(disk: SimDisk, opsLimit = Number.MAX_SAFE_INTEGER, order: Rng | null = null, config = SMALL_SEGMENTS): StorageDriver {
  return new StorageDriver(new RaftStorage(config), (op) => disk.execute(op).result, opsLimit, order);
}

/**
 * Runs the script through a started driver: up to `window` requests outstanding at a time, so
 * requests arrive while rounds are in flight and group commit has something to group.
 */
export function runScript(driver: StorageDriver, script: readonly PersistEffect[], window = 3): void {
  let next = 0;
  // Bound: every iteration issues a request or delivers a completion; both are finite.
  for (let guard = 0; guard < 100_000; guard++) {
    while (next < script.length && next - (driver.persisted.length + driver.failed.length) < window && !driver.stopped) {
      driver.persist(script[next] as PersistEffect);
      next += 1;
    }
    if (!driver.deliverOne()) return;
  }
  throw new Error('runScript did not settle');
}

/** What the acknowledged requests promise about any later recovery. */
export interface Promises {
  readonly term: number;
  readonly votedFor: string | null;
  readonly commitIndex: number;
  readonly snapshotIndex: number;
  /** The entry the model log holds at each index that is committed. */
  readonly committed: ReadonlyMap<number, LogEntry>;
}

export function promisesOf(script: readonly PersistEffect[], acked: readonly number[]): Promises {
  const ackedSet = new Set(acked);
  const log = new Map<number, LogEntry>();
  let term = 0;
  let votedFor: string | null = null;
  let commitIndex = 0;
  let snapshotIndex = 0;
  for (const effect of script) {
    if (effect.kind === 'appendLog') {
      if (effect.truncateFrom !== null) for (const index of [...log.keys()]) if (index >= effect.truncateFrom) log.delete(index);
      for (const e of effect.entries) log.set(e.index, e);
    }
    if (!ackedSet.has(effect.syncId)) continue;
    if (effect.kind === 'persistState') {
      term = effect.term;
      votedFor = effect.votedFor;
      commitIndex = Math.max(commitIndex, effect.commitIndex);
    } else if (effect.kind === 'saveSnapshot') {
      snapshotIndex = Math.max(snapshotIndex, effect.meta.lastIndex);
      commitIndex = Math.max(commitIndex, effect.meta.lastIndex);
    }
  }
  const committed = new Map<number, LogEntry>();
  for (let i = 1; i <= commitIndex; i++) {
    const e = log.get(i);
    if (e !== undefined) committed.set(i, e);
  }
  return { term, votedFor, commitIndex, snapshotIndex, committed };
}

/** Every issued entry, by index: a recovered entry must be one of them. */
export function issuedEntries(script: readonly PersistEffect[]): Map<number, LogEntry[]> {
  const out = new Map<number, LogEntry[]>();
  for (const effect of script) {
    if (effect.kind !== 'appendLog') continue;
    for (const e of effect.entries) out.set(e.index, [...(out.get(e.index) ?? []), e]);
  }
  return out;
}

/** No acknowledged vote, term, commit, snapshot or committed entry is lost, and nothing appears that was never written. */
export function expectKeeps(state: DurableState, promises: Promises, issued: Map<number, LogEntry[]>, context: string): void {
  expect(state.term, `${context}: term`).toBeGreaterThanOrEqual(promises.term);
  if (state.term === promises.term && promises.votedFor !== null) expect(state.votedFor, `${context}: vote in term ${state.term}`).toBe(promises.votedFor);
  const snapIndex = state.snapshot?.meta.lastIndex ?? 0;
  expect(snapIndex, `${context}: snapshot index`).toBeGreaterThanOrEqual(promises.snapshotIndex);
  const lastIndex = snapIndex + state.entries.length;
  expect(Math.max(state.commitIndex, snapIndex), `${context}: commit index`).toBeGreaterThanOrEqual(promises.commitIndex);
  expect(lastIndex, `${context}: log end covers the commit`).toBeGreaterThanOrEqual(promises.commitIndex);
  for (const [index, e] of promises.committed) {
    if (index <= snapIndex) continue;
    const got = state.entries[index - snapIndex - 1];
    expect(got === undefined ? null : entryKey(got), `${context}: committed entry ${index}`).toBe(entryKey(e));
  }
  for (const got of state.entries) {
    const candidates = (issued.get(got.index) ?? []).map(entryKey);
    expect(candidates, `${context}: recovered entry ${got.index} was written`).toContain(entryKey(got));
  }
}

export function entryKey(e: LogEntry): string {
  return `${e.index}/${e.term}/${e.kind}/${new TextDecoder().decode(e.data)}`;
}

export const CRASH_POLICIES: readonly { name: string; policy: DiskCrashConfig }[] = [
  { name: 'lose every unsynced write', policy: { keepUnsynced: 0, tearUnsynced: 0 } },
  { name: 'keep every unsynced write', policy: { keepUnsynced: 1, tearUnsynced: 0 } },
  { name: 'tear every unsynced write', policy: { keepUnsynced: 0, tearUnsynced: 1 } },
  { name: 'keep, tear or lose each (seeded)', policy: { keepUnsynced: 0.4, tearUnsynced: 0.3 } },
];
