// The only source of randomness a component of the node may use: injected by its host. In
// simulation it is a seeded stream of the run (sim/rng); a real host could pass a crypto RNG.
// Components never use the language's global random source.

export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). Pre: maxExclusive is a positive safe integer. */
  int(maxExclusive: number): number;
  /** Uniform integer in [min, max] inclusive. */
  intBetween(min: number, max: number): number;
  /** True with probability p in [0, 1]. */
  chance(p: number): boolean;
}
