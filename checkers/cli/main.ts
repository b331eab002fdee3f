// The `npm run check` command: checks a history file for linearizability against a named model
// and prints the verdict, with a readable explanation when the history is not linearizable.
// Exit codes: 0 linearizable, 1 not linearizable, 3 unknown (timeout or memory bound), 2 bad
// usage or bad input. It must never print a stack trace: every failure is a one-line message.
// This is the only place of the checker that reads the wall clock (for --timeout).

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkHistory } from '../linearizability/check';
import { readEdnValue } from '../linearizability/formats/edn';
import { parseJepsenEdn } from '../linearizability/formats/jepsen-edn';
import { parseJepsenLog } from '../linearizability/formats/jepsen-log';
import { parseJsonHistory } from '../linearizability/formats/json';
import type { HistoryEvent, ParseResult } from '../linearizability/history';
import { findModel, modelRegistry } from '../linearizability/models/registry';
import type { CheckResult, OperationView, PartResult } from '../linearizability/types';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile: (path: string) => string;
  /** Milliseconds of wall-clock time, for --timeout. */
  readonly nowMs: () => number;
}

export const exitLinearizable = 0;
export const exitNotLinearizable = 1;
export const exitBadInput = 2;
export const exitUnknown = 3;

export const formats = ['jepsen-edn', 'jepsen-log', 'json'] as const;
export type FormatName = (typeof formats)[number];

/** Runs the command with these arguments (without `node main.ts`); returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  try {
    return run(argv, io);
  } catch (error) {
    io.err(`internal error (a bug in the checker, please report it): ${error instanceof Error ? error.message : String(error)}`);
    return exitBadInput;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

interface Options {
  file: string;
  format: FormatName;
  model: string;
  initial: string | undefined;
  timeoutMs: number | undefined;
  noPartition: boolean;
  json: boolean;
}

const usage = [
  'usage: npm run check -- FILE --format jepsen-edn|jepsen-log|json --model NAME',
  '                        [--initial EDN] [--timeout 30s] [--no-partition] [--json]',
  '',
  'Exit codes: 0 linearizable, 1 not linearizable, 3 unknown, 2 bad usage or bad input.',
  'Models:',
  ...modelRegistry.map((m) => `  ${m.name.padEnd(15)} ${m.summary}; --initial: ${m.initialHelp}`),
].join('\n');

function run(argv: readonly string[], io: CliIo): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage);
    return exitLinearizable;
  }
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    io.err(`error: ${parsed}`);
    io.err(usage);
    return exitBadInput;
  }
  const entry = findModel(parsed.model);
  if (entry === undefined) {
    io.err(`error: unknown model ${JSON.stringify(parsed.model)}; known models: ${modelRegistry.map((m) => m.name).join(', ')}`);
    return exitBadInput;
  }
  let initial: unknown;
  if (parsed.initial !== undefined) {
    const value = readEdnValue(parsed.initial);
    if (!value.ok) {
      io.err(`error: --initial is not a readable EDN value: ${value.error.message}`);
      return exitBadInput;
    }
    initial = value.value;
  }
  const created = entry.create(initial);
  if (!created.ok) {
    io.err(`error: ${created.message}`);
    return exitBadInput;
  }

  let text: string;
  try {
    text = io.readFile(parsed.file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    io.err(`error: cannot read ${parsed.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
    return exitBadInput;
  }
  const history = parseHistory(parsed.format, text);
  if (!history.ok) {
    io.err(`error: ${parsed.file}:${history.error.line}: ${history.error.message}`);
    return exitBadInput;
  }

  const startMs = io.nowMs();
  const timeoutMs = parsed.timeoutMs;
  const shouldStop = timeoutMs === undefined ? undefined : () => io.nowMs() - startMs >= timeoutMs;
  const { model, adapt } = created.configured;
  const checked = checkHistory(model, adapt, history.history, {
    noPartition: parsed.noPartition,
    ...(shouldStop !== undefined ? { shouldStop } : {}),
  });
  if (!checked.ok) {
    io.err(`error: ${parsed.file}:${checked.error.line}: ${checked.error.message}`);
    return exitBadInput;
  }
  const result = checked.result;
  const elapsedMs = io.nowMs() - startMs;
  if (parsed.json) io.out(JSON.stringify(result, null, 2));
  else for (const line of explain(result, parsed, history.history, elapsedMs)) io.out(line);
  if (result.verdict === 'ok') return exitLinearizable;
  if (result.verdict === 'illegal') return exitNotLinearizable;
  return exitUnknown;
}

function parseArgs(argv: readonly string[]): Options | string {
  let file: string | undefined;
  let format: string | undefined;
  let model: string | undefined;
  let initial: string | undefined;
  let timeoutMs: number | undefined;
  let noPartition = false;
  let json = false;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    const value = (): string | undefined => {
      const v = argv[k + 1];
      k += 1;
      return v;
    };
    switch (arg) {
      case '--format': {
        format = value();
        if (format === undefined) return '--format needs a value: jepsen-edn, jepsen-log or json';
        break;
      }
      case '--model': {
        model = value();
        if (model === undefined) return '--model needs a model name';
        break;
      }
      case '--initial': {
        initial = value();
        if (initial === undefined) return '--initial needs an EDN value';
        break;
      }
      case '--timeout': {
        const text = value();
        if (text === undefined) return '--timeout needs a duration such as 30s, 500ms or 2m';
        const ms = parseDurationMs(text);
        if (ms === null) return `--timeout: cannot read ${JSON.stringify(text)} as a duration (such as 30s, 500ms or 2m)`;
        timeoutMs = ms;
        break;
      }
      case '--no-partition':
        noPartition = true;
        break;
      case '--json':
        json = true;
        break;
      default:
        if (arg.startsWith('-')) return `unknown option ${arg}`;
        if (file !== undefined) return `only one history file can be checked at a time (got ${file} and ${arg})`;
        file = arg;
    }
  }
  if (file === undefined) return 'no history file given';
  format ??= inferFormat(file);
  if (format === undefined) return `--format is required (cannot tell it from the file name ${file})`;
  if (!(formats as readonly string[]).includes(format)) return `unknown format ${JSON.stringify(format)}: expected jepsen-edn, jepsen-log or json`;
  if (model === undefined) return `--model is required (one of ${modelRegistry.map((m) => m.name).join(', ')})`;
  return { file, format: format as FormatName, model, initial, timeoutMs, noPartition, json };
}

function inferFormat(file: string): string | undefined {
  if (file.endsWith('.edn')) return 'jepsen-edn';
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.log')) return 'jepsen-log';
  return undefined;
}

/** 30s, 500ms, 2m, or a bare number of seconds. Null if unreadable or not positive. */
function parseDurationMs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) return null;
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = unit === 'ms' ? amount : unit === 's' ? amount * 1000 : amount * 60_000;
  return ms > 0 ? ms : null;
}

