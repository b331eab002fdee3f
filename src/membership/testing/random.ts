// Test-only seeded Random (a splitmix32-style generator) so membership tests and the benchmark
// do not depend on sim/ (src/ never imports sim/). Never used by product code.

import type { Random } from '../../util/random';

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
  const int = (maxExclusive: number): number => {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0) throw new Error(`int needs a positive integer, got ${maxExclusive}`);
    return Math.floor(next() * maxExclusive);
  };
  return {
    next,
    int,
    intBetween: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
  };
}

/** A Random that always answers its lowest value: makes shuffles and picks predictable in transcripts. */
export function lowestRandom(): Random {
  return { next: () => 0, int: () => 0, intBetween: (min) => min, chance: (p) => p >= 1 };
}
