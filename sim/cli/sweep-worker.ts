// One sweep worker: runs the seeds the main thread sends, one at a time, and reports each.

import { parentPort, workerData } from 'node:worker_threads';
import type { RunCommand } from './args';
import { loadOptions, runSeed } from './run-seed';
import type { SweepMessage } from './sweep';

const port = parentPort;
if (port === null) throw new Error('sweep-worker must run in a worker thread');
const { command } = workerData as { command: RunCommand };
const options = loadOptions(command);

port.on('message', ({ seed }: { seed: number }) => {
  if (!options.ok) {
    port.postMessage({ kind: 'error', message: options.errors.join('; ') } satisfies SweepMessage);
    return;
  }
  const r = runSeed(command, options.value, seed);
  const failures = r.outcome.header.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.check} ${v.verdict}: ${v.summary}`);
  port.postMessage({ kind: 'done', report: { seed, passed: r.outcome.passed, verdicts: r.outcome.header.verdicts.map((v) => v.verdict), repro: r.repro, failures, artifactPath: r.artifactPath } } satisfies SweepMessage);
});
