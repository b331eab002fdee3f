// A tiny host for RaftStorage in tests and benchmarks: it applies the DiskOps storage returns to
// a disk in issue order, at once, and feeds the completions back (first in, first out, or in an
// order drawn from a Random), collecting what storage reports. It can stop after a number of
// disk operations, as a crash would. Test support: product code must never import this file.

import type { DiskOp, DiskResult } from '../../host/contract';
import type { DurableState } from '../../raft/types';
import type { Random } from '../../util/random';
import type { PersistEffect, RaftStorage, StorageOutput } from '../storage';

export class StorageDriver {
  readonly persisted: number[] = [];
  readonly failed: { syncId: number; reason: string }[] = [];
  readonly notes: { event: string; fields: Record<string, unknown> }[] = [];
  readonly ops: DiskOp[] = [];
  recovered: DurableState | null = null;
  identity: string | null = null;
  identityWritten: string | null = null;
  failClosed: string | null = null;
  restart: string | null = null;
  /** True once opsLimit operations ran: the disk is "off" and nothing more is delivered. */
  stopped = false;
  private readonly completions: { opId: number; result: DiskResult }[] = [];

  constructor(
    readonly storage: RaftStorage,
    private readonly execute: (op: DiskOp) => DiskResult,
    private readonly opsLimit = Number.MAX_SAFE_INTEGER,
    private readonly random: Random | null = null,
  ) {}

  get opsExecuted(): number {
    return this.ops.length;
  }

  /** start(), then run until recovery ends or the disk stops. */
  start(): this {
    this.absorb(this.storage.start());
    this.pump();
    return this;
  }

  writeIdentity(raftId: string): void {
    if (this.stopped) return;
    this.absorb(this.storage.writeIdentity(raftId));
    this.pump();
  }

  persist(effect: PersistEffect): void {
    if (this.stopped) return;
    this.absorb(this.storage.persist(effect));
  }

  /** Delivers completions until none is left (or the disk stopped). Bounded by deliveriesMax. */
  pump(deliveriesMax = 1_000_000): void {
    for (let i = 0; i < deliveriesMax && !this.stopped && this.completions.length > 0; i++) this.deliverOne();
  }

  /** Delivers one completion, if any. */
  deliverOne(): boolean {
    if (this.stopped || this.completions.length === 0) return false;
    const index = this.random === null ? 0 : this.random.int(this.completions.length);
    const [next] = this.completions.splice(index, 1);
    if (next === undefined) return false;
    this.absorb(this.storage.diskDone(next.opId, next.result));
    return true;
  }

  get idle(): boolean {
    return this.completions.length === 0;
  }

  private absorb(out: StorageOutput): void {
    for (const { opId, op } of out.disk) {
      if (this.ops.length >= this.opsLimit) {
        this.stopped = true;
        break;
      }
      this.ops.push(op);
      this.completions.push({ opId, result: this.execute(op) });
    }
    this.persisted.push(...out.persisted);
    this.failed.push(...out.failed);
    this.notes.push(...out.notes);
    if (out.recovered !== null) {
      this.recovered = out.recovered;
      this.identity = out.identity;
    }
    if (out.identityWritten !== null) this.identityWritten = out.identityWritten;
    if (out.failClosed !== null) this.failClosed = out.failClosed;
    if (out.restart !== null) this.restart = out.restart;
  }
}
