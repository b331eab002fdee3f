// `npm run sim`: one reproducible run, a sweep over seeds, or the list of scenarios. Prints a
// summary and writes the run artifact. Exit 0 when every check passes, 1 on a violation (with the
// exact command that reproduces it), 2 on bad usage or bad input, never a stack trace for those.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS, findScenario } from '../../scenarios/registry';
import { validateDiskConfig } from '../disk/config';
import { validateNetworkConfig } from '../config/network-config';
import { readObject } from '../config/fields';
import { formatSchedule, validateSchedule, type FaultSchedule } from '../nemesis/schedule';
import { writeArtifact } from '../runner/artifact';
import { runScenario, serverIds, type RunOptions, type RunOutcome } from '../runner/run';
import { demoSystem } from '../runner/system';
import { raftSystem } from '../runner/raft-system';
import { cacheSystem } from '../runner/cache-system';
import { swimSystem } from '../membership/swim-system';
import { parseArgs, USAGE, type RunCommand, type SystemName } from './args';
import { findBug, PLANTED_BUGS } from '../runner/bugs';
import { formatSummary } from './summary';

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    err(`sim: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const command = parsed.command;
  switch (command.kind) {
    case 'help':
      out(`${USAGE}\n`);
      return 0;
    case 'list':
      if (command.json) {
        const scenarios = SCENARIOS.map((s) => ({ name: s.name, description: s.description }));
        const bugs = PLANTED_BUGS.map((b) => ({ name: b.name, description: b.description, caughtBy: b.caughtBy }));
        out(JSON.stringify({ scenarios, bugs }, null, 2) + '\n');
      } else {
        out('scenarios:\n' + SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join('\n') + '\n');
        out('\nplanted bugs (--bug NAME):\n' + PLANTED_BUGS.map((b) => `  ${b.name.padEnd(32)} ${b.description}; caught by: ${b.caughtBy.length > 0 ? b.caughtBy.join(', ') : 'not yet measured'}`).join('\n') + '\n');
      }
      return 0;
    case 'run':
      return run(command, out, err);
  }
}

function run(command: RunCommand, out: (s: string) => void, err: (s: string) => void): number {
  const options = loadOptions(command);
  if (!options.ok) {
    err(options.errors.map((e) => `sim: ${e}`).join('\n') + '\n');
    return 2;
  }
  let failures = 0;
  const sweep = command.seeds.first !== command.seeds.last;
  for (let seed = command.seeds.first; seed <= command.seeds.last; seed++) {
    const started = process.hrtime.bigint(); // wall-clock-ok: the summary reports wall time
    const outcome = runSystem(command.system, { ...options.value, seed }, command.bug);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9; // wall-clock-ok
    const path = join(command.outDir, `${command.scenario}-${seed}`, 'run.json');
    writeArtifact(path, outcome.header, outcome.trace);
    const repro = reproCommand(command, seed);
    if (!outcome.passed) failures++;
    if (command.json) {
      out(JSON.stringify({ summary: outcome.header.summary, verdicts: outcome.header.verdicts.map(({ detail: _detail, ...v }) => v), artifact: path, wallSeconds }) + '\n');
    } else if (sweep) {
      out(`seed ${seed}: ${outcome.passed ? 'pass' : `FAIL  ${repro}`}\n`);
    } else {
      out(formatSummary(outcome.header, wallSeconds, path) + '\n');
      if (command.scheduleFile === null) out(`fault schedule:\n${formatSchedule(outcome.header.schedule) || '  (none)'}\n`);
      if (!outcome.passed) out(`\nreproduce with: ${repro}\n`);
    }
  }
  if (sweep && !command.json) out(`${command.seeds.last - command.seeds.first + 1} seeds, ${failures} failing\n`);
  return failures > 0 ? 1 : 0;
}

/** One run of the named system (each has its own message types, hence the switch). */
function runSystem(system: SystemName, options: RunOptions, bugName: string | null): RunOutcome {
  const bugs = bugName === null ? {} : (findBug(bugName)?.raft ?? {});
  switch (system) {
    case 'cache':
      return runScenario(cacheSystem({ bugs }), options);
    case 'raft':
      return runScenario(raftSystem({ bugs }), options);
    case 'swim':
      return runScenario(swimSystem(), options);
    case 'demo':
      return runScenario(demoSystem(), options);
  }
}

/** The exact command that runs this seed again, with every flag that changes the run. */
function reproCommand(command: RunCommand, seed: number): string {
  const parts = [`npm run sim -- --seed ${seed} --scenario ${command.scenario}`];
  if (command.system !== 'cache') parts.push(`--system ${command.system}`);
  if (command.nodes !== 5) parts.push(`--nodes ${command.nodes}`);
  if (command.durationUs !== 30_000_000) parts.push(`--duration ${command.durationUs / 1000}ms`);
  if (command.bug !== null) parts.push(`--bug ${command.bug}`);
  if (command.configFile !== null) parts.push(`--config ${command.configFile}`);
  if (command.scheduleFile !== null) parts.push(`--schedule ${command.scheduleFile}`);
  return parts.join(' ');
}

type Loaded = { ok: true; value: Omit<RunOptions, 'seed'> } | { ok: false; errors: string[] };

/** Reads and validates the files a run command names. */
function loadOptions(command: RunCommand): Loaded {
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
      const v = validateSchedule(list, members);
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
        const n = validateNetworkConfig(top['network'], members, 'config.network');
        if (n.ok) network = n.config;
        else errors.push(...n.errors);
        const d = validateDiskConfig(top['disk'], 'config.disk');
        if (d.ok) disk = d.config;
        else errors.push(...d.errors);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { scenario, nodes: command.nodes, durationUs: command.durationUs, ...(schedule ? { schedule } : {}), ...(network ? { network } : {}), ...(disk ? { disk } : {}) },
  };
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

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
