// What the replica needs of its storage: a deterministic state machine that turns the Raft core's
// persistence effects into disk operations, reports which persists are durable, and recovers the
// durable state on start. src/storage's RaftStorage is the real one (a WAL on the node's disk);
// MemoryStorage is a perfect in-memory stand-in for tests that are about Raft alone.

import type { DiskOp, DiskResult } from '../host/contract';
import type { DurableState, RaftEffect } from '../raft/types';

export type PersistEffect = Extract<RaftEffect, { kind: 'persistState' | 'appendLog' | 'saveSnapshot' }>;

export interface StorageOutput {
  /** Disk operations to issue, in order. */
  readonly disk: readonly { readonly opId: number; readonly op: DiskOp }[];
  /** syncIds now durable, in the order they were given. */
  readonly persisted: readonly number[];
  /** syncIds that can never become durable: the node must halt and recover. */
  readonly failed: readonly { readonly syncId: number; readonly reason: string }[];
  /** Recovery finished with this state. */
  readonly recovered: DurableState | null;
  /** Recovery found damage: the node must refuse to start, for this precise reason. */
  readonly failClosed: string | null;
  readonly notes: readonly { readonly event: string; readonly fields: Readonly<Record<string, string | number | boolean | null>> }[];
}

export interface StoragePort {
  start(): StorageOutput;
  persist(effect: PersistEffect): StorageOutput;
  diskDone(opId: number, result: DiskResult): StorageOutput;
}
