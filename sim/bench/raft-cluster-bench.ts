// Committed entries per wall-clock second for Raft clusters of 3 and 5 replicas in the simulated
// world with no faults: the whole stack (world, network, cores, storage, monitor) at work.

import { raftSystem } from '../runner/raft-system';
import { runScenario } from '../runner/run';
import type { Scenario } from '../../scenarios/scenario';

const NO_FAULTS: Scenario = { name: 'no-faults', description: 'nothing goes wrong', schedule: () => [] };

export async function runRaftClusterBench(print: (line: string) => void): Promise<void> {
  for (const nodes of [3, 5]) {
    for (const monitor of [true, false]) {
      const durationUs = 20_000_000;
      const started = process.hrtime.bigint(); // wall-clock-ok
      const system = raftSystem({ requestEveryUs: 200, requestsToLeader: true, proposalShare: 1, monitor });
      const outcome = runScenario(system, { seed: 1, scenario: NO_FAULTS, nodes, durationUs });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9; // wall-clock-ok
      const committed = system.committedCount();
      print(
        `raft cluster: ${nodes} nodes, ${durationUs / 1e6} s simulated, invariant monitor ${monitor ? 'on ' : 'off'}: ${committed} entries committed in ${seconds.toFixed(2)} s wall = ${Math.round(committed / seconds)} committed/s, ${Math.round(outcome.header.summary.events / seconds)} events/s`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runRaftClusterBench((line) => console.log(line));
}
