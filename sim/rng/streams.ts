// Seeded randomness for the simulated world. Every consumer draws from its own named stream
// derived from the run seed (network, disk:n1, clock, workload, nemesis, node:n1, ...), so one
// component drawing more numbers never shifts what another draws. Same seed, same streams.

import seedrandom from 'seedrandom';
import type { Random } from '../../src/util/random';
import { assert } from '../../src/util/assert';

/** A deterministic generator: the Random of src/ plus the draws the simulator needs. */
export class Rng implements Random {
  private readonly prng: () => number;

  constructor(readonly seedText: string) {
    // Alea: fast, well distributed, and fully determined by its seed string.
    this.prng = seedrandom.alea(seedText);
  }

  next(): number {
    return this.prng();
  }

  int(maxExclusive: number): number {
    assert(Number.isSafeInteger(maxExclusive) && maxExclusive > 0, 'int: bound must be a positive integer');
    return Math.floor(this.prng() * maxExclusive);
  }

  intBetween(min: number, max: number): number {
    assert(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max, `intBetween: bad range [${min}, ${max}]`);
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  chance(p: number): boolean {
    assert(p >= 0 && p <= 1, 'chance: probability outside [0, 1]');
    // p = 0 must never fire and p = 1 must always fire: next() is in [0, 1).
    return this.prng() < p;
  }

  /** A sample of an exponential distribution with the given mean. */
  exponential(mean: number): number {
    assert(mean >= 0, `exponential: negative mean ${mean}`);
    return -Math.log(1 - this.prng()) * mean;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick: empty array');
    return items[this.int(items.length)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

/** The root of a run's randomness: hands out one independent stream per name. */
export class RngStreams {
  private readonly issued = new Set<string>();

  constructor(readonly seed: number) {
    assert(Number.isSafeInteger(seed) && seed >= 0, `seed must be a non-negative integer, got ${seed}`);
  }

  /**
   * The stream of this name. Each name may be taken once per run: two components sharing one
   * stream would couple their draws, which is the thing streams exist to prevent.
   */
  stream(name: string): Rng {
    assert(!this.issued.has(name), `rng stream "${name}" taken twice`);
    this.issued.add(name);
    return new Rng(`loom/${this.seed}/${name}`);
  }
}
