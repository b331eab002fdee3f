// Small builders for storage tests: entries, persist effects, and a fresh storage on a MemDisk.
// Test support: product code must never import this file.

import type { Configuration, LogEntry } from '../../raft/types';
import { DEFAULT_STORAGE_CONFIG } from '../config';
import type { StorageConfig } from '../config';
import { RaftStorage } from '../storage';
import type { PersistEffect } from '../storage';
import { StorageDriver } from './driver';
import { MemDisk } from './mem-disk';

export const CONFIG_3: Configuration = { voters: ['n1', 'n2', 'n3'], votersOld: null, learners: [] };

export function entry(index: number, term: number, text = `cmd-${index}-${term}`): LogEntry {
  return { index, term, kind: 'command', data: new TextEncoder().encode(text), config: null };
}

export function entries(from: number, to: number, term: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term));
  return out;
}

export function appendLog(syncId: number, list: LogEntry[], truncateFrom: number | null = null): PersistEffect {
  return { kind: 'appendLog', syncId, truncateFrom, entries: list };
}

export function persistState(syncId: number, term: number, votedFor: string | null, commitIndex: number): PersistEffect {
  return { kind: 'persistState', syncId, term, votedFor, commitIndex };
}

export function saveSnapshot(syncId: number, lastIndex: number, lastTerm: number, retainLog: boolean, text = `image@${lastIndex}`): PersistEffect {
  return { kind: 'saveSnapshot', syncId, meta: { lastIndex, lastTerm, config: CONFIG_3 }, data: new TextEncoder().encode(text), retainLog };
}

/** A storage on `disk` (fresh if not given), started and recovered. */
export function startOn(disk = new MemDisk(), config: Partial<StorageConfig> = {}): { disk: MemDisk; driver: StorageDriver } {
  const storage = new RaftStorage({ ...DEFAULT_STORAGE_CONFIG, ...config });
  const driver = new StorageDriver(storage, (op) => disk.execute(op)).start();
  return { disk, driver };
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}
