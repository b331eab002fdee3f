// A small seeded generator (mulberry32) implementing the node's Random, for tests and the
// benchmark of the Raft core. Test-only support: the simulator has its own named streams.
// It must never read real time or the platform's generator.

import { assert } from '../../util/assert';
import type { Random } from '../../util/random';

export class SeededRandom implements Random {
  private state: number;

  constructor(seed: number) {
    assert(Number.isSafeInteger(seed), 'random: seed must be an integer');
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    assert(Number.isSafeInteger(maxExclusive) && maxExclusive > 0, 'random: int bound must be a positive integer');
    return Math.floor(this.next() * maxExclusive);
  }

  intBetween(min: number, max: number): number {
    assert(max >= min, 'random: empty range');
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}
