// A sweep over many seeds in worker threads: each worker takes the next seed from a shared queue,
// runs it, writes its artifact and reports back; the main thread prints progress and, at the end,
// the failing seeds in order with the commands that reproduce them. Which worker ran a seed never
// matters: every seed's run depends on the seed alone.

import { Worker } from 'node:worker_threads';
import type { RunCommand } from './args';
import type { VerdictValue } from '../runner/artifact';
import { bundleSweepWorker } from './worker-bundle';

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

export type SweepMessage = { readonly kind: 'done'; readonly report: SweepReport } | { readonly kind: 'error'; readonly message: string };

/** Runs every seed of the command on `workers` threads; calls `onReport` as seeds finish (in any order). */
export async function runParallelSweep(command: RunCommand, workers: number, onReport: (r: SweepReport) => void): Promise<SweepReport[]> {
  const seeds: number[] = [];
  for (let s = command.seeds.first; s <= command.seeds.last; s++) seeds.push(s);
  const reports: SweepReport[] = [];
  let next = 0;
  // One prebuilt bundle for every worker; without esbuild, the boot file registers tsx in each
  // worker so that it runs the TypeScript sources like the CLI (slower to start).
  const bundle = await bundleSweepWorker();
  const workerUrl = bundle?.url ?? new URL('./sweep-worker-boot.mjs', import.meta.url);
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { command } });
      const feed = (): void => {
        if (next < seeds.length) worker.postMessage({ seed: seeds[next++] });
        else void worker.terminate().then(() => resolve());
      };
      worker.on('message', (m: SweepMessage) => {
        if (m.kind === 'error') {
          void worker.terminate();
          reject(new Error(m.message));
          return;
        }
        reports.push(m.report);
        onReport(m.report);
        feed();
      });
      worker.on('error', reject);
      worker.on('online', feed);
    });
  try {
    await Promise.all(Array.from({ length: Math.min(workers, seeds.length) }, one));
  } finally {
    bundle?.dispose();
  }
  return reports.sort((a, b) => a.seed - b.seed);
}
