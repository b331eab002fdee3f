// What one seed of a run command does, shared by the CLI and its sweep workers: read and validate
// the files the command names, run the chosen system once, write the artifact. The wall time it
// measures is for the summary only; it never reaches the run.

import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findScenario } from '../../scenarios/registry';
import { validateDiskConfig } from '../disk/config';
import { validateNetworkConfig } from '../config/network-config';
import { readObject } from '../config/fields';
import { validateSchedule, type FaultSchedule } from '../nemesis/schedule';
import { writeArtifact } from '../runner/artifact';
import { judgeScenario, runScenario, scenarioNetwork, scenarioSettings, serverIds, type RunOptions, type RunOutcome, type RunResult } from '../runner/run';
import type { SystemUnderTest } from '../runner/system';
import { assert } from '../../src/util/assert';
import { demoSystem } from '../runner/system';
import { raftSystem } from '../runner/raft-system';
import { cacheSystem } from '../runner/cache-system';
import { swimSystem } from '../membership/swim-system';
import { findBug } from '../runner/bugs';
import { DEFAULT_STORAGE_CONFIG } from '../../src/storage/config';
import type { RunCommand, SystemName } from './args';

export interface SeedResult {
  readonly seed: number;
  readonly outcome: RunResult;
  /** Where the artifact was written; null when a sweep left a passing seed's out. */
  readonly artifactPath: string | null;
  readonly wallSeconds: number;
  readonly repro: string;
}

/**
 * Runs one seed of a validated command and writes its artifact: always for a single run; in a
 * sweep only for a seed that did not pass, unless --keep-all. A passing seed's artifact is
 * tens of megabytes and can be made again, byte for byte, by running that seed alone, so a
 * sweep runs each seed without keeping its trace (judgeScenario) and runs a seed that did not
 * pass once more with it, for the artifact: the second run must hash the same, which every
 * such seed checks.
 */
export function runSeed(command: RunCommand, options: Omit<RunOptions, 'seed'>, seed: number): SeedResult {
  const started = process.hrtime.bigint(); // wall-clock-ok: the summary reports wall time
  const runOptions = { ...options, seed };
  const artifactPath = join(command.outDir, `${command.scenario}-${seed}`, 'run.json');
  const repro = reproCommand(command, seed);
  const sweep = command.seeds.first !== command.seeds.last;
  if (!sweep || command.keepAll) {
    const outcome = runSystem(command.system, runOptions, command.bug);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9; // wall-clock-ok
    writeArtifact(artifactPath, outcome.header, outcome.trace);
    return { seed, outcome, artifactPath, wallSeconds, repro };
  }
  const outcome = judgeSystem(command.system, runOptions, command.bug);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9; // wall-clock-ok
  if (outcome.passed) return { seed, outcome, artifactPath: null, wallSeconds, repro };
  const full = runSystem(command.system, runOptions, command.bug);
  assert(full.header.summary.traceHash === outcome.header.summary.traceHash, `seed ${seed} ran twice with different traces (${outcome.header.summary.traceHash}, then ${full.header.summary.traceHash}): the run is not deterministic`);
  writeArtifact(artifactPath, full.header, full.trace);
  return { seed, outcome, artifactPath, wallSeconds, repro };
}

/** One run of the named system, keeping its whole trace. */
export function runSystem(system: SystemName, options: RunOptions, bugName: string | null): RunOutcome {
  return withSystem(system, options, bugName, { run: runScenario });
}

/** One run of the named system, judged without keeping its trace (see judgeScenario). */
export function judgeSystem(system: SystemName, options: RunOptions, bugName: string | null): RunResult {
  return withSystem(system, options, bugName, { run: judgeScenario });
}

/** Something done with a system under test of any message types. */
interface SystemUse<R> {
  run<M, X, O>(system: SystemUnderTest<M, X, O>, options: RunOptions): R;
}

