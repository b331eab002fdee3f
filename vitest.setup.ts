// fast-check runs every property from one seed, so that `npm test` is as reproducible as the
// simulator: a red CI run is red again on any machine. FC_SEED=<n> picks another seed and
// FC_SEED=random explores fresh ones (a failure prints the seed and path that replay it).
import fc from 'fast-check';

const chosen = process.env.FC_SEED;
if (chosen !== 'random') {
  const seed = chosen === undefined ? 20_261_123 : Number(chosen);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got "${chosen}"`);
  fc.configureGlobal({ seed });
}
