// Benchmark of SWIM in the simulated world: over many seeds per cluster size, one member crashes
// for good at a random time and the swim system judges the run. Reports crash-to-dead-everywhere
// time (median, maximum) against the detection bound, late detections, false suspicions and false
// deaths per member-hour (no loss, and 5% loss), and messages per member per protocol period.
// Simulated figures are deterministic; only the wall time is real (marked wall-clock-ok).
// Run: npx tsx sim/membership/swim-bench.ts

import { DEFAULT_LINK } from '../net/link';
import { runScenario } from '../runner/run';
import type { Scenario } from '../../scenarios/scenario';
import { detectionEstimateUs, swimBounds } from './bounds';
import { SIM_SWIM_CONFIG, swimSystem } from './swim-system';

export interface SwimBenchRow {
  readonly members: number;
  readonly lossProbability: number;
  readonly seeds: number;
  readonly detectionUsMedian: number;
  readonly detectionUsMax: number;
  /** The detection bound at local health 0, 2(n - 1)P + T_max + P. */
  readonly detectionBoundUs: number;
  /** Observer-crash pairs whose tick-counted deadline passed before they held the member dead. */
  readonly lateDetections: number;
  readonly falseSuspicionsPerMemberHour: number;
  readonly falseDeathsPerMemberHour: number;
  readonly messagesPerMemberPerPeriod: number;
  /** Runs whose three checks did not all pass. */
  readonly failedRuns: number;
  readonly wallSeconds: number;
}

const SIZES = [5, 9, 25] as const;
const LOSSES = [0, 0.05] as const;
const CRASH_FROM_US = 2_000_000;
const CRASH_TO_US = 3_000_000;

export async function runSwimBench(print: (line: string) => void = console.log, seeds = 100): Promise<SwimBenchRow[]> {
  const P = SIM_SWIM_CONFIG.protocolPeriodUs;
  print(`swim bench: SWIM + Lifeguard in the simulated world, P = ${P / 1000} ms, k = ${SIM_SWIM_CONFIG.indirectProbes}, links 0.5-1.5 ms with rare 20 ms tails`);
  print(`one member crashes for good at 2-3 s in each run; ${seeds} seeds per row; detection = crash to dead in every live view`);
  print('members  loss  detect median s  detect max s  bound s  late  false susp/member-h  false deaths/member-h  msgs/member/period  failed  wall s');
  const rows: SwimBenchRow[] = [];
  for (const members of SIZES) {
    for (const loss of LOSSES) {
      const row = benchRow(members, loss, seeds);
      rows.push(row);
      print(
        [
          String(members).padStart(7),
          `${(loss * 100).toFixed(0)}%`.padStart(4),
          (row.detectionUsMedian / 1e6).toFixed(3).padStart(15),
          (row.detectionUsMax / 1e6).toFixed(3).padStart(12),
          (row.detectionBoundUs / 1e6).toFixed(3).padStart(7),
          String(row.lateDetections).padStart(4),
          row.falseSuspicionsPerMemberHour.toFixed(1).padStart(19),
          row.falseDeathsPerMemberHour.toFixed(1).padStart(21),
          row.messagesPerMemberPerPeriod.toFixed(2).padStart(18),
          String(row.failedRuns).padStart(6),
          row.wallSeconds.toFixed(1).padStart(6),
        ].join('  '),
      );
    }
  }
  return rows;
}

function benchRow(members: number, lossProbability: number, seeds: number): SwimBenchRow {
  const bounds = swimBounds(SIM_SWIM_CONFIG, members);
  const boundUs = detectionEstimateUs(SIM_SWIM_CONFIG, bounds);
  // Long enough for the slowest detection and for the checks' settling deadline after it.
  const durationUs = CRASH_TO_US + 2 * boundUs;
  const scenario: Scenario = {
    name: 'swim-bench-crash',
    description: 'one member crashes for good at 2-3 s',
    schedule: (rng, cluster) => [{ atUs: rng.intBetween(CRASH_FROM_US, CRASH_TO_US), fault: { kind: 'crash', node: rng.pick(cluster.members) } }],
  };
  const network = { defaultLink: { ...DEFAULT_LINK, lossProbability }, links: [] };
  const detections: number[] = [];
  let late = 0;
  let suspicions = 0;
  let deaths = 0;
  let memberHours = 0;
  let sent = 0;
  let failedRuns = 0;
  const started = performance.now(); // wall-clock-ok
  for (let seed = 1; seed <= seeds; seed++) {
    const system = swimSystem();
    const outcome = runScenario(system, { seed, scenario, nodes: members, durationUs, network });
    const figures = system.figures();
    if (figures === null) throw new Error('swim bench: the system was not judged');
    if (!outcome.passed) failedRuns++;
    let everywhereUs = 0;
    for (const d of figures.detections) {
      if (!d.ok || d.deadUs === null) late++;
      else everywhereUs = Math.max(everywhereUs, d.deadUs - d.crashUs);
    }
    if (figures.detections.length > 0) detections.push(everywhereUs);
    suspicions += figures.falseSuspicions;
    deaths += figures.falseDeaths;
    memberHours += figures.memberHours;
    sent += outcome.header.summary.messages.sent;
  }
  const wallSeconds = (performance.now() - started) / 1000; // wall-clock-ok
  detections.sort((a, b) => a - b);
  const periods = (durationUs / SIM_SWIM_CONFIG.protocolPeriodUs) * seeds;
  return {
    members,
    lossProbability,
    seeds,
    detectionUsMedian: detections.length > 0 ? (detections[Math.floor((detections.length - 1) / 2)] as number) : 0,
    detectionUsMax: detections.length > 0 ? (detections[detections.length - 1] as number) : 0,
    detectionBoundUs: boundUs,
    lateDetections: late,
    falseSuspicionsPerMemberHour: memberHours > 0 ? suspicions / memberHours : 0,
    falseDeathsPerMemberHour: memberHours > 0 ? deaths / memberHours : 0,
    messagesPerMemberPerPeriod: sent / (members * periods),
    failedRuns,
    wallSeconds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = process.argv[2] === undefined ? 100 : Number(process.argv[2]);
  await runSwimBench(console.log, Number.isSafeInteger(seeds) && seeds > 0 ? seeds : 100);
}