/** Builds the named system with the bug switched on and hands it to `use` (each system has its own message types, hence the switch). */
function withSystem<R>(system: SystemName, options: RunOptions, bugName: string | null, use: SystemUse<R>): R {
  const bug = bugName === null ? undefined : findBug(bugName);
  const bugs = bug?.raft ?? {};
  switch (system) {
    case 'cache': {
      const client = bug?.client ?? {};
      const storage = bug?.storage === undefined ? {} : { storage: { ...DEFAULT_STORAGE_CONFIG, ...bug.storage } };
      return use.run(cacheSystem({ bugs, client, ...storage, ...scenarioSettings(options.scenario) }), options);
    }
    case 'raft':
      return use.run(raftSystem({ bugs, ...scenarioSettings(options.scenario) }), options);
    case 'swim':
      return use.run(swimSystem(), options);
    case 'demo':
      return use.run(demoSystem(), options);
  }
}

/** The exact command that runs this seed again, with every flag that changes the run. */
export function reproCommand(command: RunCommand, seed: number): string {
  const parts = [`npm run sim -- --seed ${seed} --scenario ${command.scenario}`];
  if (command.system !== 'cache') parts.push(`--system ${command.system}`);
  if (command.nodes !== 5) parts.push(`--nodes ${command.nodes}`);
  if (command.durationUs !== 30_000_000) parts.push(`--duration ${command.durationUs / 1000}ms`);
  if (command.bug !== null) parts.push(`--bug ${command.bug}`);
  if (command.configFile !== null) parts.push(`--config ${command.configFile}`);
  if (command.scheduleFile !== null) parts.push(`--schedule ${command.scheduleFile}`);
  return parts.join(' ');
}

export type Loaded = { ok: true; value: Omit<RunOptions, 'seed'> } | { ok: false; errors: string[] };

/** Reads and validates the files a run command names. */
export function loadOptions(command: RunCommand): Loaded {
  const scenario = findScenario(command.scenario);
  if (!scenario) return { ok: false, errors: [`unknown scenario "${command.scenario}"`] };
  const members = serverIds(command.nodes);
  const errors: string[] = [];
  let schedule: FaultSchedule | undefined;
  if (command.scheduleFile !== null) {
    const raw = readJson(command.scheduleFile, '--schedule', errors);
    if (raw !== undefined) {
      // A schedule file is either the list itself or a run artifact holding one.
      const list = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'schedule' in raw ? (raw as { schedule: unknown }).schedule : raw;
      const clients = command.system === 'cache' ? cacheSystem().processes(members).filter((p) => p.role === 'client').map((p) => p.id) : [];
      const v = validateSchedule(list, members, 'schedule', clients);
      if (v.ok) schedule = v.schedule;
      else errors.push(...v.errors.map((e) => `${command.scheduleFile}: ${e}`));
    }
  }
  let network;
  let disk;
  if (command.configFile !== null) {
    const raw = readJson(command.configFile, '--config', errors);
    if (raw !== undefined) {
      const top = readObject(raw, 'config', ['network', 'disk'], errors);
      if (top) {
        // A config file without a network leaves the scenario's (or the default) in force.
        if (top['network'] !== undefined) {
          const n = validateNetworkConfig(top['network'], members, 'config.network');
          if (n.ok) network = n.config;
          else errors.push(...n.errors);
        }
        // Likewise a config without a disk leaves the scenario's disk latency (or the default).
        if (top['disk'] !== undefined) {
          const d = validateDiskConfig(top['disk'], 'config.disk');
          if (d.ok) disk = d.config;
          else errors.push(...d.errors);
        }
      }
    }
  }
  if (network === undefined) {
    // The scenario's own network, refused here (exit 2) rather than mid-run when it is wrong.
    const n = scenarioNetwork(scenario, members);
    if (!n.ok) errors.push(...n.errors);
  }
  checkOutDir(command.outDir, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { scenario, nodes: command.nodes, durationUs: command.durationUs, ...(schedule ? { schedule } : {}), ...(network ? { network } : {}), ...(disk ? { disk } : {}) },
  };
}

/**
 * The artifacts' folder, made now (with its parents) and checked writable: refused before any run
 * (exit 2) rather than after one, or after minutes of a sweep, when the first artifact cannot be
 * written.
 */
function checkOutDir(dir: string, errors: string[]): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    errors.push(`--out: cannot write artifacts to ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function readJson(path: string, flag: string, errors: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    errors.push(`${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    errors.push(`${flag}: ${path} is not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
}

