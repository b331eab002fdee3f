// The workload's operations: a seeded mix over a small key space so that clients contend for the
// same keys, with unique written values so that every read can be traced to the write it saw.
// Each structure is exercised only through operations its checker model can judge.

import type { CacheOp } from '../../src/cache/commands';
import type { Rng } from '../rng/streams';

export interface WorkloadMix {
  /** Relative weights of the structures. */
  readonly map: number;
  readonly queue: number;
  readonly register: number;
  readonly counter: number;
  readonly topic: number;
  /** Keys of the map: few, so that operations contend. */
  readonly mapKeys: number;
}

export const DEFAULT_MIX: WorkloadMix = { map: 5, queue: 2, register: 2, counter: 2, topic: 1, mapKeys: 5 };

export const MAP_NAME = 'm';
export const QUEUE_NAME = 'q';
export const REGISTER_NAME = 'reg';
export const COUNTER_NAME = 'ctr';
export const TOPIC_NAME = 't';

export class OperationGenerator {
  private unique = 0;

  constructor(
    private readonly rng: Rng,
    private readonly mix: WorkloadMix = DEFAULT_MIX,
  ) {}

  next(client: string): CacheOp {
    const m = this.mix;
    const total = m.map + m.queue + m.register + m.counter + m.topic;
    let pick = this.rng.int(total);
    const value = (): string => `${client}-${++this.unique}`;
    const small = (): number => this.rng.intBetween(0, 4);
    if ((pick -= m.map) < 0) {
      const key = `k${this.rng.int(m.mapKeys)}`;
      switch (this.rng.int(5)) {
        case 0:
        case 1:
          return { op: 'map.get', name: MAP_NAME, key };
        case 2:
          return { op: 'map.put', name: MAP_NAME, key, value: value() };
        case 3:
          return { op: 'map.cas', name: MAP_NAME, key, expected: this.rng.chance(0.2) ? null : this.recent(), value: value() };
        default:
          return this.rng.chance(0.5) ? { op: 'map.putIfAbsent', name: MAP_NAME, key, value: value() } : { op: 'map.delete', name: MAP_NAME, key };
      }
    }
    if ((pick -= m.queue) < 0) return this.rng.chance(0.55) ? { op: 'queue.offer', name: QUEUE_NAME, value: value() } : { op: 'queue.poll', name: QUEUE_NAME };
    if ((pick -= m.register) < 0) {
      switch (this.rng.int(3)) {
        case 0:
          return { op: 'long.get', name: REGISTER_NAME };
        case 1:
          return { op: 'long.set', name: REGISTER_NAME, value: small() };
        default:
          return { op: 'long.compareAndSet', name: REGISTER_NAME, expected: small(), value: small() };
      }
    }
    if ((pick -= m.counter) < 0) return this.rng.chance(0.6) ? { op: 'long.incrementAndGet', name: COUNTER_NAME, delta: 1 } : { op: 'long.get', name: COUNTER_NAME };
    return this.rng.chance(0.6) ? { op: 'topic.publish', name: TOPIC_NAME, message: value() } : { op: 'topic.read', name: TOPIC_NAME, from: 1, max: 1000 };
  }

  /** The final reads that close a run: every key of every structure, once. */
  finalReads(): CacheOp[] {
    const reads: CacheOp[] = [];
    for (let k = 0; k < this.mix.mapKeys; k++) reads.push({ op: 'map.get', name: MAP_NAME, key: `k${k}` });
    reads.push({ op: 'long.get', name: REGISTER_NAME }, { op: 'long.get', name: COUNTER_NAME }, { op: 'topic.read', name: TOPIC_NAME, from: 1, max: 1000 });
    return reads;
  }

  /** A value some client probably wrote recently (so that cas sometimes succeeds). */
  private recent(): string {
    return `c${this.rng.intBetween(1, 5)}-${Math.max(1, this.unique - this.rng.int(4))}`;
  }
}
