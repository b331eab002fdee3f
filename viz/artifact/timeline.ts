// The run laid out over true time for the drawn views: each node's role and status as segments
// (with the term), clock offsets as points, partitions and pauses as bands, and every message as
// a line from its send to its delivery or drop. One pass over the trace, no clock, no randomness;
// it must never invent an event the trace does not hold (a send with no end stays "in flight").

import type { RunArtifact, TraceRecord } from './artifact';
import { nodeIdsOf } from './state';

export type Lane = 'leader' | 'candidate' | 'pre-candidate' | 'follower' | 'crashed' | 'paused' | 'failed-closed' | 'not started' | 'up';

export interface Segment {
  readonly node: string;
  readonly startUs: number;
  readonly endUs: number;
  readonly lane: Lane;
  readonly term: number;
}

export interface Band {
  readonly startUs: number;
  readonly endUs: number;
  readonly label: string;
  readonly node: string | null;
}

export interface PointMark {
  readonly atUs: number;
  readonly node: string | null;
  readonly position: number;
  readonly label: string;
  readonly kind: 'fault' | 'crash' | 'start' | 'clock' | 'violation' | 'halt';
}

export interface OffsetPoint {
  readonly node: string;
  readonly atUs: number;
  readonly offsetUs: number;
}

export interface Message {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  readonly sendUs: number;
  /** When it was delivered or dropped; null while still in flight at the end of the trace. */
  readonly endUs: number | null;
  readonly end: 'deliver' | 'drop' | 'in flight';
  readonly sendAt: number;
  readonly endAt: number | null;
}

export interface Timeline {
  readonly nodes: readonly string[];
  readonly endUs: number;
  readonly segments: readonly Segment[];
  readonly bands: readonly Band[];
  readonly points: readonly PointMark[];
  readonly offsets: readonly OffsetPoint[];
  /** Sorted by sendUs. */
  readonly messages: readonly Message[];
}

/** The most offset points kept per node (a drifting clock changes on every record). */
const OFFSET_POINTS_PER_NODE_MAX = 2000;

