// Trace records in words, and the marks a cursor jumps between (faults, role changes,
// violations). Shared by the terminal UI, the report and the viewer so every view says the same
// thing about the same record. Pure functions of the record; must never read anything else.

import type { ScheduledFault, TraceRecord } from './artifact';

export type MarkKind = 'fault' | 'role' | 'violation';

/** Positions of the records of each mark kind, ascending. */
export interface Marks {
  readonly fault: readonly number[];
  readonly role: readonly number[];
  readonly violation: readonly number[];
}

const FAULT_KINDS: ReadonlySet<string> = new Set(['fault', 'crash', 'halt', 'pause', 'resume', 'partition', 'heal', 'clock']);

export function markOf(r: TraceRecord): MarkKind | null {
  if (r.kind === 'violation') return 'violation';
  if (FAULT_KINDS.has(r.kind)) return 'fault';
  if (r.kind === 'start' && r.fields['incarnation'] !== 0) return 'fault';
  if (r.kind === 'note' && (r.fields['event'] === 'roleChanged' || r.fields['event'] === 'leaderElected')) return 'role';
  return null;
}

export function collectMarks(trace: readonly TraceRecord[]): Marks {
  const fault: number[] = [];
  const role: number[] = [];
  const violation: number[] = [];
  for (let i = 0; i < trace.length; i++) {
    const mark = markOf(trace[i] as TraceRecord);
    if (mark === 'fault') fault.push(i);
    else if (mark === 'role') role.push(i);
    else if (mark === 'violation') violation.push(i);
  }
  return { fault, role, violation };
}

/** The first position in `positions` after `from`, or null. */
export function nextAfter(positions: readonly number[], from: number): number | null {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((positions[mid] as number) <= from) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length ? (positions[lo] as number) : null;
}

