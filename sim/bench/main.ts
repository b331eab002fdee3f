// `npm run bench [-- NAME...]`: runs the workbench's benchmarks and prints their figures. Speed
// targets live here, never in timed tests. Names: world, disk, storage, membership, raft-core, raft-monitor, raft-cluster, swim, checker, run, viz.

import { runDiskBench } from '../disk/disk-bench';
import { runMembershipBench } from '../../src/membership/bench';
import { runRaftClusterBench } from './raft-cluster-bench';
import { runWorldBench } from './world-bench';
import { runRunBench } from './run-bench';
import { execFileSync } from 'node:child_process';
import { runCheckerBench } from '../../checkers/bench/checker-bench';
import { runRaftMonitorBench } from '../../checkers/raft/bench';
import { runRaftBench } from '../../src/raft/bench';
import { runSwimBench } from '../membership/swim-bench';
import { runStorageBench } from '../../src/storage/bench';

type Bench = { readonly name: string; readonly run: (print: (line: string) => void) => Promise<unknown> };

const BENCHES: readonly Bench[] = [
  { name: 'world', run: runWorldBench },
  { name: 'disk', run: runDiskBench },
  { name: 'storage', run: runStorageBench },
  { name: 'membership', run: runMembershipBench },
  { name: 'raft-core', run: runRaftBench },
  { name: 'raft-monitor', run: runRaftMonitorBench },
  { name: 'raft-cluster', run: runRaftClusterBench },
  { name: 'swim', run: (print) => runSwimBench(print) },
  { name: 'checker', run: runCheckerBench },
  { name: 'run', run: runRunBench },
  // The viewers depend on the artifact format only, never on sim/: their benchmark runs apart.
  { name: 'viz', run: async (print) => print(execFileSync(process.execPath, ['--import', 'tsx', 'viz/bench.ts'], { encoding: 'utf8' }).trimEnd()) },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
for (const bench of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  await bench.run((line) => process.stdout.write(`${line}\n`));
}
