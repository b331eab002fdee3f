// What a sweep and its worker processes say to each other, and the report of one seed, which is
// the same whether the seed ran in the sweep's own process or on a worker.

import type { RunCommand } from './args';
import type { VerdictValue } from '../runner/artifact';
import type { SeedResult } from './run-seed';

export interface SweepReport {
  readonly seed: number;
  readonly passed: boolean;
  readonly verdicts: readonly VerdictValue[];
  readonly repro: string;
  /** One line per failing check. */
  readonly failures: readonly string[];
  /** Null for a passing seed of a sweep without --keep-all. */
  readonly artifactPath: string | null;
}

/** What this process sends a worker: the command once, then one seed at a time. */
export type SweepOrder = { readonly kind: 'command'; readonly command: RunCommand } | { readonly kind: 'seed'; readonly seed: number };
/** What a worker sends back: one per seed. */
export type SweepMessage = { readonly kind: 'done'; readonly report: SweepReport } | { readonly kind: 'error'; readonly message: string };

/** A seed's report, as a sweep prints it (the same whether the seed ran here or on a worker). */
export function sweepReport(r: SeedResult): SweepReport {
  const verdicts = r.outcome.header.verdicts;
  return {
    seed: r.seed,
    passed: r.outcome.passed,
    verdicts: verdicts.map((v) => v.verdict),
    repro: r.repro,
    failures: verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check} ${v.verdict}: ${v.summary}`),
    artifactPath: r.artifactPath,
  };
}
