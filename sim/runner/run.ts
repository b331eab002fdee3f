// One simulated run from start to verdict: build the world for a system under test, turn the seed
// into a fault schedule (or take the one given), run for the duration, judge, and assemble the
// summary and the artifact. Pure with respect to its inputs: the same options give the same
// artifact, byte for byte (wall time is measured by the CLI, outside). A run keeps its whole
// trace for the artifact (runScenario), or only hashes it and keeps what the checks read
// (judgeScenario: a sweep's seed, made again with its trace only if it did not pass).

import type { NodeId } from '../../src/host/contract';
import { assert } from '../../src/util/assert';
import { DEFAULT_DISK_CONFIG, type DiskConfig } from '../disk/config';
import { SimDisk } from '../disk/disk';
import { DEFAULT_NETWORK, type NetworkConfig } from '../net/network';
import { validateNetworkConfig, type NetworkValidation } from '../config/network-config';
import { applySchedule, type FaultSchedule } from '../nemesis/schedule';
import { HashSink, MemorySink, type TraceKind, type TraceSink } from '../trace/trace';
import { World } from '../world';
import { HEAL_PERIOD_US, type ClusterShape, type Scenario } from '../../scenarios/scenario';
import type { RaftConfig } from '../../src/raft/config';
import { ARTIFACT_FORMAT, type RunHeader, type RunSummary, type Verdict } from './artifact';
import type { SystemUnderTest } from './system';
import type { TraceRecord } from '../trace/trace';

export interface RunOptions {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly nodes: number;
  readonly durationUs: number;
  /** Replay this schedule instead of generating one from the seed. */
  readonly schedule?: FaultSchedule;
  readonly network?: NetworkConfig;
  readonly disk?: DiskConfig;
}

/** A judged run: its artifact header (summary with the trace hash, verdicts, history). */
export interface RunResult {
  readonly header: RunHeader;
  readonly passed: boolean;
}

/** A judged run with its whole trace, for the artifact. */
export interface RunOutcome extends RunResult {
  readonly trace: readonly TraceRecord[];
}

/** The node settings a scenario asks of the Raft-based systems (cache, raft), as their options. */
export function scenarioSettings(scenario: Scenario): { raft: Partial<RaftConfig>; initialVoters?: number } {
  const settings = scenario.settings ?? {};
  return { raft: settings.raft ?? {}, ...(settings.initialVoters !== undefined ? { initialVoters: settings.initialVoters } : {}) };
}

/**
 * The network a scenario asks for (DEFAULT_NETWORK when it names none), validated as --config's
 * is; the errors name the scenario and the field ("scenario snapshot-dup: network.links[0].to: ...").
 */
export function scenarioNetwork(scenario: Scenario, members: readonly NodeId[]): NetworkValidation {
  const settings = scenario.settings?.network;
  if (settings === undefined) return { ok: true, config: DEFAULT_NETWORK };
  const v = validateNetworkConfig(settings(members), members, 'network');
  return v.ok ? v : { ok: false, errors: v.errors.map((e) => `scenario ${scenario.name}: ${e}`) };
}

/** The network a run uses: --config's if given, else the scenario's, else the default. */
export function runNetwork(options: Pick<RunOptions, 'scenario' | 'network'>, members: readonly NodeId[]): NetworkConfig {
  if (options.network !== undefined) return options.network;
  const v = scenarioNetwork(options.scenario, members);
  // The CLI refuses a bad scenario network (exit 2) before any run; here it is a programming error.
  if (!v.ok) assert(false, `invalid scenario network: ${v.errors.join('; ')}`);
  return v.config;
}

