// `npm run sim`: one reproducible run, a sweep over seeds, or the list of scenarios. Prints a
// summary and writes the run artifact. Exit 0 when every check passes, 1 on a violation (with the
// exact command that reproduces it), 2 on bad usage or bad input, never a stack trace for those.

import { SCENARIOS } from '../../scenarios/registry';
import { formatSchedule } from '../nemesis/schedule';
import { PLANTED_BUGS } from '../runner/bugs';
import { parseArgs, USAGE, type RunCommand } from './args';
import { loadOptions, reproCommand, judgeSystem, runSeed } from './run-seed';
import { shrinkSchedule } from '../nemesis/shrink';
import type { FaultSchedule } from '../nemesis/schedule';
import type { RunOptions, RunResult } from '../runner/run';
import { writeFileSync } from 'node:fs';
import { assert } from '../../src/util/assert';
import { join } from 'node:path';
import { runParallelSweep } from './sweep';
import { sweepReport, type SweepReport } from './sweep-protocol';
import type { VerdictValue } from '../runner/artifact';
import { formatSummary } from './summary';

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
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
      listScenarios(command.json, out);
      return 0;
    case 'run':
      return command.seeds.first === command.seeds.last ? runOne(command, out, err) : sweep(command, out, err);
  }
}

function listScenarios(json: boolean, out: (s: string) => void): void {
  if (json) {
    const scenarios = SCENARIOS.map((s) => ({ name: s.name, description: s.description }));
    const bugs = PLANTED_BUGS.map((b) => ({ name: b.name, description: b.description, caughtBy: b.caughtBy }));
    out(JSON.stringify({ scenarios, bugs }, null, 2) + '\n');
    return;
  }
  // Names padded to the longest of their list, so the descriptions line up.
  const scenarioWidth = Math.max(...SCENARIOS.map((s) => s.name.length));
  const bugWidth = Math.max(...PLANTED_BUGS.map((b) => b.name.length));
  out('scenarios:\n' + SCENARIOS.map((s) => `  ${s.name.padEnd(scenarioWidth)}  ${s.description}`).join('\n') + '\n');
  out('\nplanted bugs (--bug NAME):\n' + PLANTED_BUGS.map((b) => `  ${b.name.padEnd(bugWidth)}  ${b.description}; caught by: ${b.caughtBy.length > 0 ? b.caughtBy.join(', ') : 'not yet measured'}`).join('\n') + '\n');
}

function runOne(command: RunCommand, out: (s: string) => void, err: (s: string) => void): number {
  const options = loadOptions(command);
  if (!options.ok) {
    err(options.errors.map((e) => `sim: ${e}`).join('\n') + '\n');
    return 2;
  }
  const { outcome, artifactPath, wallSeconds, repro } = runSeed(command, options.value, command.seeds.first);
  assert(artifactPath !== null, 'a single run always writes its artifact');
  if (command.shrink) return shrink(command, options.value, outcome, out);
  if (command.json) {
    out(JSON.stringify({ summary: outcome.header.summary, verdicts: outcome.header.verdicts.map(({ detail: _detail, ...v }) => v), artifact: artifactPath, wallSeconds }) + '\n');
  } else {
    out(formatSummary(outcome.header, wallSeconds, artifactPath) + '\n');
    if (command.scheduleFile === null) out(`fault schedule:\n${formatSchedule(outcome.header.schedule) || '  (none)'}\n`);
    if (!outcome.passed) out(`\nreproduce with: ${repro}\n`);
  }
  return exitCode(outcome.header.verdicts.map((v) => v.verdict));
}

/** Minimises the schedule of a failing run: the smallest sub-schedule that fails the same check. */
function shrink(command: RunCommand, options: Omit<RunOptions, 'seed'>, outcome: RunResult, out: (s: string) => void): number {
  const failed = outcome.header.verdicts.find((v) => v.verdict === 'fail');
  if (failed === undefined) {
    out(`seed ${command.seeds.first} passes every check: nothing to shrink\n`);
    return 0;
  }
  out(`shrinking ${outcome.header.schedule.length} faults that fail ${failed.check}...\n`);
  // Each candidate is judged without keeping its trace: only its verdict matters.
  const stillFails = (schedule: FaultSchedule): boolean =>
    judgeSystem(command.system, { ...options, seed: command.seeds.first, schedule }, command.bug).header.verdicts.some((v) => v.check === failed.check && v.verdict === 'fail');
  const result = shrinkSchedule(outcome.header.schedule, stillFails);
  const path = join(command.outDir, `${command.scenario}-${command.seeds.first}`, 'shrunk-schedule.json');
  writeFileSync(path, JSON.stringify(result.schedule, null, 1) + '\n');
  out(`minimal schedule (${result.schedule.length} faults, ${result.runs} runs${result.minimal ? '' : ', run budget exhausted before 1-minimal'}):\n${formatSchedule(result.schedule) || '  (none: the check fails with no fault at all)'}\n`);
  out(`written to ${path}\nreproduce with: ${reproCommand({ ...command, shrink: false, scheduleFile: path }, command.seeds.first)}\n`);
  return 1;
}

/** Many seeds: in this process, or on worker processes. Failing seeds are listed in seed order. */
async function sweep(command: RunCommand, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const options = loadOptions(command);
  if (!options.ok) {
    err(options.errors.map((e) => `sim: ${e}`).join('\n') + '\n');
    return 2;
  }
  const total = command.seeds.last - command.seeds.first + 1;
  let done = 0;
  let failing = 0;
  let undecided = 0;
  const progress = (r: SweepReport): void => {
    done++;
    // As the final line counts them: a seed with a failed check fails; one whose checks could not all decide is undecided.
    if (r.verdicts.includes('fail')) failing++;
    else if (!r.passed) undecided++;
    if (command.json) out(JSON.stringify(r) + '\n');
    else if (done % Math.max(1, Math.floor(total / 10)) === 0 || done === total) out(`  ${done}/${total} seeds run, ${failing} failing${undecided > 0 ? `, ${undecided} undecided` : ''}\n`);
  };
  let reports: SweepReport[];
  if (command.workers <= 1) {
    reports = [];
    for (let seed = command.seeds.first; seed <= command.seeds.last; seed++) {
      const report = sweepReport(runSeed(command, options.value, seed));
      reports.push(report);
      progress(report);
    }
  } else {
    reports = await runParallelSweep(command, command.workers, progress);
  }
  if (!command.json) {
    for (const r of reports.filter((x) => !x.passed)) out(`${r.verdicts.includes('fail') ? 'FAIL' : 'UNKNOWN'} seed ${r.seed}: ${r.failures[0] ?? ''}\n  reproduce with: ${r.repro}\n${r.artifactPath === null ? '' : `  artifact ${r.artifactPath}\n`}`);
    out(`${total} seeds, ${failing} failing${undecided > 0 ? `, ${undecided} undecided` : ''}\n`);
  }
  return exitCode(reports.flatMap((r) => r.verdicts));
}

/** 1 when any check found a violation; else 3 when any could not decide (as `npm run check`); else 0. */
function exitCode(verdicts: readonly VerdictValue[]): number {
  if (verdicts.includes('fail')) return 1;
  return verdicts.includes('unknown') ? 3 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Output piped into a reader that stops early (`| head`): stop quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = await main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
