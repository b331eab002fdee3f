// What happened to the cluster, read back from a run's trace: when each server was up, down or
// paused, and when a partition or a timed message loss was in force. The SWIM checks judge views against this ground
// truth. Reads trace records as data; it must never look at the world or at a member.

import type { NodeId } from '../../src/host/contract';
import { assert } from '../../src/util/assert';
import type { TraceRecord } from '../trace/trace';

export type ProcessState = 'up' | 'down' | 'paused';

export interface StateChange {
  readonly trueUs: number;
  readonly state: ProcessState;
}

/** A half-open interval of true time [fromUs, toUs). */
export interface Interval {
  readonly fromUs: number;
  readonly toUs: number;
}

export interface FaultTimeline {
  readonly endUs: number;
  /** Per server, its state changes in time order; every server is 'down' before its first entry. */
  readonly states: ReadonlyMap<NodeId, readonly StateChange[]>;
  /** When some partition was in force (toUs = endUs if never healed). */
  readonly partitions: readonly Interval[];
  /** When some timed link-loss fault was in force (toUs = endUs if never ended). */
  readonly losses: readonly Interval[];
}

/** The kinds of record faultTimeline reads. */
export const FAULT_TIMELINE_KINDS: readonly TraceRecord['kind'][] = ['start', 'crash', 'pause', 'resume', 'partition', 'heal', 'fault'];

export function faultTimeline(trace: readonly TraceRecord[], servers: readonly NodeId[], endUs: number): FaultTimeline {
  const states = new Map<NodeId, StateChange[]>();
  for (const id of servers) states.set(id, []);
  const partitions: Interval[] = [];
  let partitionFromUs: number | null = null;
  const losses: Interval[] = [];
  let lossFromUs: number | null = null;
  // Indexed: run once per run, this loop is never optimised, and an iterator allocates per record.
  for (let i = 0; i < trace.length; i++) {
    const r = trace[i] as TraceRecord;
    const next = stateAfter(r.kind);
    if (next !== null && r.node !== null) {
      const list = states.get(r.node);
      if (list !== undefined) list.push({ trueUs: r.trueUs, state: next });
    } else if (r.kind === 'partition') {
      // A new partition replaces the previous one: the network stays cut.
      if (partitionFromUs === null) partitionFromUs = r.trueUs;
    } else if (r.kind === 'heal' && partitionFromUs !== null) {
      partitions.push({ fromUs: partitionFromUs, toUs: r.trueUs });
      partitionFromUs = null;
    } else if (r.kind === 'fault' && r.fields.fault === 'link-loss') {
      // A further loss fault changes which links lose, not whether the network is lossy.
      if (lossFromUs === null) lossFromUs = r.trueUs;
    } else if (r.kind === 'fault' && r.fields.fault === 'link-loss-end' && lossFromUs !== null) {
      losses.push({ fromUs: lossFromUs, toUs: r.trueUs });
      lossFromUs = null;
    }
  }
  if (partitionFromUs !== null) partitions.push({ fromUs: partitionFromUs, toUs: endUs });
  if (lossFromUs !== null) losses.push({ fromUs: lossFromUs, toUs: endUs });
  return { endUs, states, partitions, losses };
}

/** The server's state at true time t (after everything that happened at t). */
export function stateAt(timeline: FaultTimeline, id: NodeId, t: number): ProcessState {
  const list = timeline.states.get(id);
  assert(list !== undefined, `unknown server ${id}`);
  let state: ProcessState = 'down';
  for (const change of list) {
    if (change.trueUs > t) break;
    state = change.state;
  }
  return state;
}

/** The intervals in which the server was in `state`. */
export function intervalsOf(timeline: FaultTimeline, id: NodeId, state: ProcessState): Interval[] {
  const list = timeline.states.get(id);
  assert(list !== undefined, `unknown server ${id}`);
  const out: Interval[] = [];
  let current: ProcessState = 'down';
  let sinceUs = 0;
  for (const change of list) {
    if (change.state === current) continue;
    if (current === state && change.trueUs > sinceUs) out.push({ fromUs: sinceUs, toUs: change.trueUs });
    current = change.state;
    sinceUs = change.trueUs;
  }
  if (current === state && timeline.endUs > sinceUs) out.push({ fromUs: sinceUs, toUs: timeline.endUs });
  return out;
}

/**
 * The intervals in which the server was down after it had first been started: its crashes, each
 * until the next start. The time before the first start is not a crash; a crash in the very
 * instant of the first start (both at 0) is.
 */
export function crashesOf(timeline: FaultTimeline, id: NodeId): Interval[] {
  const list = timeline.states.get(id);
  assert(list !== undefined, `unknown server ${id}`);
  const firstStart = list.find((c) => c.state === 'up');
  if (firstStart === undefined) return [];
  return intervalsOf(timeline, id, 'down').filter((i) => i.fromUs >= firstStart.trueUs);
}

/** The lives of one process: from a start to the crash that ended it (paused time included). */
export function instancesOf(timeline: FaultTimeline, id: NodeId): Interval[] {
  const list = timeline.states.get(id);
  assert(list !== undefined, `unknown server ${id}`);
  const out: Interval[] = [];
  let startUs: number | null = null;
  for (const change of list) {
    if (change.state === 'up' && startUs === null) startUs = change.trueUs;
    if (change.state === 'down' && startUs !== null) {
      out.push({ fromUs: startUs, toUs: change.trueUs });
      startUs = null;
    }
  }
  if (startUs !== null) out.push({ fromUs: startUs, toUs: timeline.endUs });
  return out;
}

/** How long the intervals cover of [fromUs, toUs). */
export function overlapUs(intervals: readonly Interval[], fromUs: number, toUs: number): number {
  let total = 0;
  for (const i of intervals) total += Math.max(0, Math.min(i.toUs, toUs) - Math.max(i.fromUs, fromUs));
  return total;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function stateAfter(kind: TraceRecord['kind']): ProcessState | null {
  switch (kind) {
    case 'start':
    case 'resume':
      return 'up';
    case 'crash':
      return 'down';
    case 'pause':
      return 'paused';
    default:
      return null;
  }
}