export function buildTimeline(run: RunArtifact): Timeline {
  const nodes = nodeIdsOf(run);
  const trace = run.trace;
  const endUs = Math.max(trace.length > 0 ? (trace[trace.length - 1] as TraceRecord).trueUs : 0, numberField(run.summary, 'simulatedUs'));
  const segments: Segment[] = [];
  const open = new Map<string, { startUs: number; lane: Lane; term: number }>();
  const term = new Map<string, number>();
  const status = new Map<string, Lane>();
  const bands: Band[] = [];
  const points: PointMark[] = [];
  const offsets: OffsetPoint[] = [];
  const lastOffset = new Map<string, number>();
  const offsetCount = new Map<string, number>();
  const pauses = new Map<string, number>();
  let partition: { startUs: number; label: string } | null = null;
  /** While partitioned: each server's group index (a send across groups is blocked at its source). */
  let groupOf: Map<string, number> | null = null;
  const messages: Message[] = [];
  const pending = new Map<string, number[]>();

  const setLane = (node: string, atUs: number, lane: Lane): void => {
    const current = open.get(node);
    const t = term.get(node) ?? 0;
    if (current !== undefined && current.lane === lane && current.term === t) return;
    if (current !== undefined && atUs > current.startUs) segments.push({ node, startUs: current.startUs, endUs: atUs, lane: current.lane, term: current.term });
    open.set(node, { startUs: atUs, lane, term: t });
  };

  for (let i = 0; i < trace.length; i++) {
    const r = trace[i] as TraceRecord;
    const f = r.fields;
    const node = r.node;
    if (node !== null && r.localUs !== null) {
      const offset = r.localUs - r.trueUs;
      if (lastOffset.get(node) !== offset && (offsetCount.get(node) ?? 0) < OFFSET_POINTS_PER_NODE_MAX) {
        offsets.push({ node, atUs: r.trueUs, offsetUs: offset });
        lastOffset.set(node, offset);
        offsetCount.set(node, (offsetCount.get(node) ?? 0) + 1);
      }
    }
    switch (r.kind) {
      case 'send': {
        if (node === null) break;
        const key = `${node}>${String(f['to'])}`;
        let queue = pending.get(key);
        if (queue === undefined) pending.set(key, (queue = []));
        const to = String(f['to']);
        const blocked = groupOf !== null && groupOf.has(node) && groupOf.has(to) && groupOf.get(node) !== groupOf.get(to);
        if (blocked) {
          // The world records nothing more for it: it never left the sender.
          messages.push({ from: node, to, type: String(f['type'] ?? '?'), sendUs: r.trueUs, endUs: r.trueUs, end: 'drop', sendAt: i, endAt: null });
          break;
        }
        queue.push(messages.length);
        messages.push({ from: node, to: String(f['to']), type: String(f['type'] ?? '?'), sendUs: r.trueUs, endUs: null, end: 'in flight', sendAt: i, endAt: null });
        break;
      }
      case 'deliver':
      case 'drop': {
        if (node === null) break;
        const loss = r.kind === 'drop' && f['reason'] === 'loss';
        const key = loss ? `${node}>${String(f['to'])}` : `${String(f['from'])}>${node}`;
        const index = pending.get(key)?.shift();
        if (index !== undefined) {
          const m = messages[index] as Message;
          messages[index] = { ...m, endUs: r.trueUs, end: r.kind, endAt: i };
        }
        break;
      }
      case 'start':
        if (node === null) break;
        status.set(node, 'up');
        setLane(node, r.trueUs, 'up');
        if (f['incarnation'] !== 0) points.push({ atUs: r.trueUs, node, position: i, label: `${node} restarts`, kind: 'start' });
        break;
      case 'crash':
        if (node === null) break;
        if (status.get(node) !== 'failed-closed') status.set(node, 'crashed');
        setLane(node, r.trueUs, status.get(node) as Lane);
        points.push({ atUs: r.trueUs, node, position: i, label: `${node} crashes (${String(f['cause'])})`, kind: 'crash' });
        break;
      case 'halt':
        if (node === null) break;
        if (f['mode'] === 'fail-closed') status.set(node, 'failed-closed');
        points.push({ atUs: r.trueUs, node, position: i, label: `${node} halts (${String(f['mode'])}): ${String(f['reason'])}`, kind: 'halt' });
        break;
      case 'pause':
        if (node === null) break;
        pauses.set(node, r.trueUs);
        break;
      case 'resume': {
        if (node === null) break;
        const since = pauses.get(node);
        if (since !== undefined) bands.push({ startUs: since, endUs: r.trueUs, label: `${node} paused`, node });
        pauses.delete(node);
        break;
      }
      case 'partition':
        if (partition !== null) bands.push({ startUs: partition.startUs, endUs: r.trueUs, label: partition.label, node: null });
        partition = { startUs: r.trueUs, label: `partition ${String(f['spec'])}` };
        groupOf = new Map();
        String(f['groups']).split('|').forEach((group, g) => {
          for (const id of group.trim().split(/\s+/)) if (id.length > 0) groupOf?.set(id, g);
        });
        break;
      case 'heal':
        if (partition !== null) bands.push({ startUs: partition.startUs, endUs: r.trueUs, label: partition.label, node: null });
        partition = null;
        groupOf = null;
        break;
      case 'clock':
        points.push({ atUs: r.trueUs, node, position: i, label: typeof f['jumpUs'] === 'number' ? `${node ?? '?'} clock jumps ${f['jumpUs']} µs` : `${node ?? '?'} clock drift ${String(f['driftPpm'])} ppm`, kind: 'clock' });
        break;
      case 'fault':
        points.push({ atUs: r.trueUs, node, position: i, label: `${node ?? 'world'} fault ${faultLabel(f)}`, kind: 'fault' });
        break;
      case 'violation':
        points.push({ atUs: r.trueUs, node, position: i, label: `violation ${JSON.stringify(f)}`, kind: 'violation' });
        break;
      case 'note':
        if (node === null) break;
        if (f['event'] === 'roleChanged' && typeof f['to'] === 'string') {
          if (typeof f['term'] === 'number') term.set(node, f['term']);
          setLane(node, r.trueUs, laneOf(f['to']));
        } else if (f['event'] === 'termChanged' && typeof f['to'] === 'number') {
          term.set(node, f['to']);
          const current = open.get(node);
          if (current !== undefined) setLane(node, r.trueUs, current.lane);
        } else if (f['event'] === 'recovered') {
          // A Raft node starts as a follower: it says so by reporting what it recovered.
          if (typeof f['term'] === 'number') term.set(node, f['term']);
          setLane(node, r.trueUs, 'follower');
        }
        break;
      default:
        break;
    }
  }
  for (const [node, current] of open) segments.push({ node, startUs: current.startUs, endUs, lane: current.lane, term: current.term });
  for (const [node, since] of pauses) bands.push({ startUs: since, endUs, label: `${node} paused`, node });
  if (partition !== null) bands.push({ startUs: partition.startUs, endUs, label: partition.label, node: null });
  segments.sort((a, b) => a.startUs - b.startUs || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  bands.sort((a, b) => a.startUs - b.startUs);
  return { nodes, endUs, segments, bands, points, offsets, messages };
}

/**
 * Messages whose send or end falls in [fromUs, toUs] or that span it. When there are more than
 * `limit`, every k-th is shown (k = `stride`) so the whole window stays covered.
 */
export function messagesInWindow(messages: readonly Message[], fromUs: number, toUs: number, limit: number): { shown: Message[]; total: number; stride: number } {
  // Messages are sorted by send time; a message spanning the window started at most
  // MESSAGE_SPAN_US_MAX before it, so start the scan there.
  let lo = 0;
  let hi = messages.length;
  const scanFromUs = fromUs - MESSAGE_SPAN_US_MAX;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).sendUs < scanFromUs) lo = mid + 1;
    else hi = mid;
  }
  const inside: Message[] = [];
  for (let i = lo; i < messages.length; i++) {
    const m = messages[i] as Message;
    if (m.sendUs > toUs) break;
    if ((m.endUs ?? m.sendUs) < fromUs) continue;
    inside.push(m);
  }
  const stride = Math.max(1, Math.ceil(inside.length / Math.max(1, limit)));
  const shown = stride === 1 ? inside : inside.filter((_, i) => i % stride === 0);
  return { shown, total: inside.length, stride };
}

