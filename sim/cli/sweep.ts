// A sweep over many seeds in worker processes: each worker takes the next seed from a shared
// queue, runs it, writes its artifact and reports back; this process prints progress and, at the
// end, the failing seeds in order with the commands that reproduce them. Which worker ran a seed
// never matters: every seed's run depends on the seed alone.
//
// Processes rather than threads, because of V8's own helper threads. Alone, a run keeps about
// 1.1 cores busy: the parallel scavenger, concurrent marking and the optimising compiler work
// beside it on a core that would otherwise idle. When the workers fill every core there is no
// idle core, and those helpers only take time from the other workers; V8's flags are the
// process's, so only a worker in a process of its own can run without them (--single-threaded).
// On this project's 2-core machine a 200-seed sweep of partition on 2 workers took 54.5 and
// 57.5 s that way, 62.0 s with the helpers, and 71.0 s as worker threads (104.3 and 108.7 s on
// 1 worker; README, Speed). With cores to spare, workers keep the helpers.

import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunCommand } from './args';
import type { SweepMessage, SweepOrder, SweepReport } from './sweep-protocol';
import { bundleSweepWorker } from './worker-bundle';

/** The V8 flags of each worker process: without helper threads when the workers fill the cores (see the header). */
export function workerV8Flags(workers: number, cores: number): readonly string[] {
  return workers >= cores ? ['--single-threaded'] : [];
}

/** Runs every seed of the command on `workers` processes; calls `onReport` as seeds finish (in any order). */
export async function runParallelSweep(command: RunCommand, workers: number, onReport: (r: SweepReport) => void): Promise<SweepReport[]> {
  const seeds: number[] = [];
  for (let s = command.seeds.first; s <= command.seeds.last; s++) seeds.push(s);
  const reports: SweepReport[] = [];
  let next = 0;
  // One prebuilt bundle for every worker; without esbuild, the boot file registers tsx in each
  // worker so that it runs the TypeScript sources like the CLI (slower to start).
  const bundle = await bundleSweepWorker();
  const workerFile = fileURLToPath(bundle?.url ?? new URL('./sweep-worker-boot.mjs', import.meta.url));
  const execArgv = [...workerV8Flags(workers, availableParallelism())];
  const children: ChildProcess[] = [];
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      // The worker's own output (none, unless it fails) goes to this process's stderr; stdout is the sweep's.
      const child = fork(workerFile, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      let finished = false;
      /** The seed this worker is running, for a worker that dies before it reports. */
      let running: number | null = null;
      const feed = (): void => {
        if (next < seeds.length) {
          running = seeds[next++] as number;
          child.send({ kind: 'seed', seed: running } satisfies SweepOrder);
          return;
        }
        finished = true;
        child.disconnect(); // the worker exits when its channel closes
        resolve();
      };
      child.on('message', (m: SweepMessage) => {
        if (m.kind === 'error') {
          finished = true;
          reject(new Error(m.message));
          return;
        }
        reports.push(m.report);
        onReport(m.report);
        feed();
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (!finished) reject(new Error(`a sweep worker exited (${signal ?? `code ${code}`}) before seed ${running ?? '(none yet)'} was done`));
      });
      child.send({ kind: 'command', command } satisfies SweepOrder);
      feed();
    });
  try {
    await Promise.all(Array.from({ length: Math.min(workers, seeds.length) }, one));
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
    bundle?.dispose();
  }
  return reports.sort((a, b) => a.seed - b.seed);
}
