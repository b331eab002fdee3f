// The run artifact as the viewers read it: its types, and the validation that turns an untrusted
// JSON text into a typed run or a clear message. The terminal UI, the report and the browser
// viewer all load runs through here. It must never throw on bad input (a user can hand us any
// file) and never import anything that needs Node.js: the browser bundle uses it too.

import type { TraceKind, TraceRecord } from '../../sim/trace/trace';

export type { TraceKind, TraceRecord };

export const ARTIFACT_FORMAT = 'loom-run/1';

export type HistoryType = 'invoke' | 'ok' | 'fail' | 'info';

/** One Jepsen-style client history event, as the simulator records it. */
export interface HistoryEvent {
  readonly process: number | string;
  readonly type: HistoryType;
  readonly f: string;
  readonly key?: string;
  readonly value?: unknown;
  /** True time in microseconds. */
  readonly time: number;
  readonly index?: number;
}

export interface VerdictView {
  readonly check: string;
  readonly verdict: string;
  readonly summary: string;
  readonly detail?: unknown;
}

export interface ScheduledFault {
  readonly atUs: number;
  /** The fault as the nemesis wrote it: { kind, ... }. */
  readonly fault: { readonly kind: string } & Readonly<Record<string, unknown>>;
}

export interface RunArtifact {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly seed: number;
  readonly scenario: string;
  readonly config: unknown;
  readonly schedule: readonly ScheduledFault[];
  readonly summary: Readonly<Record<string, unknown>>;
  readonly verdicts: readonly VerdictView[];
  readonly history: readonly HistoryEvent[];
  readonly trace: readonly TraceRecord[];
}

export type LoadResult = { readonly ok: true; readonly run: RunArtifact } | { readonly ok: false; readonly error: string };

export const TRACE_KINDS: readonly TraceKind[] = [
  'send', 'deliver', 'drop', 'timer', 'disk', 'fault', 'note', 'output', 'external',
  'start', 'crash', 'halt', 'pause', 'resume', 'partition', 'heal', 'clock', 'violation',
];

const HISTORY_TYPES: readonly string[] = ['invoke', 'ok', 'fail', 'info'];

/** Parses and validates the text of a run.json. `name` is used in messages (a file name). */
export function parseArtifact(text: string, name = 'run.json'): LoadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`${name} is not valid JSON (${(error as Error).message})`);
  }
  return validateArtifact(raw, name);
}

/** Validates an already parsed value. Every problem is reported with where it is. */
export function validateArtifact(raw: unknown, name = 'run.json'): LoadResult {
  if (!isObject(raw)) return fail(`${name} is not a Loom run artifact: expected a JSON object`);
  const format = raw['format'];
  if (format === undefined) return fail(`${name} is not a Loom run artifact: it has no "format" field (expected "${ARTIFACT_FORMAT}")`);
  if (format !== ARTIFACT_FORMAT) {
    return fail(`${name} has format ${JSON.stringify(format)}, but this viewer reads "${ARTIFACT_FORMAT}" only`);
  }
  if (typeof raw['seed'] !== 'number') return fail(`${name}: "seed" must be a number`);
  if (typeof raw['scenario'] !== 'string') return fail(`${name}: "scenario" must be a string`);
  if (!isObject(raw['summary'])) return fail(`${name}: "summary" must be an object`);
  const schedule = raw['schedule'];
  if (!Array.isArray(schedule)) return fail(`${name}: "schedule" must be an array`);
  for (let i = 0; i < schedule.length; i++) {
    const entry: unknown = schedule[i];
    if (!isObject(entry) || !isInteger(entry['atUs']) || !isObject(entry['fault']) || typeof entry['fault']['kind'] !== 'string') {
      return fail(`${name}: schedule[${i}] must be { atUs: integer, fault: { kind: string, ... } }`);
    }
  }
  const verdicts = raw['verdicts'];
  if (!Array.isArray(verdicts)) return fail(`${name}: "verdicts" must be an array`);
  for (let i = 0; i < verdicts.length; i++) {
    const v: unknown = verdicts[i];
    if (!isObject(v) || typeof v['check'] !== 'string' || typeof v['verdict'] !== 'string' || typeof v['summary'] !== 'string') {
      return fail(`${name}: verdicts[${i}] must be { check, verdict, summary } strings`);
    }
  }
  const history = raw['history'];
  if (!Array.isArray(history)) return fail(`${name}: "history" must be an array`);
  for (let i = 0; i < history.length; i++) {
    const problem = historyProblem(history[i]);
    if (problem !== null) return fail(`${name}: history[${i}] ${problem}`);
  }
  const trace = raw['trace'];
  if (!Array.isArray(trace)) return fail(`${name}: "trace" must be an array`);
  let previousUs = 0;
  for (let i = 0; i < trace.length; i++) {
    const problem = recordProblem(trace[i], i, previousUs);
    if (problem !== null) return fail(`${name}: trace[${i}] ${problem}`);
    previousUs = (trace[i] as TraceRecord).trueUs;
  }
  return { ok: true, run: raw as unknown as RunArtifact };
}

// ---------------------------------------------------------------------------------------------

function recordProblem(r: unknown, position: number, previousUs: number): string | null {
  if (!isObject(r)) return 'must be an object';
  if (r['seq'] !== position) return `has seq ${JSON.stringify(r['seq'])}, expected ${position} (records are numbered in order)`;
  if (!isInteger(r['trueUs']) || (r['trueUs'] as number) < 0) return 'must have a non-negative integer "trueUs"';
  if ((r['trueUs'] as number) < previousUs) return `goes back in time (${r['trueUs'] as number} µs after ${previousUs} µs)`;
  if (r['localUs'] !== null && !isInteger(r['localUs'])) return '"localUs" must be an integer or null';
  if (r['node'] !== null && typeof r['node'] !== 'string') return '"node" must be a string or null';
  if (typeof r['kind'] !== 'string' || !TRACE_KINDS.includes(r['kind'] as TraceKind)) return `has an unknown kind ${JSON.stringify(r['kind'])}`;
  if (!isObject(r['fields'])) return '"fields" must be an object';
  return null;
}

function historyProblem(e: unknown): string | null {
  if (!isObject(e)) return 'must be an object';
  const process = e['process'];
  if (typeof process !== 'number' && typeof process !== 'string') return '"process" must be a number or a string';
  if (typeof e['type'] !== 'string' || !HISTORY_TYPES.includes(e['type'])) return `"type" must be invoke, ok, fail or info (got ${JSON.stringify(e['type'])})`;
  if (typeof e['f'] !== 'string') return '"f" must be a string';
  if (e['key'] !== undefined && typeof e['key'] !== 'string') return '"key" must be a string when present';
  if (!isInteger(e['time'])) return 'must have an integer "time" (true µs)';
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value);
}

function fail(error: string): LoadResult {
  return { ok: false, error };
}