/** Messages taking longer than this are drawn only when their send is near the window. */
export const MESSAGE_SPAN_US_MAX = 2_000_000;

function laneOf(role: string): Lane {
  return role === 'leader' || role === 'candidate' || role === 'pre-candidate' || role === 'follower' ? role : 'up';
}

function numberField(value: Readonly<Record<string, unknown>>, key: string): number {
  const v = value[key];
  return typeof v === 'number' ? v : 0;
}

/** What a nemesis fault record says happened: a fault, an armed disk fault, one aimed at the leader (resolved, watched for, triggered) or skipped. */
export function faultLabel(f: Readonly<Record<string, unknown>>): string {
  if (f['skipped'] !== undefined) return `skipped ${String(f['skipped'])}${f['why'] !== undefined ? ` (${String(f['why'])})` : ''}`;
  if (f['resolved'] !== undefined) return `${String(f['resolved'])}: ${String(f['leader'])}${f['followers'] !== undefined ? ` with ${String(f['followers'])}` : ''}`;
  if (f['triggered'] !== undefined) return `${String(f['triggered'])}: ${String(f['leader'])} of term ${String(f['term'])}`;
  if (f['watching'] !== undefined) return `watching: ${String(f['watching'])}`;
  return String(f['fault'] ?? f['armed'] ?? '');
}
