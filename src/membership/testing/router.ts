// Test-only in-memory world for SWIM members: delivers messages with a seeded delay and loss,
// fires timers, and can crash, restart, partition and heal members. Runs in true time (integer
// microseconds) with an optional fixed clock offset per member. Events are ordered by (time,
// insertion sequence), so a seed replays exactly. Never used by product code; sim/ is the real
// world and supersedes this.

import type { NodeId } from '../../host/contract';
import { assert } from '../../util/assert';
import type { Random } from '../../util/random';
import type { SwimConfig } from '../config';
import { SwimMember } from '../swim';
import type { SwimEffect, SwimEvent, SwimInput, SwimMessage, SwimTimer } from '../types';
import { seededRandom } from './random';

export interface RouterOptions {
  readonly ids: readonly NodeId[];
  readonly config: SwimConfig;
  readonly seed: number;
  readonly delayUsMin: number;
  readonly delayUsMax: number;
  /** Probability that a message is lost. */
  readonly lossRate?: number;
  /** Local clock = true time + offset. */
  readonly clockOffsetsUs?: Readonly<Record<NodeId, number>>;
  /** Members each new member is told about; defaults to all ids (a static cluster). */
  readonly initialMembers?: (id: NodeId) => readonly NodeId[];
}

export interface RecordedEvent {
  readonly atUs: number;
  readonly member: NodeId;
  readonly event: SwimEvent;
}

type Pending =
  | { readonly kind: 'deliver'; readonly to: NodeId; readonly from: NodeId; readonly message: SwimMessage }
  | { readonly kind: 'timer'; readonly member: NodeId; readonly timer: SwimTimer; readonly generation: number }
  | { readonly kind: 'input'; readonly member: NodeId; readonly input: 'join' | 'leave' };

interface Queued {
  readonly atUs: number;
  readonly seq: number;
  readonly item: Pending;
}

export class SwimRouter {
  readonly members = new Map<NodeId, SwimMember>();
  readonly events: RecordedEvent[] = [];
  /** Messages handed to the network, by type. */
  readonly sentByType = new Map<string, number>();
  nowUs = 0;
  steps = 0;
  lossRate: number;
  /** Observer of every message handed to the network (for the benchmark). */
  onSend: ((message: SwimMessage) => void) | null = null;
  /** Return true to drop a message from `from` to `to` (a partition). */
  blocked: (from: NodeId, to: NodeId) => boolean = () => false;

  private readonly options: RouterOptions;
  private readonly net: Random;
  private readonly crashed = new Set<NodeId>();
  private readonly timerGenerations = new Map<string, number>();
  private readonly restarts = new Map<NodeId, number>();
  private heap: Queued[] = [];
  private nextSeq = 0;

  constructor(options: RouterOptions) {
    this.options = options;
    this.lossRate = options.lossRate ?? 0;
    this.net = seededRandom(options.seed * 7919 + 17);
    for (const id of options.ids) this.members.set(id, this.build(id));
  }

  /** Schedule a join of every member at true time atUs (staggered by one microsecond each). */
  joinAll(atUs: number): void {
    this.options.ids.forEach((id, i) => this.schedule(atUs + i, { kind: 'input', member: id, input: 'join' }));
  }

  join(id: NodeId, atUs: number): void {
    this.schedule(atUs, { kind: 'input', member: id, input: 'join' });
  }

  leave(id: NodeId, atUs: number): void {
    this.schedule(atUs, { kind: 'input', member: id, input: 'leave' });
  }

  /** Stop a member now: its timers and incoming messages are dropped from here on. */
  crash(id: NodeId): void {
    this.crashed.add(id);
  }

  /** Rebuild a crashed member from nothing (volatile state lost) and join it at atUs. */
  restart(id: NodeId, atUs: number): void {
    assert(this.crashed.has(id), 'restart needs a crashed member');
    this.crashed.delete(id);
    this.restarts.set(id, (this.restarts.get(id) ?? 0) + 1);
    this.members.set(id, this.build(id));
    this.join(id, atUs);
  }