function parseHistory(format: FormatName, text: string): ParseResult {
  switch (format) {
    case 'jepsen-edn':
      return parseJepsenEdn(text);
    case 'jepsen-log':
      return parseJepsenLog(text);
    case 'json':
      return parseJsonHistory(text);
  }
}

/** How many steps of the longest prefix the readable explanation shows (the last ones). */
const prefixShownMax = 8;
/** How many concurrent operations the readable explanation lists. */
const concurrentShownMax = 12;

function explain(result: CheckResult, options: Options, history: readonly HistoryEvent[], elapsedMs: number): string[] {
  const lines: string[] = [];
  const partsText = result.parts.length === 1 ? '1 part' : `${result.parts.length} parts`;
  lines.push(`${options.file}: ${result.operationCount} operations, ${partsText}, model ${result.model}`);
  const seconds = (elapsedMs / 1000).toFixed(2);
  if (result.verdict === 'ok') {
    lines.push(`linearizable (${result.steps} search steps, ${seconds} s)`);
    return lines;
  }
  if (result.verdict === 'unknown') {
    lines.push(`unknown: ${result.reason ?? 'the search did not finish'} (${result.steps} search steps, ${seconds} s)`);
    return lines;
  }
  lines.push(`NOT linearizable (${result.steps} search steps, ${seconds} s)`);
  for (const part of result.parts) {
    if (part.verdict === 'illegal') lines.push(...explainPart(part, history));
  }
  return lines;
}

function explainPart(part: PartResult, history: readonly HistoryEvent[]): string[] {
  const byId = new Map<number, OperationView>(part.operations.map((op) => [op.id, op]));
  const show = (id: number): string => {
    const op = byId.get(id);
    if (op === undefined) return `#${id}`;
    const callLine = history[op.call]?.line;
    const returnLine = op.return === null ? 'never' : `line ${history[op.return]?.line ?? '?'}`;
    return `#${id} process ${String(op.client)}: ${op.description}  (invoked line ${callLine ?? '?'}, returned ${returnLine})`;
  };
  const lines: string[] = [''];
  lines.push(`part ${part.index} (${part.label}): not linearizable`);
  const prefix = part.longestPrefix ?? [];
  lines.push(`  longest linearizable prefix: ${prefix.length} of ${part.operations.length} operations`);
  if (prefix.length > prefixShownMax) lines.push(`    ... ${prefix.length - prefixShownMax} earlier operations`);
  for (const step of prefix.slice(-prefixShownMax)) lines.push(`    ${show(step.op)}  => ${step.statesAfter.join(' | ')}`);
  const stuck = part.stuck;
  if (stuck !== undefined) {
    lines.push(`  last consistent state: ${stuck.statesBefore.join(' | ')}`);
    lines.push(`  cannot be placed: ${show(stuck.op)}`);
    lines.push(`  concurrent with it (${stuck.concurrent.length}):`);
    for (const id of stuck.concurrent.slice(0, concurrentShownMax)) lines.push(`    ${show(id)}`);
    if (stuck.concurrent.length > concurrentShownMax) lines.push(`    ... and ${stuck.concurrent.length - concurrentShownMax} more`);
  }
  return lines;
}

function isDirectRun(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(script).href;
}

if (isDirectRun()) {
  const code = main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (path) => readFileSync(path, 'utf8'),
    nowMs: () => Date.now(), // wall-clock-ok: --timeout is a wall-clock limit, read only here
  });
  process.exitCode = code;
}
