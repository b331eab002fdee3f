// One sweep worker process: takes the command, then runs the seeds this sweep's process sends, one
// at a time, and reports each. It exits when the sweep closes its channel.

import type { RunCommand } from './args';
import { loadOptions, reproCommand, runSeed } from './run-seed';
import { sweepReport, type SweepMessage, type SweepOrder, type SweepReport } from './sweep-protocol';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('sweep-worker must run as a sweep\'s child process');
let loaded: { readonly command: RunCommand; readonly options: ReturnType<typeof loadOptions> } | null = null;

process.on('message', (order: SweepOrder) => {
  if (order.kind === 'command') {
    loaded = { command: order.command, options: loadOptions(order.command) };
    return;
  }
  if (loaded === null) {
    send({ kind: 'error', message: 'sweep worker: a seed came before the command' } satisfies SweepMessage);
    return;
  }
  if (!loaded.options.ok) {
    send({ kind: 'error', message: loaded.options.errors.join('; ') } satisfies SweepMessage);
    return;
  }
  let report: SweepReport;
  try {
    report = sweepReport(runSeed(loaded.command, loaded.options.value, order.seed));
  } catch (e) {
    // A run that throws (a failed assertion in the node or the simulator) is a finding too: name
    // the seed, so that it can be run alone (where the same seed throws the same way).
    const why = e instanceof Error ? (e.stack ?? e.message) : String(e);
    send({ kind: 'error', message: `seed ${order.seed} threw (reproduce with: ${reproCommand(loaded.command, order.seed)}):\n${why}` } satisfies SweepMessage);
    return;
  }
  send({ kind: 'done', report } satisfies SweepMessage);
});
