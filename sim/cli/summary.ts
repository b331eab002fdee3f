// The human-readable summary of one run, as `npm run sim` prints it.

import type { RunHeader } from '../runner/artifact';

export function formatSummary(header: RunHeader, wallSeconds: number, artifactPath: string): string {
  const s = header.summary;
  const lines = [
    `loom sim  seed ${s.seed}  scenario ${s.scenario}  system ${s.system}  nodes ${s.nodes}`,
    `  simulated ${(s.simulatedUs / 1e6).toFixed(3)} s in ${wallSeconds.toFixed(2)} s wall (${(s.simulatedUs / 1e6 / Math.max(wallSeconds, 1e-9)).toFixed(0)}x), ${s.events} events, trace ${s.traceRecords} records, hash ${s.traceHash}`,
    `  faults injected ${s.faultsInjected}; messages sent ${s.messages.sent}, delivered ${s.messages.delivered}, lost ${s.messages.lost}, cut by partitions ${s.messages.droppedByPartition}`,
    `  operations ok ${s.operations.ok}, fail ${s.operations.fail}, info ${s.operations.info}`,
    ...header.verdicts.map((v) => `  check ${v.check.padEnd(18)} ${v.verdict.toUpperCase().padEnd(7)} ${v.summary}`),
    `  artifact ${artifactPath}`,
  ];
  return lines.join('\n');
}
