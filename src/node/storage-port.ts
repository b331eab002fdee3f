// What the replica needs of its storage: a deterministic state machine that turns the Raft core's
// persistence effects into disk operations, reports which persists are durable, and recovers the
// durable state on start. src/storage's RaftStorage is the real one (a WAL on the node's disk);
// MemoryStorage is a perfect in-memory stand-in for tests that are about Raft alone.

import type { DiskResult } from '../host/contract';
import type { PersistEffect, StorageOutput } from '../storage/storage';

export interface StoragePort {
  start(): StorageOutput;
  persist(effect: PersistEffect): StorageOutput;
  diskDone(opId: number, result: DiskResult): StorageOutput;
  /** Makes the node's Raft id durable (see RaftStorage.writeIdentity). */
  writeIdentity(raftId: string): StorageOutput;
}
