// `npm run bench [-- NAME...]`: runs the workbench's benchmarks and prints their figures. Speed
// targets live here, never in timed tests. Names: world, disk, membership, raft-cluster (more as they come).

import { runDiskBench } from '../disk/disk-bench';
import { runMembershipBench } from '../../src/membership/bench';
import { runRaftClusterBench } from './raft-cluster-bench';
import { runWorldBench } from './world-bench';
import { runCheckerBench } from '../../checkers/bench/checker-bench';

type Bench = { readonly name: string; readonly run: (print: (line: string) => void) => Promise<unknown> };

const BENCHES: readonly Bench[] = [
  { name: 'world', run: runWorldBench },
  { name: 'disk', run: runDiskBench },
  { name: 'membership', run: runMembershipBench },
  { name: 'raft-cluster', run: runRaftClusterBench },
  { name: 'checker', run: runCheckerBench },
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