  isCrashed(id: NodeId): boolean {
    return this.crashed.has(id);
  }

  localUs(id: NodeId, trueUs: number = this.nowUs): number {
    return trueUs + (this.options.clockOffsetsUs?.[id] ?? 0);
  }

  member(id: NodeId): SwimMember {
    const m = this.members.get(id);
    assert(m !== undefined, `unknown member ${id}`);
    return m;
  }

  /** Process every queued item due at or before endUs; bounded by maxSteps. */
  runUntil(endUs: number, maxSteps = 10_000_000): void {
    for (let i = 0; i < maxSteps; i++) {
      const top = this.heap[0];
      if (top === undefined || top.atUs > endUs) {
        this.nowUs = Math.max(this.nowUs, endUs);
        return;
      }
      this.pop();
      this.nowUs = top.atUs;
      this.handle(top.item);
    }
    assert(false, `router exceeded ${maxSteps} steps`);
  }

  eventsOf(type: SwimEvent['type']): RecordedEvent[] {
    return this.events.filter((e) => e.event.type === type);
  }

  // -------------------------------------------------------------------------------------------

  private build(id: NodeId): SwimMember {
    const index = this.options.ids.indexOf(id);
    const generation = this.restarts.get(id) ?? 0;
    const initial = this.options.initialMembers ? this.options.initialMembers(id) : this.options.ids;
    return new SwimMember(id, this.options.config, initial, seededRandom(this.options.seed * 1_000_003 + index * 131 + generation * 7 + 1));
  }

  private handle(item: Pending): void {
    switch (item.kind) {
      case 'deliver':
        if (this.crashed.has(item.to)) return;
        this.stepMember(item.to, { kind: 'message', from: item.from, message: item.message, nowUs: this.localUs(item.to) });
        return;
      case 'timer': {
        if (this.crashed.has(item.member)) return;
        if (this.timerGenerations.get(timerKey(item.member, item.timer)) !== item.generation) return;
        this.stepMember(item.member, { kind: 'timerFired', timer: item.timer, nowUs: this.localUs(item.member) });
        return;
      }
      case 'input':
        if (this.crashed.has(item.member)) return;
        this.stepMember(item.member, { kind: item.input, nowUs: this.localUs(item.member) });
        return;
    }
  }

  private stepMember(id: NodeId, input: SwimInput): void {
    this.steps += 1;
    const effects = this.member(id).step(input);
    for (const effect of effects) this.execute(id, effect);
  }

  private execute(id: NodeId, effect: SwimEffect): void {
    switch (effect.kind) {
      case 'send': {
        this.sentByType.set(effect.message.type, (this.sentByType.get(effect.message.type) ?? 0) + 1);
        this.onSend?.(effect.message);
        if (this.blocked(id, effect.to)) return;
        if (this.lossRate > 0 && this.net.chance(this.lossRate)) return;
        const delayUs = this.net.intBetween(this.options.delayUsMin, this.options.delayUsMax);
        this.schedule(this.nowUs + delayUs, { kind: 'deliver', to: effect.to, from: id, message: effect.message });
        return;
      }
      case 'setTimer': {
        const key = timerKey(id, effect.timer);
        const generation = (this.timerGenerations.get(key) ?? 0) + 1;
        this.timerGenerations.set(key, generation);
        const trueAtUs = Math.max(this.nowUs, effect.atLocalUs - (this.options.clockOffsetsUs?.[id] ?? 0));
        this.schedule(trueAtUs, { kind: 'timer', member: id, timer: effect.timer, generation });
        return;
      }
      case 'event':
        this.events.push({ atUs: this.nowUs, member: id, event: effect.event });
        return;
    }
  }

  private schedule(atUs: number, item: Pending): void {
    const q: Queued = { atUs, seq: this.nextSeq, item };
    this.nextSeq += 1;
    const heap = this.heap;
    heap.push(q);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.atUs < b.atUs || (a.atUs === b.atUs && a.seq < b.seq);
}

function timerKey(id: NodeId, timer: SwimTimer): string {
  return `${id}\u0000${timer}`;
}