export function serverIds(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/** Runs and judges, keeping the whole trace (for the artifact, the viewers and tests). */
export function runScenario<M, X, O>(system: SystemUnderTest<M, X, O>, options: RunOptions): RunOutcome {
  const memory = new MemorySink();
  const result = run(system, options, memory);
  return { ...result, trace: memory.records };
}

/**
 * Runs and judges, hashing the trace but keeping only the records the checks read: the same
 * verdicts and summary (trace hash included) as runScenario, without holding some 200 000
 * records in memory, which costs a sweep time in the collector on every seed.
 */
export function judgeScenario<M, X, O>(system: SystemUnderTest<M, X, O>, options: RunOptions): RunResult {
  return run(system, options, new KindSink(system.judgeReads));
}

/** Keeps the records of the given kinds. */
class KindSink extends MemorySink {
  private readonly kinds: ReadonlySet<TraceKind>;
  constructor(kinds: readonly TraceKind[]) {
    super();
    this.kinds = new Set(kinds);
  }
  override record(r: TraceRecord): void {
    if (this.kinds.has(r.kind)) super.record(r);
  }
}

/** The name of the check a run fails when it throws (see runCatching). */
export const EXCEPTIONS_CHECK = 'exceptions';

/**
 * Runs the world to the end, or to the first exception thrown inside it: a failed assertion in the
 * node, the client, the simulator or a checker's monitor, or any other error. That is a finding
 * like a failed check, and the run stops there: the world's state after a throw is not to be
 * trusted, so the other checks are not judged. The exception is recorded in the trace as a
 * violation (the viewers jump to it) and returned as the run's one verdict; its stack is left
 * out, since file paths differ from machine to machine and the artifact must not.
 */
function runCatching<M, X, O>(world: World<M, X, O>, durationUs: number): Verdict | null {
  try {
    world.runUntil(durationUs);
    return null;
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    world.record('violation', null, { invariant: EXCEPTIONS_CHECK, message: error });
    return {
      check: EXCEPTIONS_CHECK,
      verdict: 'fail',
      summary: `the run threw at ${(world.now / 1e6).toFixed(3)} s (step ${world.steps}): ${error}`,
      detail: { step: world.steps, trueUs: world.now, error },
    };
  }
}

function run<M, X, O>(system: SystemUnderTest<M, X, O>, options: RunOptions, memory: TraceSink & { readonly records: readonly TraceRecord[] }): RunResult {
  const servers = serverIds(options.nodes);
  const hash = new HashSink();
  const network = runNetwork(options, servers);
  const scenarioLatency = options.scenario.settings?.diskLatency;
  const diskConfig = options.disk ?? (scenarioLatency === undefined ? DEFAULT_DISK_CONFIG : { ...DEFAULT_DISK_CONFIG, latency: scenarioLatency });
  const world = new World<M, X, O>({
    seed: options.seed,
    processes: system.processes(servers),
    network,
    restartDelayUs: 500_000,
    pausedInboxMax: 10_000,
    makeDisk: (_id, rng) => new SimDisk(diskConfig, rng),
    traceSinks: [memory, hash],
  });
  const clients = system.processes(servers).filter((p) => p.role === 'client').map((p) => p.id);
  const cluster: ClusterShape = { members: servers, clients, durationUs: options.durationUs, quietUs: system.quietUs?.(servers.length) ?? HEAL_PERIOD_US };
  const schedule = options.schedule ?? options.scenario.schedule(world.streams.stream('nemesis'), cluster);
  system.install(world, cluster);
  if (system.operatorRequest) world.setOperator(system.operatorRequest);
  applySchedule(world, schedule);
  const threw = runCatching(world, options.durationUs);
  world.close();
  const verdicts = threw === null ? system.judge(world, memory.records) : [threw];
  const history = system.history();
  const count = (type: string): number => history.filter((e) => (e as { type?: unknown }).type === type).length;
  const stats = world.network.stats;
  const summary: RunSummary = {
    seed: options.seed,
    scenario: options.scenario.name,
    system: system.name,
    nodes: options.nodes,
    simulatedUs: world.now,
    events: world.steps,
    traceRecords: hash.records,
    traceHash: hash.digest(),
    faultsInjected: schedule.length,
    messages: { sent: stats.sent, delivered: stats.delivered, lost: stats.lostRandom, droppedByPartition: stats.droppedPartition },
    operations: { ok: count('ok'), fail: count('fail'), info: count('info') },
  };
  const header: RunHeader = {
    format: ARTIFACT_FORMAT,
    seed: options.seed,
    scenario: options.scenario.name,
    config: { system: system.name, nodes: options.nodes, durationUs: options.durationUs, network, disk: diskConfig },
    schedule,
    summary,
    verdicts,
    history,
  };
  return { header, passed: verdicts.every((v) => v.verdict === 'pass') };
}