/** The last position in `positions` before `from`, or null. */
export function previousBefore(positions: readonly number[], from: number): number | null {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((positions[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? (positions[lo - 1] as number) : null;
}

/** Seconds with microsecond precision: "12.345678 s". */
export function formatUs(us: number): string {
  return `${(us / 1e6).toFixed(6)} s`;
}

/** A signed duration, compact: "+1.811 s", "-294 ms", "+0 µs". */
export function formatDeltaUs(us: number): string {
  const sign = us < 0 ? '-' : '+';
  const a = Math.abs(us);
  if (a >= 1_000_000) return `${sign}${(a / 1e6).toFixed(3)} s`;
  if (a >= 1000) return `${sign}${(a / 1000).toFixed(1)} ms`;
  return `${sign}${a} µs`;
}

/** One record in words, e.g. "n5 sends requestVote to n1". */
export function describeRecord(r: TraceRecord): string {
  const f = r.fields;
  const who = r.node ?? 'world';
  switch (r.kind) {
    case 'send':
      return `${who} sends ${s(f['type'])} to ${s(f['to'])}`;
    case 'deliver':
      return `${who} receives ${s(f['type'])} from ${s(f['from'])}`;
    case 'drop':
      return f['reason'] === 'loss'
        ? `${s(f['type'])} from ${who} to ${s(f['to'])} is lost`
        : `${s(f['type'])}${f['from'] !== undefined ? ` from ${s(f['from'])}` : ''} to ${who} is dropped (${s(f['reason'])})`;
    case 'timer':
      return `${who}: timer ${s(f['name'])} fires`;
    case 'disk':
      return `${who}: disk ${s(f['op'])} ${s(f['path'])}${f['bytes'] !== undefined ? ` (${s(f['bytes'])} B)` : ''} ${f['ok'] === false ? `failed ${s(f['code'])}` : 'ok'}`;
    case 'fault':
      return `${who}: fault ${fieldsInWords(f)}`;
    case 'note':
      return `${who}: ${describeNote(f)}`;
    case 'output':
      return `${who} answers a client${Object.keys(f).length > 0 ? ` (${fieldsInWords(f)})` : ''}`;
    case 'external':
      return `a client asks ${who}: ${fieldsInWords(f)}`;
    case 'start':
      return `${who} starts (incarnation ${s(f['incarnation'])})`;
    case 'crash':
      return `${who} crashes (${s(f['cause'])})${num(f['lostWrites']) + num(f['tornWrites']) > 0 ? `, ${num(f['lostWrites'])} writes lost, ${num(f['tornWrites'])} torn` : ''}`;
    case 'halt':
      return `${who} halts (${s(f['mode'])}): ${s(f['reason'])}`;
    case 'pause':
      return `${who} is paused`;
    case 'resume':
      return `${who} resumes (${s(f['held'])} inputs held)`;
    case 'partition':
      return `network partitioned: ${s(f['spec'])} (groups ${s(f['groups'])})`;
    case 'heal':
      return 'network healed';
    case 'clock':
      return typeof f['jumpUs'] === 'number'
        ? `${who} clock jumps ${formatDeltaUs(f['jumpUs'])} (offset ${formatDeltaUs(num(f['offsetUs']))})`
        : `${who} clock drifts ${s(f['driftPpm'])} ppm (offset ${formatDeltaUs(num(f['offsetUs']))})`;
    case 'violation':
      return `VIOLATION ${r.node === null ? '' : `at ${who} `}${fieldsInWords(f)}`;
  }
}

function describeNote(f: Readonly<Record<string, unknown>>): string {
  switch (f['event']) {
    case 'roleChanged':
      return `${s(f['from'])} → ${s(f['to'])} (term ${s(f['term'])})`;
    case 'termChanged':
      return `term ${s(f['from'])} → ${s(f['to'])}`;
    case 'leaderElected':
      return `learns leader ${s(f['leaderId'])} (term ${s(f['term'])})`;
    case 'commitAdvanced':
      return `commit ${s(f['from'])} → ${s(f['to'])}`;
    case 'voteGranted':
      return `grants ${f['preVote'] === true ? 'pre-vote' : 'vote'} to ${s(f['to'])} (term ${s(f['term'])})`;
    case 'voteRejected':
      return `rejects ${f['preVote'] === true ? 'pre-vote' : 'vote'} of ${s(f['to'])} (term ${s(f['term'])}): ${s(f['why'])}`;
    case 'leaseAcquired':
      return `lease until local ${formatUs(num(f['expiryLocalUs']))}`;
    case 'leaseExpired':
      return 'lease expired';
    case 'stepDown':
      return `steps down (${s(f['reason'])}, term ${s(f['term'])})`;
    default: {
      const rest: Record<string, unknown> = { ...f };
      delete rest['event'];
      return `${s(f['event'])}${Object.keys(rest).length > 0 ? ` ${fieldsInWords(rest)}` : ''}`;
    }
  }
}

/** A fault of the schedule in words, e.g. "partition majority-minority minority=n1,n2". */
export function describeScheduled(entry: ScheduledFault): string {
  const rest: Record<string, unknown> = { ...entry.fault };
  delete rest['kind'];
  const node = typeof rest['node'] === 'string' ? rest['node'] : null;
  delete rest['node'];
  const parts: string[] = [entry.fault.kind];
  if (node !== null) parts.push(node);
  const flat = flatten(rest);
  if (flat.length > 0) parts.push(flat);
  return parts.join(' ');
}

function flatten(value: Readonly<Record<string, unknown>>): string {
  return Object.entries(value)
    .map(([k, v]) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? flatten(v as Record<string, unknown>) : `${k}=${Array.isArray(v) ? v.join(',') : s(v)}`))
    .filter((x) => x.length > 0)
    .join(' ');
}

function fieldsInWords(f: Readonly<Record<string, unknown>>): string {
  return Object.entries(f)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${s(v)}`)
    .join(' ');
}

function s(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '?' : String(value);
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
