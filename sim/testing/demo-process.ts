// A small process that exercises every part of the simulated world before the cache node lives in
// it: it reads its disk on start, pings its peers on a local-time timer, answers pings, appends
// one byte per pong to a log and fsyncs it, reports how much is durable, answers the environment,
// and crashes itself when an fsync fails (never retrying fsync over dropped pages). Used by the
// world's tests, the determinism proofs and the benchmark. Not part of the product.

import type { DiskResult, HostEffect, HostInput, NodeId, Process } from '../../src/host/contract';
import type { Random } from '../../src/util/random';
import { assert } from '../../src/util/assert';

export type DemoMessage = { readonly type: 'ping'; readonly seq: number } | { readonly type: 'pong'; readonly seq: number };
export type DemoRequest = { readonly type: 'read' };
export interface DemoOutput {
  readonly pongsSeen: number;
  readonly durableBytes: number;
  readonly recoveredBytes: number;
}

export interface DemoOptions {
  readonly peers: readonly NodeId[];
  readonly tickUs: number;
  /** Whether pongs are written to disk (false: a pure message exerciser for the benchmark). */
  readonly persist: boolean;
  /** Random extra delay in [0, jitterUs] added to each tick, drawn from the process's Random. */
  readonly jitterUs: number;
}

const LOG = 'demo/pongs.log';

export class DemoProcess implements Process<DemoMessage, DemoRequest, DemoOutput> {
  private seq = 0;
  private pongsSeen = 0;
  private recoveredBytes = 0;
  /** Bytes appended and not yet known durable; bytes known durable. */
  private appendedBytes = 0;
  private durableBytes = 0;
  private nextOpId = 1;
  private readonly pendingOps = new Map<number, 'readAll' | 'create' | 'fsyncDir' | 'append' | 'fsync'>();
  private ready = false;

  constructor(
    readonly id: NodeId,
    private readonly options: DemoOptions,
    private readonly random: Random,
  ) {
    assert(options.tickUs > 0, 'tickUs must be positive');
  }

  step(input: HostInput<DemoMessage, DemoRequest>): HostEffect<DemoMessage, DemoOutput>[] {
    switch (input.kind) {
      case 'start':
        if (!this.options.persist) {
          this.ready = true;
          return [this.nextTick(input.nowUs)];
        }
        return [this.disk('readAll', { op: 'readAll', path: LOG })];
      case 'timer': {
        const out: HostEffect<DemoMessage, DemoOutput>[] = [this.nextTick(input.nowUs)];
        for (const peer of this.options.peers) out.push({ kind: 'send', to: peer, message: { type: 'ping', seq: this.seq++ } });
        return out;
      }
      case 'message':
        if (input.message.type === 'ping') return [{ kind: 'send', to: input.from, message: { type: 'pong', seq: input.message.seq } }];
        this.pongsSeen++;
        if (!this.options.persist || !this.ready) return [];
        this.appendedBytes++;
        return [this.disk('append', { op: 'append', path: LOG, data: new Uint8Array([this.pongsSeen & 0xff]) }), this.disk('fsync', { op: 'fsync', path: LOG })];
      case 'disk':
        return this.onDisk(input.opId, input.result, input.nowUs);
      case 'external':
        return [{ kind: 'output', output: { pongsSeen: this.pongsSeen, durableBytes: this.durableBytes, recoveredBytes: this.recoveredBytes } }];
    }
  }

  private onDisk(opId: number, result: DiskResult, nowUs: number): HostEffect<DemoMessage, DemoOutput>[] {
    const kind = this.pendingOps.get(opId);
    assert(kind !== undefined, `completion for unknown disk op ${opId}`);
    this.pendingOps.delete(opId);
    switch (kind) {
      case 'readAll':
        if (result.ok) {
          this.recoveredBytes = result.data?.length ?? 0;
          this.appendedBytes = this.durableBytes = this.recoveredBytes;
          this.ready = true;
          return [{ kind: 'note', event: 'recovered', fields: { bytes: this.recoveredBytes } }, this.nextTick(nowUs)];
        }
        // No log yet: create it and make its directory entry durable before using it.
        return [this.disk('create', { op: 'create', path: LOG }), this.disk('fsyncDir', { op: 'fsyncDir', dir: 'demo' })];
      case 'create':
        assert(result.ok, `create failed: ${result.ok ? '' : result.code}`);
        return [];
      case 'fsyncDir':
        if (!result.ok) return [{ kind: 'halt', mode: 'restart', reason: `fsyncDir ${result.code}` }];
        this.ready = true;
        return [{ kind: 'note', event: 'recovered', fields: { bytes: 0 } }, this.nextTick(nowUs)];
      case 'append':
        if (!result.ok) return [{ kind: 'halt', mode: 'restart', reason: `append ${result.code}` }];
        return [];
      case 'fsync':
        // The dirty pages are gone after a failed fsync: retrying would "succeed" over lost data.
        if (!result.ok) return [{ kind: 'halt', mode: 'restart', reason: `fsync ${result.code}` }];
        this.durableBytes = this.appendedBytes;
        return [{ kind: 'note', event: 'durable', fields: { bytes: this.durableBytes } }];
    }
  }

  private disk(kind: 'readAll' | 'create' | 'fsyncDir' | 'append' | 'fsync', op: Extract<HostEffect<DemoMessage, DemoOutput>, { kind: 'disk' }>['op']): HostEffect<DemoMessage, DemoOutput> {
    const opId = this.nextOpId++;
    this.pendingOps.set(opId, kind);
    return { kind: 'disk', opId, op };
  }

  private nextTick(nowUs: number): HostEffect<DemoMessage, DemoOutput> {
    const jitterUs = this.options.jitterUs > 0 ? this.random.int(this.options.jitterUs + 1) : 0;
    return { kind: 'setTimer', name: 'tick', atLocalUs: nowUs + this.options.tickUs + jitterUs };
  }
}
